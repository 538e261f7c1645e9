/**
 * The small digit classifier of our scoring protocol: trained on the held-out half of the MNIST
 * digits (so it never saw the digits the generative models learned from), it labels generated digits.
 * Two 4x4 stride-2 convolutions (8 and 16 channels, LeakyReLU) and a dense layer to 10 logits; trained
 * by the one Trainer (a `TrainingModule` with one pass, cross-entropy).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import { matMulFastGrad } from '../../nn/dense.js';
import { conv2dSame } from '../../nn/conv2d.js';
import { DIGIT_PIXELS, DIGIT_SIZE, type DigitSet } from '../../data/mnist/mnistDigits.js';
import { Trainer } from '../../trainer/Trainer.js';
import type { BatchSource, Gradients, StageSpec, TrainingModule, TrainingPosition } from '../../trainer/TrainingModule.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import { constant, heNormal } from '../../models/digits/layers.js';

/** A batch of labelled digits. */
export interface LabelledDigits {
  images: Float32Array;
  labels: Uint8Array;
}

const WIDTHS = [8, 16] as const;

export class DigitClassifier implements TrainingModule<LabelledDigits> {
  readonly variables: NamedVariable[];
  readonly optimizers: readonly Adam[];
  readonly passes = ['loss'] as const;
  private readonly filters: tf.Variable[];
  private readonly biases: tf.Variable[];
  private readonly dense: tf.Variable;
  private readonly denseBias: tf.Variable;

  constructor(seed = 1, learningRate = 1e-3) {
    const random = createRandom(seed);
    const channels = [1, ...WIDTHS];
    this.filters = WIDTHS.map((out, i) => heNormal([4, 4, channels[i], out], 16 * channels[i], random));
    this.biases = WIDTHS.map((out) => constant([out], 0));
    const flat = 7 * 7 * WIDTHS[1];
    this.dense = heNormal([flat, 10], 2 * flat, random);
    this.denseBias = constant([10], 0);
    this.variables = [
      ...this.filters.flatMap((variable, i) => [{ name: `classifier/conv${i}/filter`, variable }, { name: `classifier/conv${i}/bias`, variable: this.biases[i] }]),
      { name: 'classifier/dense/kernel', variable: this.dense }, { name: 'classifier/dense/bias', variable: this.denseBias },
    ];
    this.optimizers = [new Adam(this.variables, { learningRate })];
  }

  /** Logits `[batch, 10]` for `images` (`batch * 784` grey values). */
  logits(images: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = tf.reshape(images, [images.shape[0], DIGIT_SIZE, DIGIT_SIZE, 1]) as tf.Tensor4D;
      this.filters.forEach((f, i) => { h = tf.leakyRelu(tf.add(conv2dSame(h, f as tf.Tensor4D, 2), this.biases[i]), 0.02) as tf.Tensor4D; });
      return tf.add(matMulFastGrad(tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D, this.dense as tf.Tensor2D), this.denseBias) as tf.Tensor2D;
    });
  }

  computeGradients(batch: LabelledDigits): Gradients {
    const count = batch.labels.length;
    return tf.tidy(() => {
      const x = tf.tensor2d(batch.images, [count, DIGIT_PIXELS]);
      const y = tf.oneHot(tf.tensor1d(batch.labels, 'int32'), 10).toFloat();
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, this.logits(x)) as tf.Scalar, this.variables.map((v) => v.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.optimizers[0].apply(grads);
  }

  /** Class probabilities, row-major `[count, 10]`, for `count * 784` grey values. */
  async probabilities(images: Float32Array, batchSize = 256): Promise<Float32Array> {
    const count = images.length / DIGIT_PIXELS;
    const out = new Float32Array(count * 10);
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start);
      const p = tf.tidy(() => tf.softmax(this.logits(tf.tensor2d(images.subarray(start * DIGIT_PIXELS, (start + n) * DIGIT_PIXELS), [n, DIGIT_PIXELS]))));
      out.set((await p.data()) as Float32Array, start * 10);
      p.dispose();
    }
    return out;
  }

  dispose(): void {
    this.optimizers[0].dispose();
    for (const { variable } of this.variables) variable.dispose();
  }
}

/** The classifier's data: `epochs` seeded passes over labelled digits in batches of `batchSize`. */
export class LabelledBatches implements BatchSource<LabelledDigits> {
  readonly stages: readonly StageSpec[];

  constructor(private readonly digits: DigitSet, epochs: number, private readonly batchSize: number, private readonly seed: number) {
    this.stages = [{ name: 'classifier', epochs }];
  }

  steps(): number {
    return Math.floor(this.digits.count / this.batchSize);
  }

  batch({ epoch, step }: TrainingPosition): LabelledDigits {
    const order = permutation(this.digits.count, createRandom(mixSeed(this.seed, 0xc1a5, epoch)));
    const images = new Float32Array(this.batchSize * DIGIT_PIXELS);
    const labels = new Uint8Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      const i = order[step * this.batchSize + b];
      images.set(this.digits.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), b * DIGIT_PIXELS);
      labels[b] = this.digits.labels[i];
    }
    return { images, labels };
  }
}

/** Settings of the scoring classifier (fixed: the protocol's numbers depend on them). */
export const CLASSIFIER_TRAINING = { epochs: 6, batchSize: 50, learningRate: 1e-3, seed: 7 } as const;

/**
 * The scoring classifier, trained on `digits` (the held-out half) by the Trainer, or restored from
 * `checkpointFile` when that run already finished. Resolves to it and its accuracy on `check` digits.
 */
export async function trainDigitClassifier(digits: DigitSet, check: DigitSet, checkpointFile: string): Promise<{ classifier: DigitClassifier; accuracy: number }> {
  const { epochs, batchSize, learningRate, seed } = CLASSIFIER_TRAINING;
  const classifier = new DigitClassifier(seed, learningRate);
  mkdirSync(dirname(checkpointFile), { recursive: true });
  const trainer = new Trainer({ module: classifier, data: new LabelledBatches(digits, epochs, batchSize, seed), checkpointFile, name: 'classifier' });
  if (existsSync(checkpointFile)) trainer.resume();
  if (trainer.position.stage < 1) await trainer.fit();
  const probabilities = await classifier.probabilities(check.images);
  let correct = 0;
  for (let i = 0; i < check.count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probabilities[i * 10 + c] > probabilities[i * 10 + best]) best = c;
    if (best === check.labels[i]) correct++;
  }
  return { classifier, accuracy: correct / check.count };
}
