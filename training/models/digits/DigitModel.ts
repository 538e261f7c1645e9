/**
 * What every trainable digit model offers: to the one Trainer, a `TrainingModule` (variables,
 * optimizers, a step as gradient passes); to the sheets and scores, images from sampling inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, gaussian } from '#core';
import type { TrainingModule } from '../../trainer/TrainingModule.js';
import { mixSeed } from '../../util/seeds.js';
import type { DigitTrainConfig } from './digitsConfig.js';

/** One step's data: real digits and the seed of the step's random draws, both fixed by the step's position. */
export interface DigitBatch {
  /** Real digits, `batchSize * 784` grey values per pass that reads them (each WGAN critic pass reads its own). */
  real: Float32Array[];
  /** Seed of the step's noise, interpolation weights and pixel subsets. */
  seed: number;
}

export interface DigitModel extends TrainingModule<DigitBatch> {
  readonly config: DigitTrainConfig;
  /** Batches of real digits one step reads (`DigitBatch.real.length`). */
  readonly realBatchesPerStep: number;
  /** Length of one sampling input (a noise vector or code); 0 when the model does not sample (the auto-encoders). */
  readonly sampleInputSize: number;
  /**
   * Images `[count, size * size]` for sampling inputs `[count, sampleInputSize]`, decoded in batches
   * of `batchSize`. `size` other than 28 only for implicit models.
   */
  generate(inputs: Float32Array, options?: { size?: number; batchSize?: number }): Promise<Float32Array>;
  dispose(): void;
}

/** `count * size` standard-normal values from `(seed, ...stream)`. */
export function normalNoise(count: number, size: number, seed: number, ...stream: number[]): Float32Array {
  const random = createRandom(mixSeed(seed, ...stream));
  return Float32Array.from({ length: count * size }, () => gaussian(random));
}

/** Runs `decode` over `inputs` in batches and gathers the rows (`rowSize` values each). */
export async function decodeInBatches(inputs: Float32Array, inputSize: number, rowSize: number, batchSize: number, decode: (batch: tf.Tensor2D) => tf.Tensor2D): Promise<Float32Array> {
  const count = inputs.length / inputSize;
  const out = new Float32Array(count * rowSize);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const rows = tf.tidy(() => decode(tf.tensor2d(inputs.subarray(start * inputSize, (start + n) * inputSize), [n, inputSize])));
    out.set((await rows.data()) as Float32Array, start * rowSize);
    rows.dispose();
    // Let progress output and signals through between batches.
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
