/** Models with fresh random weights, and files of them, for tests. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveArchitecture, type ImNetArchitecture, type PresetName } from '../../src/decoder/architecture.js';
import { createRandom, gaussian } from '../../src/decoder/random.js';
import { randomDecoderWeights } from '../../src/decoder/weights.js';
import { generatorLayerShapes, type GeneratorWeights } from '../../src/decoder/generator.js';
import { encodeModel, type ImNetModel } from '../../src/weights/model.js';

export const TINY: ImNetArchitecture = { latentSize: 8, hiddenSizes: [32, 32, 16], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };

export function randomLatents(count: number, size: number, seed: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: size }, () => random()));
}

export function randomPoints(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count * 3 }, () => random() - 0.5);
}

function randomGenerator(noiseSize: number, hiddenSizes: number[], latentSize: number, seed: number): GeneratorWeights {
  const random = createRandom(seed);
  return {
    noiseSize, hiddenSizes, leakySlope: 0.02,
    layers: generatorLayerShapes(noiseSize, hiddenSizes, latentSize).map(([rows, units]) => ({
      kernel: Float32Array.from({ length: rows * units }, () => gaussian(random) * Math.sqrt(2 / (rows + units))),
      bias: new Float32Array(units),
    })),
  };
}

export interface RandomModelOptions {
  preset?: PresetName;
  architecture?: ImNetArchitecture;
  latents?: number;
  testLatents?: number;
  generator?: boolean;
  seed?: number;
  category?: string;
}

export function randomModel(options: RandomModelOptions = {}): ImNetModel {
  const architecture = options.architecture ?? resolveArchitecture(options.preset ?? 'web32');
  const seed = options.seed ?? 1;
  return {
    category: options.category ?? 'random',
    preset: options.architecture ? null : options.preset ?? 'web32',
    architecture,
    isoLevel: 0.5,
    decoder: randomDecoderWeights(architecture, seed),
    trainLatents: randomLatents(options.latents ?? 3, architecture.latentSize, seed + 1),
    testLatents: randomLatents(options.testLatents ?? 0, architecture.latentSize, seed + 2),
    generator: options.generator ? randomGenerator(16, [32, 32], architecture.latentSize, seed + 3) : null,
    provenance: { producedBy: 'test fixture: random weights', seed },
  };
}

/** Writes a model as `<dir>/model.json` + `<dir>/weights.bin`; returns the manifest path. */
export function writeModel(model: ImNetModel, options: { float16?: boolean; dir?: string } = {}): string {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'imnet-weights-'));
  mkdirSync(dir, { recursive: true });
  const { manifest, bin } = encodeModel(model, { float16: options.float16 });
  writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'weights.bin'), bin);
  return join(dir, 'model.json');
}
