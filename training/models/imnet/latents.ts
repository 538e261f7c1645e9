/**
 * Latent codes without an encoder (auto-decoding, as DeepSDF): the starting codes of a table and the
 * ops that read it. New shapes are encoded by fitLatents.ts. Codes stay in [0, 1], the range of
 * IM-NET's sigmoid encoder and of the GAN generator's output.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, gaussian } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import { mixSeed } from '../../util/seeds.js';

/** Initial codes: 0.5 plus a little seeded noise (DeepSDF starts near its prior's mean too). */
export function initialLatents(count: number, latentSize: number, seed: number): Float32Array {
  const random = createRandom(mixSeed(seed, 0x1a7e));
  return Float32Array.from({ length: count * latentSize }, () => 0.5 + 0.01 * gaussian(random));
}

/** Rows `indices` of `table` `[count, size]` as `[indices.length, size]`: a one-hot matMul, because tfjs-wasm has no gradient kernel for gather. */
export function latentRows(table: tf.Tensor2D, indices: number[]): tf.Tensor2D {
  return tf.tidy(() => {
    // tf.oneHot needs a depth of at least 2; a one-row table's one-hot is a column of ones.
    const selector = table.shape[0] === 1 ? tf.ones([indices.length, 1]) : tf.oneHot(tf.tensor1d(indices, 'int32'), table.shape[0]).toFloat();
    return matMulFastGrad(selector as tf.Tensor2D, table);
  });
}

/** Each shape's latent repeated for its `pointsPerShape` points: `[shapes * points, size]` from `[shapes, size]`. */
export function latentPerPoint(latents: tf.Tensor2D, pointsPerShape: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [shapes, size] = latents.shape;
    // A broadcast multiply: its gradient sums over the points, and it needs no Tile/gather gradient.
    return tf.reshape(tf.mul(tf.ones([shapes, pointsPerShape, 1]), tf.reshape(latents, [shapes, 1, size])), [shapes * pointsPerShape, size]) as tf.Tensor2D;
  });
}
