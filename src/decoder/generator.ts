/** IM-GAN's latent generator in float64: noise -> hidden (LeakyReLU) -> latent (sigmoid). */
import type { DenseWeights } from './weights.js';
import { createRandom, gaussian } from './random.js';

/** The latent GAN's generator: its shape and its parameters. */
export interface GeneratorWeights {
  /** Length of the standard-normal noise vector. */
  noiseSize: number;
  /** Widths of the hidden layers. */
  hiddenSizes: number[];
  /** Negative slope of the hidden layers' LeakyReLU. */
  leakySlope: number;
  /** Dense layers, kernels row-major `[inputs, units]`; the last one outputs the latent. */
  layers: DenseWeights[];
}

/** Kernel shapes `[inputs, units]` of each generator layer. */
export function generatorLayerShapes(noiseSize: number, hiddenSizes: number[], latentSize: number): [number, number][] {
  const widths = [noiseSize, ...hiddenSizes, latentSize];
  return widths.slice(1).map((units, i) => [widths[i], units]);
}

/** The generator's latent for a noise vector. */
export function generateLatent(generator: GeneratorWeights, noise: Float64Array): Float32Array {
  let input: Float64Array = noise;
  generator.layers.forEach((layer, l) => {
    const units = layer.bias.length;
    const rows = input.length;
    const out = new Float64Array(units);
    for (let j = 0; j < units; j++) out[j] = layer.bias[j];
    for (let i = 0; i < rows; i++) {
      const v = input[i];
      if (v === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) out[j] += v * layer.kernel[row + j];
    }
    const isLast = l === generator.layers.length - 1;
    for (let j = 0; j < units; j++) {
      out[j] = isLast ? 1 / (1 + Math.exp(-out[j])) : out[j] > 0 ? out[j] : out[j] * generator.leakySlope;
    }
    input = out;
  });
  return Float32Array.from(input);
}

/** The standard-normal noise vector a seed stands for (same on every platform). */
export function noiseForSeed(noiseSize: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const noise = new Float64Array(noiseSize);
  for (let i = 0; i < noiseSize; i++) noise[i] = gaussian(random);
  return noise;
}
