/**
 * The 2D experiments' CNN decoder (CNN-AE, VAE, and the generator of DCGAN and WGAN): the encoder
 * mirrored. A code -> dense to a 4 x 4 x w3 block (the transpose of the encoder's 4x4 -> 1x1 head) ->
 * 4x4 transposed convolutions 4 -> 7 -> 14 -> 28 (stride 2) and 28 -> 28 x 1 (stride 1), batch norm and
 * LeakyReLU between them, a sigmoid at the end.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import type { NamedVariable } from '../../nn/Adam.js';
import { conv2dTransposeSame } from '../../nn/conv2d.js';
import { DIGIT_PIXELS, DIGIT_SIZE } from '../../data/mnist/mnistDigits.js';
import { FEATURE_SIZES, KERNEL, STRIDES } from './ConvEncoder.js';
import { batchNorm, batchNormParameters, constant, heNormal, namedBatchNorm, type BatchNormParameters } from './layers.js';
import type { DigitDecoder } from './DigitDecoder.js';

/** Options of {@link ConvDecoder}. */
export interface ConvDecoderArgs {
  /** Variable names start with it: `decoder`, `generator`. */
  prefix: string;
  codeSize: number;
  /** The mirrored encoder's widths (the decoder runs them backwards). */
  widths: readonly [number, number, number, number];
  leakySlope: number;
  seed: number;
}

interface DeconvLayer {
  /** `[4, 4, out, in]`: the filter of the convolution this layer transposes. */
  filter: tf.Variable;
  bias: tf.Variable;
  norm: BatchNormParameters | null;
}

export class ConvDecoder implements DigitDecoder {
  readonly codeSize: number;
  private readonly dense: tf.Variable;
  private readonly denseNorm: BatchNormParameters;
  private readonly layers: DeconvLayer[];

  constructor(readonly args: ConvDecoderArgs) {
    const random = createRandom(args.seed);
    const w = args.widths;
    this.codeSize = args.codeSize;
    this.dense = heNormal([args.codeSize, FEATURE_SIZES[3] ** 2 * w[3]], args.codeSize, random);
    this.denseNorm = batchNormParameters(FEATURE_SIZES[3] ** 2 * w[3]);
    // From the 4x4 block outwards: w3 -> w2 (7), w2 -> w1 (14), w1 -> w0 (28), w0 -> 1 (28, stride 1).
    const channels = [1, ...w];
    this.layers = [3, 2, 1, 0].map((i) => ({
      filter: heNormal([KERNEL, KERNEL, channels[i], channels[i + 1]], KERNEL * KERNEL * channels[i + 1], random, i === 0 ? 0.5 : 1),
      bias: constant([channels[i]], 0),
      norm: i === 0 ? null : batchNormParameters(channels[i]),
    }));
  }

  /** Trainable variables, `<prefix>/dense/kernel`, `<prefix>/deconv{k}/filter|bias`, `<prefix>/bn*`. */
  get variables(): NamedVariable[] {
    const p = this.args.prefix;
    return [
      { name: `${p}/dense/kernel`, variable: this.dense },
      ...namedBatchNorm(`${p}/bn-dense`, this.denseNorm),
      ...this.layers.flatMap((l, k) => [
        { name: `${p}/deconv${k}/filter`, variable: l.filter },
        { name: `${p}/deconv${k}/bias`, variable: l.bias },
        ...(l.norm ? namedBatchNorm(`${p}/bn${k}`, l.norm) : []),
      ]),
    ];
  }

  /** Grey values `[batch, 784]` (28 x 28, row-major from the top) for codes `[batch, codeSize]`. */
  decodeImages(codes: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const batch = codes.shape[0];
      const block = tf.leakyRelu(batchNorm(matMulFastGrad(codes, this.dense as tf.Tensor2D), this.denseNorm), this.args.leakySlope);
      let h = tf.reshape(block, [batch, FEATURE_SIZES[3], FEATURE_SIZES[3], this.args.widths[3]]) as tf.Tensor4D;
      [3, 2, 1, 0].forEach((i, k) => {
        const layer = this.layers[k];
        const size = i === 0 ? DIGIT_SIZE : FEATURE_SIZES[i - 1];
        let a = tf.add(conv2dTransposeSame(h, layer.filter as tf.Tensor4D, size, size, STRIDES[i]), layer.bias) as tf.Tensor4D;
        if (layer.norm) a = tf.leakyRelu(batchNorm(a, layer.norm), this.args.leakySlope) as tf.Tensor4D;
        h = a;
      });
      return tf.reshape(tf.sigmoid(h), [batch, DIGIT_PIXELS]) as tf.Tensor2D;
    });
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
  }
}
