/**
 * A category model in memory (decoder, latent tables, optional generator) and its conversion to and
 * from the weights format. Everything about shapes is checked against the manifest before any
 * binary is read or any array allocated.
 */
import { decoderLayerShapes, kernelRows, type ImNetArchitecture, type PresetName } from '../decoder/architecture.js';
import { generatorLayerShapes, type GeneratorWeights } from '../decoder/generator.js';
import type { DecoderWeights } from '../decoder/weights.js';
import { decodeGroup, encodeGroup, expectedGroupBytes, type NamedArray } from './codec.js';
import { validateManifest, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, WeightsFormatError, type WeightsManifest } from './format.js';
import { readBytes, readText, resolveSibling } from './io.js';

/** Everything a weights file holds, as typed arrays. */
export interface ImNetModel {
  category: string;
  preset: PresetName | null;
  architecture: ImNetArchitecture;
  isoLevel: number;
  decoder: DecoderWeights;
  /** Latent codes of the training shapes, `latentSize` values each. */
  trainLatents: Float32Array[];
  /** Latent codes of held-out shapes (encoded, not trained on), if any. */
  testLatents: Float32Array[];
  generator: GeneratorWeights | null;
  provenance?: Record<string, unknown>;
}

/** The shape each named weight must have, from the manifest's architecture and generator spec. */
function expectedShapes(manifest: WeightsManifest): Map<string, number[] | 'latent-table'> {
  const expected = new Map<string, number[] | 'latent-table'>();
  decoderLayerShapes(manifest.architecture).forEach((shape, i) => {
    expected.set(`decoder/dense${i}/kernel`, [kernelRows(shape), shape.units]);
    expected.set(`decoder/dense${i}/bias`, [shape.units]);
  });
  expected.set(manifest.latents.train, 'latent-table');
  if (manifest.latents.test) expected.set(manifest.latents.test, 'latent-table');
  if (manifest.generator) {
    const g = manifest.generator;
    generatorLayerShapes(g.noiseSize, g.hiddenSizes, manifest.architecture.latentSize).forEach(([rows, units], i) => {
      expected.set(`generator/dense${i}/kernel`, [rows, units]);
      expected.set(`generator/dense${i}/bias`, [units]);
    });
  }
  return expected;
}

function checkShapes(manifest: WeightsManifest, file: string): void {
  const expected = expectedShapes(manifest);
  const seen = new Set<string>();
  for (const group of manifest.weightsManifest) {
    for (const w of group.weights) {
      const want = expected.get(w.name);
      if (want === undefined) continue; // Unknown extras are allowed: newer writers may add tensors.
      seen.add(w.name);
      if (want === 'latent-table') {
        if (w.shape.length !== 2 || w.shape[1] !== manifest.architecture.latentSize) {
          throw new WeightsFormatError(file, `${w.name}.shape`, `expected [count, ${manifest.architecture.latentSize}], got [${w.shape.join(', ')}]`);
        }
      } else if (w.shape.length !== want.length || w.shape.some((n, k) => n !== want[k])) {
        throw new WeightsFormatError(file, `${w.name}.shape`, `expected [${want.join(', ')}] for this architecture, got [${w.shape.join(', ')}]`);
      }
    }
  }
  for (const name of expected.keys()) {
    if (!seen.has(name)) throw new WeightsFormatError(file, name, 'missing from weightsManifest');
  }
}

/** Loads and validates a model from a manifest URL or path. */
export async function loadModel(source: string): Promise<{ model: ImNetModel; manifest: WeightsManifest }> {
  let json: unknown;
  const text = await readText(source);
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new WeightsFormatError(source, '(root)', `not valid JSON (${(error as Error).message})`);
  }
  const manifest = validateManifest(json, source);
  checkShapes(manifest, source);
  const groupBytes: { bytes: Uint8Array; file: string }[] = [];
  for (const [g, group] of manifest.weightsManifest.entries()) {
    const parts = await Promise.all(group.paths.map((p, i) => readBytes(resolveSibling(source, p), `weightsManifest[${g}].paths[${i}]`)));
    const total = parts.reduce((s, p) => s + p.byteLength, 0);
    const file = resolveSibling(source, group.paths.join('+'));
    if (total !== expectedGroupBytes(group)) {
      throw new WeightsFormatError(file, 'byteLength', `holds ${total} bytes; the manifest's ${group.weights.length} weights need ${expectedGroupBytes(group)} (truncated or from another model?)`);
    }
    const bytes = parts.length === 1 ? parts[0] : concat(parts, total);
    groupBytes.push({ bytes, file });
  }
  const arrays = new Map<string, NamedArray>();
  manifest.weightsManifest.forEach((group, g) => {
    for (const a of decodeGroup(group, groupBytes[g].bytes, groupBytes[g].file)) arrays.set(a.name, a);
  });
  return { model: modelFromArrays(manifest, arrays), manifest };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) { out.set(p, offset); offset += p.byteLength; }
  return out;
}

