/**
 * The 2D experiments' CNN encoder, and with another head the discriminator of DCGAN and the critic
 * of the WGANs: 28 x 28 x 1 images -> 4x4 convolutions (stride 1, then 2, 2, 2: 28 -> 28 -> 14 -> 7 -> 4)
 * with batch norm and LeakyReLU -> a 4x4 -> 1x1 head, which is a dense layer over the 4 x 4 x w3 block.
 *
 * A WGAN-GP critic has no batch norm (the penalty is per sample; Gulrajani et al. 2017, section 4),
 * and {@link ConvEncoder.inputGradient} writes its gradient with respect to the image as
 * differentiable ops, so the penalty's own gradient is an ordinary tfjs gradient (as `latentGan.ts`
 * does for the latent critic).
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import type { NamedVariable } from '../../nn/Adam.js';
import { conv2dSame, conv2dTransposeSame } from '../../nn/conv2d.js';
import { DIGIT_SIZE } from '../../data/mnist/mnistDigits.js';
import { batchNorm, batchNormParameters, constant, heNormal, namedBatchNorm, type BatchNormParameters } from './layers.js';

/** Kernel size of every convolution. */
export const KERNEL = 4;
/** Strides of the four convolutions. */
export const STRIDES = [1, 2, 2, 2] as const;
/** Side of each convolution's output: 28, 14, 7, 4. */
export const FEATURE_SIZES = [28, 14, 7, 4] as const;

/** Options of {@link ConvEncoder}. */
export interface ConvEncoderArgs {
  /** Variable names start with it: `encoder`, `discriminator`, `critic`. */
  prefix: string;
  widths: readonly [number, number, number, number];
  /** Outputs of the head: the code size, twice it (a VAE's mean and log-variance), or 1 (a logit). */
  headUnits: number;
  batchNorm: boolean;
  leakySlope: number;
  seed: number;
}

interface ConvLayer {
  filter: tf.Variable;
  bias: tf.Variable;
  norm: BatchNormParameters | null;
}

/** What {@link ConvEncoder.forwardWithActivations} returns: the head's output and each convolution's pre-activation. */
export interface EncoderPass {
  out: tf.Tensor2D;
  preActivations: tf.Tensor4D[];
}

export class ConvEncoder {
  readonly headUnits: number;
  private readonly layers: ConvLayer[];
  private readonly head: tf.Variable;
  private readonly headBias: tf.Variable;

  constructor(readonly args: ConvEncoderArgs) {
    const random = createRandom(args.seed);
    const channels = [1, ...args.widths];
    this.layers = args.widths.map((out, i) => ({
      filter: heNormal([KERNEL, KERNEL, channels[i], out], KERNEL * KERNEL * channels[i], random),
      bias: constant([out], 0),
      norm: args.batchNorm ? batchNormParameters(out) : null,
    }));
    const last = FEATURE_SIZES[3] ** 2 * args.widths[3];
    this.headUnits = args.headUnits;
    // Linear head: Xavier-like scale (He without the LeakyReLU gain).
    this.head = heNormal([last, args.headUnits], 2 * last, random);
    this.headBias = constant([args.headUnits], 0);
  }

  /** Trainable variables, `<prefix>/conv{i}/filter|bias`, `<prefix>/bn{i}/gamma|beta`, `<prefix>/head/kernel|bias`. */
  get variables(): NamedVariable[] {
    const p = this.args.prefix;
    return [
      ...this.layers.flatMap((l, i) => [
        { name: `${p}/conv${i}/filter`, variable: l.filter },
        { name: `${p}/conv${i}/bias`, variable: l.bias },
        ...(l.norm ? namedBatchNorm(`${p}/bn${i}`, l.norm) : []),
      ]),
      { name: `${p}/head/kernel`, variable: this.head },
      { name: `${p}/head/bias`, variable: this.headBias },
    ];
  }

  /** The head's output `[batch, headUnits]` (no output activation) for images `[batch, 28, 28, 1]`. */
  forward(images: tf.Tensor4D): tf.Tensor2D {
    return tf.tidy(() => {
      const { out, preActivations } = this.forwardWithActivations(images);
      for (const a of preActivations) a.dispose();
      return out;
    });
  }

  /** {@link forward}, keeping each convolution's pre-activation for {@link inputGradient}. */
  forwardWithActivations(images: tf.Tensor4D): EncoderPass {
    const preActivations: tf.Tensor4D[] = [];
    let h: tf.Tensor4D = images;
    this.layers.forEach((layer, i) => {
      let a = tf.add(conv2dSame(h, layer.filter as tf.Tensor4D, STRIDES[i]), layer.bias) as tf.Tensor4D;
      if (layer.norm) a = batchNorm(a, layer.norm) as tf.Tensor4D;
      preActivations.push(a);
      h = tf.leakyRelu(a, this.args.leakySlope) as tf.Tensor4D;
    });
    const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return { out: tf.add(matMulFastGrad(flat, this.head as tf.Tensor2D), this.headBias) as tf.Tensor2D, preActivations };
  }

  /**
   * Gradient of a one-unit head's output with respect to the input image, per sample
   * (`[batch, 28, 28, 1]`), as differentiable ops: back through the head, each LeakyReLU (its slope
   * mask, whose own derivative is zero almost everywhere) and each convolution (its transpose).
   * Only for an encoder without batch norm (a WGAN-GP critic).
   */
  inputGradient(preActivations: tf.Tensor4D[]): tf.Tensor4D {
    if (this.headUnits !== 1 || this.args.batchNorm) throw new Error('ConvEncoder.inputGradient: only for a one-unit head without batch norm (a WGAN-GP critic)');
    const batch = preActivations[0].shape[0];
    const slope = this.args.leakySlope;
    const last = preActivations[preActivations.length - 1];
    let g = tf.mul(tf.ones([batch, 1]), tf.reshape(this.head, [1, -1])).reshape(last.shape) as tf.Tensor4D;
    for (let i = this.layers.length - 1; i >= 0; i--) {
      g = tf.mul(g, tf.add(tf.mul(tf.step(preActivations[i]), 1 - slope), slope)) as tf.Tensor4D;
      const inSize = i === 0 ? DIGIT_SIZE : FEATURE_SIZES[i - 1];
      g = conv2dTransposeSame(g, this.layers[i].filter as tf.Tensor4D, inSize, inSize, STRIDES[i]);
    }
    return g;
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
  }
}
