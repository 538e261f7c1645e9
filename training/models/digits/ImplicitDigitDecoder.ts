/**
 * The implicit decoder of IM-AE, IM-GAN, VAE_IM and WGAN_IM: IM-NET's decoder (`TrainingDecoder`, the
 * one architecture definition) with two coordinates. A digit is its values at pixel centres, so it can
 * be decoded at any resolution (28 x 28 to train, 112 x 112 to show super-resolution).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImNetArchitecture } from '#core';
import type { NamedVariable } from '../../nn/Adam.js';
import { DIGIT_SIZE, pixelCentres } from '../../data/mnist/mnistDigits.js';
import { latentPerPoint } from '../imnet/latents.js';
import { initialDecoderWeights, TrainingDecoder } from '../imnet/TrainingDecoder.js';
import type { DigitDecoder } from './DigitDecoder.js';

export class ImplicitDigitDecoder implements DigitDecoder {
  readonly decoder: TrainingDecoder;
  private readonly grids = new Map<number, tf.Tensor2D>();

  constructor(architecture: ImNetArchitecture, seed: number) {
    if (architecture.pointSize !== 2) throw new RangeError(`ImplicitDigitDecoder: expected a 2D architecture (pointSize 2), got pointSize ${architecture.pointSize ?? 3}`);
    this.decoder = new TrainingDecoder(initialDecoderWeights(architecture, seed));
  }

  get codeSize(): number {
    return this.decoder.architecture.latentSize;
  }

  /** The decoder's variables, named as in a weights file (`decoder/dense{i}/kernel|bias`). */
  get variables(): NamedVariable[] {
    return this.decoder.variables;
  }

  /** Values `[batch, points]` at the same points `xy` (`[points, 2]`) for each code of `[batch, codeSize]`. */
  decodePoints(codes: tf.Tensor2D, xy: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [batch] = codes.shape;
      const points = xy.shape[0];
      const allXy = tf.reshape(tf.mul(tf.ones([batch, 1, 1]), tf.reshape(xy, [1, points, 2])), [batch * points, 2]) as tf.Tensor2D;
      return tf.reshape(this.decoder.forward(allXy, latentPerPoint(codes, points)), [batch, points]) as tf.Tensor2D;
    });
  }

  /** Grey values `[batch, size * size]` at the pixel centres of a `size` x `size` image (28 for MNIST's own grid). */
  decodeImages(codes: tf.Tensor2D, size = DIGIT_SIZE): tf.Tensor2D {
    let grid = this.grids.get(size);
    if (!grid) {
      grid = tf.keep(tf.tensor2d(pixelCentres(size), [size * size, 2]));
      this.grids.set(size, grid);
    }
    return this.decodePoints(codes, grid);
  }

  dispose(): void {
    this.decoder.dispose();
    for (const g of this.grids.values()) g.dispose();
    this.grids.clear();
  }
}