function splitRows(table: NamedArray | undefined): Float32Array[] {
  if (!table) return [];
  const [count, size] = table.shape;
  return Array.from({ length: count }, (_, i) => table.values.slice(i * size, (i + 1) * size));
}

function modelFromArrays(manifest: WeightsManifest, arrays: Map<string, NamedArray>): ImNetModel {
  const layers = decoderLayerShapes(manifest.architecture).map((_, i) => ({
    kernel: arrays.get(`decoder/dense${i}/kernel`)!.values,
    bias: arrays.get(`decoder/dense${i}/bias`)!.values,
  }));
  let generator: GeneratorWeights | null = null;
  if (manifest.generator) {
    const g = manifest.generator;
    generator = {
      noiseSize: g.noiseSize, hiddenSizes: [...g.hiddenSizes], leakySlope: g.leakySlope,
      layers: generatorLayerShapes(g.noiseSize, g.hiddenSizes, manifest.architecture.latentSize).map((_, i) => ({
        kernel: arrays.get(`generator/dense${i}/kernel`)!.values,
        bias: arrays.get(`generator/dense${i}/bias`)!.values,
      })),
    };
  }
  return {
    category: manifest.category,
    preset: manifest.preset ?? null,
    architecture: manifest.architecture,
    isoLevel: manifest.isoLevel,
    decoder: { architecture: manifest.architecture, layers },
    trainLatents: splitRows(arrays.get(manifest.latents.train)),
    testLatents: splitRows(manifest.latents.test ? arrays.get(manifest.latents.test) : undefined),
    generator,
    provenance: manifest.provenance,
  };
}

function stack(name: string, rows: Float32Array[], size: number): NamedArray {
  const values = new Float32Array(rows.length * size);
  rows.forEach((r, i) => values.set(r, i * size));
  return { name, shape: [rows.length, size], values };
}

/** A model as a manifest and one binary file (`binName`, beside the manifest). */
export function encodeModel(model: ImNetModel, options: { float16?: boolean; binName?: string } = {}): { manifest: WeightsManifest; bin: Uint8Array } {
  const binName = options.binName ?? 'weights.bin';
  const L = model.architecture.latentSize;
  const arrays: NamedArray[] = [];
  decoderLayerShapes(model.architecture).forEach((shape, i) => {
    arrays.push({ name: `decoder/dense${i}/kernel`, shape: [kernelRows(shape), shape.units], values: model.decoder.layers[i].kernel });
    arrays.push({ name: `decoder/dense${i}/bias`, shape: [shape.units], values: model.decoder.layers[i].bias });
  });
  arrays.push(stack('latents/train', model.trainLatents, L));
  if (model.testLatents.length) arrays.push(stack('latents/test', model.testLatents, L));
  if (model.generator) {
    const g = model.generator;
    generatorLayerShapes(g.noiseSize, g.hiddenSizes, L).forEach(([rows, units], i) => {
      arrays.push({ name: `generator/dense${i}/kernel`, shape: [rows, units], values: g.layers[i].kernel });
      arrays.push({ name: `generator/dense${i}/bias`, shape: [units], values: g.layers[i].bias });
    });
  }
  const { group, bytes } = encodeGroup(arrays, binName, options.float16);
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    formatVersion: WEIGHTS_FORMAT_VERSION,
    category: model.category,
    preset: model.preset,
    architecture: model.architecture,
    coordinates: { min: -0.5, max: 0.5, upAxis: 'y' },
    isoLevel: model.isoLevel,
    latents: model.testLatents.length ? { train: 'latents/train', test: 'latents/test' } : { train: 'latents/train' },
    generator: model.generator ? { noiseSize: model.generator.noiseSize, hiddenSizes: model.generator.hiddenSizes, leakySlope: model.generator.leakySlope } : null,
    weightsManifest: [group],
    provenance: model.provenance,
  };
  return { manifest, bin: bytes };
}
