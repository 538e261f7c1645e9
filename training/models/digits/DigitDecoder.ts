/** What every digit decoder does: codes in, 28 x 28 grey images out. */
import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../../nn/Adam.js';

export interface DigitDecoder {
  readonly codeSize: number;
  /** Trainable variables with their stable names. */
  readonly variables: NamedVariable[];
  /** Grey values `[batch, 784]` (28 x 28, row-major from the top row) for codes `[batch, codeSize]`. */
  decodeImages(codes: tf.Tensor2D): tf.Tensor2D;
  dispose(): void;
}
