/**
 * CNN-AE, IM-AE, VAE and VAE_IM: the CNN encoder with a CNN or an implicit decoder, trained to
 * reconstruct the training digits (MSE, as in the paper). The auto-encoders' codes go through a
 * sigmoid (what CNN-GAN's and IM-GAN's latent GANs then learn); the VAEs' head gives a mean and a
 * log-variance, the code is sampled by reparameterisation, and the loss per image is the summed squared
 * error plus `klWeight` times the KL divergence to N(0, I).
 *
 * An implicit decoder sees `pointsPerImage` of the 784 pixel centres per step (a fresh random subset,
 * the same for the batch's images); 784 is the paper's setting (all of them).
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import { DIGIT_PIXELS, DIGIT_SIZE, pixelCentres } from '../../data/mnist/mnistDigits.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import { ConvDecoder } from './ConvDecoder.js';
import { ConvEncoder } from './ConvEncoder.js';
import type { DigitDecoder } from './DigitDecoder.js';
import { decodeInBatches, normalNoise, type DigitBatch, type DigitModel } from './DigitModel.js';
import type { Gradients } from '../../trainer/TrainingModule.js';
import { implicitDigitArchitecture, isImplicitModel, type DigitTrainConfig } from './digitsConfig.js';
import { ImplicitDigitDecoder } from './ImplicitDigitDecoder.js';

const PIXEL_CENTRES = pixelCentres(DIGIT_SIZE);

export class DigitAutoEncoder implements DigitModel {
  readonly encoder: ConvEncoder;
  readonly decoder: DigitDecoder;
  readonly variational: boolean;
  readonly variables: NamedVariable[];
  readonly optimizers: readonly Adam[];
  /** One pass: the reconstruction loss (per-pixel MSE; for the VAEs, summed squared error + KL per image). */
  readonly passes = ['loss'] as const;
  readonly realBatchesPerStep = 1;

  constructor(readonly config: DigitTrainConfig) {
    const { model, networks, seed } = config;
    if (!['cnn-ae', 'im-ae', 'vae', 'vae-im'].includes(model)) throw new RangeError(`DigitAutoEncoder: '${model}' is not an auto-encoder or VAE`);
    this.variational = model === 'vae' || model === 'vae-im';
    const code = networks.codeSize;
    this.encoder = new ConvEncoder({
      prefix: 'encoder', widths: networks.encoderWidths, headUnits: this.variational ? 2 * code : code,
      batchNorm: true, leakySlope: networks.leakySlope, seed: mixSeed(seed, 1),
    });
    this.decoder = isImplicitModel(model)
      ? new ImplicitDigitDecoder(implicitDigitArchitecture(networks), mixSeed(seed, 2))
      : new ConvDecoder({ prefix: 'decoder', codeSize: code, widths: networks.encoderWidths, leakySlope: networks.leakySlope, seed: mixSeed(seed, 2) });
    this.variables = [...this.encoder.variables, ...this.decoder.variables];
    this.optimizers = [new Adam(this.variables, { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 })];
  }

  /** The VAEs sample N(0, I) codes; the auto-encoders do not sample on their own (their latent GANs do). */
  get sampleInputSize(): number {
    return this.variational ? this.config.networks.codeSize : 0;
  }

  /** The pixels an implicit decoder is trained on in a step (null: all 784). */
  private pixelsFor(seed: number): Int32Array | null {
    if (!(this.decoder instanceof ImplicitDigitDecoder) || this.config.pointsPerImage >= DIGIT_PIXELS) return null;
    const order = permutation(DIGIT_PIXELS, createRandom(mixSeed(seed, 0x9a1)));
    return Int32Array.from(order.slice(0, this.config.pointsPerImage));
  }

  computeGradients(batch: DigitBatch): Gradients {
    const images = batch.real[0];
    const count = images.length / DIGIT_PIXELS;
    const code = this.config.networks.codeSize;
    const pixels = this.pixelsFor(batch.seed);
    const points = pixels ? pixels.length : DIGIT_PIXELS;
    const targets = pixels ? gatherPixels(images, pixels) : images;
    const eps = this.variational ? normalNoise(count, code, batch.seed, 0x7ae) : null;
    return tf.tidy(() => {
      const x = tf.tensor4d(images, [count, DIGIT_SIZE, DIGIT_SIZE, 1]);
      const target = tf.tensor2d(targets, [count, points]);
      const xy = pixels ? tf.tensor2d(gatherXy(pixels), [points, 2]) : null;
      const { value, grads } = tf.variableGrads(() => {
        const head = this.encoder.forward(x);
        let z: tf.Tensor2D;
        let kl: tf.Tensor | null = null;
        if (this.variational) {
          const mean = tf.slice(head, [0, 0], [-1, code]);
          const logVar = tf.slice(head, [0, code], [-1, code]);
          z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), tf.tensor2d(eps!, [count, code]))) as tf.Tensor2D;
          kl = tf.mean(tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), 1)));
        } else {
          z = tf.sigmoid(head);
        }
        const predicted = xy ? (this.decoder as ImplicitDigitDecoder).decodePoints(z, xy) : this.decoder.decodeImages(z);
        const mse = tf.mean(tf.square(tf.sub(predicted, target)));
        // A VAE's likelihood term is summed over the image's 784 pixels (scaled up from a subset).
        return (kl ? tf.add(tf.mul(mse, DIGIT_PIXELS), tf.mul(this.config.klWeight, kl)) : mse) as tf.Scalar;
      }, this.variables.map((v) => v.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.optimizers[0].apply(grads);
  }

  /** Codes `[count, codeSize]` of `images` (`count * 784` values): the sigmoid codes, or a VAE's means. */
  async encode(images: Float32Array, batchSize = 50): Promise<Float32Array> {
    const code = this.config.networks.codeSize;
    return decodeInBatches(images, DIGIT_PIXELS, code, batchSize, (x) => {
      const head = this.encoder.forward(tf.reshape(x, [x.shape[0], DIGIT_SIZE, DIGIT_SIZE, 1]) as tf.Tensor4D);
      return this.variational ? tf.slice(head, [0, 0], [-1, code]) : tf.sigmoid(head);
    });
  }

  /** Images `[count, size^2]` decoded from codes (or a VAE's N(0, I) samples). */
  async generate(inputs: Float32Array, options: { size?: number; batchSize?: number } = {}): Promise<Float32Array> {
    const size = options.size ?? DIGIT_SIZE;
    if (size !== DIGIT_SIZE && !(this.decoder instanceof ImplicitDigitDecoder)) throw new RangeError(`${this.config.model}: a CNN decoder makes ${DIGIT_SIZE} x ${DIGIT_SIZE} images only, not ${size} x ${size}`);
    const code = this.config.networks.codeSize;
    return decodeInBatches(inputs, code, size * size, options.batchSize ?? 64, (z) =>
      this.decoder instanceof ImplicitDigitDecoder ? this.decoder.decodeImages(z, size) : this.decoder.decodeImages(z));
  }

  dispose(): void {
    this.optimizers[0].dispose();
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** The values of `pixels` in each 784-value image of `images`, image-major. */
export function gatherPixels(images: Float32Array, pixels: Int32Array): Float32Array {
  const batch = images.length / DIGIT_PIXELS;
  const out = new Float32Array(batch * pixels.length);
  for (let b = 0; b < batch; b++) for (let k = 0; k < pixels.length; k++) out[b * pixels.length + k] = images[b * DIGIT_PIXELS + pixels[k]];
  return out;
}

/** Pixel centres (x, y) of `pixels`. */
export function gatherXy(pixels: Int32Array): Float32Array {
  const xy = new Float32Array(2 * pixels.length);
  pixels.forEach((p, k) => { xy[2 * k] = PIXEL_CENTRES[2 * p]; xy[2 * k + 1] = PIXEL_CENTRES[2 * p + 1]; });
  return xy;
}
