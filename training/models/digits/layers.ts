/**
 * Parameters and small ops the digit networks share: seeded He-normal initialisation and batch norm.
 *
 * Batch norm normalises with the statistics of the batch at hand, in training and when sampling
 * alike (no running averages): samples are drawn and digits encoded in batches of 50-64, as they were
 * trained. It keeps every network's state to its trainable variables, which is all a checkpoint holds.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussian } from '#core';
import type { NamedVariable } from '../../nn/Adam.js';

/** A variable of He-normal values (std sqrt(2 / fanIn), for LeakyReLU layers) drawn from `random`. */
export function heNormal(shape: number[], fanIn: number, random: () => number, scale = 1): tf.Variable {
  const count = shape.reduce((a, b) => a * b, 1);
  const std = scale * Math.sqrt(2 / fanIn);
  return tf.tidy(() => tf.variable(tf.tensor(Float32Array.from({ length: count }, () => gaussian(random) * std), shape)));
}

/** A variable filled with `value`. */
export function constant(shape: number[], value: number): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value)));
}

/** Batch norm's scale and shift for `channels`. */
export interface BatchNormParameters {
  gamma: tf.Variable;
  beta: tf.Variable;
}

export function batchNormParameters(channels: number): BatchNormParameters {
  return { gamma: constant([channels], 1), beta: constant([channels], 0) };
}

/** PyTorch's BatchNorm epsilon. */
const BATCH_NORM_EPSILON = 1e-5;

/** Normalises every axis but the last over the batch (and space), then scales and shifts per channel. */
export function batchNorm(x: tf.Tensor, p: BatchNormParameters): tf.Tensor {
  return tf.tidy(() => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BATCH_NORM_EPSILON))), p.gamma), p.beta);
  });
}

/** Named variables of a batch norm, `<prefix>/gamma|beta`. */
export function namedBatchNorm(prefix: string, p: BatchNormParameters): NamedVariable[] {
  return [{ name: `${prefix}/gamma`, variable: p.gamma }, { name: `${prefix}/beta`, variable: p.beta }];
}
