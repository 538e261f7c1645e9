/**
 * Latent codes without an encoder (auto-decoding, as DeepSDF): a table of per-shape codes learned
 * with the decoder, and new shapes encoded by optimising a code against a frozen decoder.
 * Codes stay in [0, 1], the range of IM-NET's sigmoid encoder and of the GAN generator's output.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, gaussian } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import { Adam } from '../../nn/Adam.js';
import { copyPointSamples, type SampleLevel, type ShapeSamples } from './samples.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import type { TrainingDecoder } from './TrainingDecoder.js';

/** Initial codes: 0.5 plus a little seeded noise (DeepSDF starts near its prior's mean too). */
export function initialLatents(count: number, latentSize: number, seed: number): Float32Array {
  const random = createRandom(mixSeed(seed, 0x1a7e));
  return Float32Array.from({ length: count * latentSize }, () => 0.5 + 0.01 * gaussian(random));
}

/** Rows `indices` of `table` `[count, size]` as `[indices.length, size]`: a one-hot matMul, because tfjs-wasm has no gradient kernel for gather. */
export function latentRows(table: tf.Tensor2D, indices: number[]): tf.Tensor2D {
  return tf.tidy(() => matMulFastGrad(tf.oneHot(tf.tensor1d(indices, 'int32'), table.shape[0]).toFloat() as tf.Tensor2D, table));
}

/** Each shape's latent repeated for its `pointsPerShape` points: `[shapes * points, size]` from `[shapes, size]`. */
export function latentPerPoint(latents: tf.Tensor2D, pointsPerShape: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [shapes, size] = latents.shape;
    // A broadcast multiply: its gradient sums over the points, and it needs no Tile/gather gradient.
    return tf.reshape(tf.mul(tf.ones([shapes, pointsPerShape, 1]), tf.reshape(latents, [shapes, 1, size])), [shapes * pointsPerShape, size]) as tf.Tensor2D;
  });
}

/** Options of {@link fitLatents}. */
export interface FitLatentsArgs {
  /** Optimisation steps. Default 300. */
  steps?: number;
  /** Adam learning rate. Default 1e-2. */
  learningRate?: number;
  /** Points per shape per step. Default 4096. */
  pointsPerStep?: number;
  /** Sample level the points come from. Default 64 (the finest). */
  level?: SampleLevel;
  /** Voxel resolution the point indices refer to. Default 256. */
  voxelResolution?: number;
  /** Weight of the pull toward 0.5 (a weak prior). Default 1e-4. */
  regularization?: number;
  seed?: number;
  /** Starting codes, one per shape (e.g. their PCA projections). Default: noise around 0.5. */
  initial?: readonly Float32Array[];
}

/**
 * Encodes shapes without an encoder: their codes are optimised (decoder frozen) to reproduce their
 * point samples. All shapes are fitted together; each shape's loss involves only its own code.
 */
export async function fitLatents(decoder: TrainingDecoder, shapes: ShapeSamples[], args: FitLatentsArgs = {}): Promise<Float32Array[]> {
  if (shapes.length === 0) return [];
  const { steps = 300, learningRate = 1e-2, pointsPerStep = 4096, level = 64, voxelResolution = 256, regularization = 1e-4, seed = 1, initial } = args;
  const size = decoder.architecture.latentSize;
  const count = shapes.length;
  if (initial && (initial.length !== count || initial.some((code) => code.length !== size))) {
    throw new RangeError(`fitLatents: expected ${count} initial codes of length ${size}, got ${initial.length}`);
  }
  const start = initial ? Float32Array.from(initial.flatMap((code) => Array.from(code))) : initialLatents(count, size, seed);
  const table = tf.tidy(() => tf.variable(tf.tensor2d(start, [count, size])));
  const adam = new Adam([{ name: 'latents', variable: table }], { learningRate, beta1: 0.9, beta2: 0.999 });
  const available = Math.min(...shapes.map((s) => s.values[level].length));
  const points = Math.min(pointsPerStep, available);
  const xyz = new Float32Array(count * points * 3);
  const targets = new Float32Array(count * points);
  try {
    for (let step = 0; step < steps; step++) {
      // A fresh random subset each step (prepare stores samples in a spatial order).
      const indices = permutation(available, createRandom(mixSeed(seed, 0x5eed, step))).slice(0, points);
      shapes.forEach((s, i) => copyPointSamples(s, level, indices, voxelResolution, xyz, targets, i * points));
      tf.tidy(() => {
        const p = tf.tensor2d(xyz, [count * points, 3]);
        const t = tf.tensor1d(targets);
        const { value, grads } = tf.variableGrads(() => {
          const predicted = decoder.forward(p, latentPerPoint(table as tf.Tensor2D, points));
          return tf.add(tf.mean(tf.square(tf.sub(predicted, t))), tf.mul(regularization, tf.mean(tf.square(tf.sub(table, 0.5))))) as tf.Scalar;
        }, [table]);
        adam.apply(grads);
        table.assign(tf.clipByValue(table, 0, 1));
        value.dispose();
      });
      // Yield to the event loop now and then, so progress output and signals get through.
      if (step % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    const values = (await table.data()) as Float32Array;
    return Array.from({ length: count }, (_, i) => values.slice(i * size, (i + 1) * size));
  } finally {
    adam.dispose();
    table.dispose();
  }
}
