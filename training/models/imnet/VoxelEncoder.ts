/**
 * IM-NET's 3D CNN encoder (IM-AE, as in IM-NET-pytorch's `encoder`): 64^3 voxels -> four convolutions
 * (kernel 4, stride 2, padding 1, no bias) each followed by instance norm and LeakyReLU(0.02), widths
 * w, 2w, 4w, 8w -> a 4^3 convolution with bias to the latent -> sigmoid. IM-NET uses w = 32.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import type { NamedVariable } from '../../nn/Adam.js';
import { conv3dK4S2, type Conv3dPath } from '../../nn/conv3d.js';

/** Voxels per axis of the encoder's input. */
export const ENCODER_RESOLUTION = 64;

/** Options of {@link VoxelEncoder}. */
export interface VoxelEncoderArgs {
  /** Latent size (the decoder's `latentSize`). */
  latentSize: number;
  /** Channels of the first convolution (IM-NET's `ef_dim`); later ones double. Default 32. */
  width?: number;
  /** Seed of the Xavier-uniform initialisation. Default 1. */
  seed?: number;
  /** How convolutions run; see `conv3dPathFor`. Default `patches`. */
  convPath?: Conv3dPath;
  /** Leaky slope of the hidden activations. Default 0.02 (IM-NET). */
  leakySlope?: number;
}

/** PyTorch's InstanceNorm3d default: epsilon 1e-5, no affine parameters. */
const INSTANCE_NORM_EPSILON = 1e-5;

/** Per-sample, per-channel normalisation over the spatial axes of `[batch, d, h, w, channels]`. */
export function instanceNorm(x: tf.Tensor5D): tf.Tensor5D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2, 3], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, INSTANCE_NORM_EPSILON))) as tf.Tensor5D;
  });
}

/** Xavier-uniform values for a conv filter (fan in/out count the 4^3 taps, as PyTorch does). */
function xavierUniform(count: number, fanIn: number, fanOut: number, random: () => number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: count }, () => (2 * random() - 1) * limit);
}

export class VoxelEncoder {
  readonly latentSize: number;
  readonly width: number;
  readonly leakySlope: number;
  convPath: Conv3dPath;
  /** Filters `[4, 4, 4, in, out]` of the four strided convolutions. */
  private readonly filters: tf.Variable[];
  /** The last convolution as a dense layer over the flattened 4^3 x 8w block: `[64 * 8w, latentSize]`. */
  private readonly head: tf.Variable;
  private readonly headBias: tf.Variable;

  constructor(args: VoxelEncoderArgs) {
    this.latentSize = args.latentSize;
    this.width = args.width ?? 32;
    this.leakySlope = args.leakySlope ?? 0.02;
    this.convPath = args.convPath ?? 'patches';
    if (!Number.isInteger(this.width) || this.width < 1) throw new RangeError(`encoder width: expected a positive integer, got ${this.width}`);
    const random = createRandom(args.seed ?? 1);
    const w = this.width;
    const channels = [1, w, 2 * w, 4 * w, 8 * w];
    this.filters = channels.slice(1).map((out, i) => {
      const inC = channels[i];
      return tf.tidy(() => tf.variable(tf.tensor5d(xavierUniform(64 * inC * out, 64 * inC, 64 * out, random), [4, 4, 4, inC, out])));
    });
    const headRows = 64 * 8 * w;
    this.head = tf.tidy(() => tf.variable(tf.tensor2d(xavierUniform(headRows * this.latentSize, headRows, 64 * this.latentSize, random), [headRows, this.latentSize])));
    this.headBias = tf.tidy(() => tf.variable(tf.zeros([this.latentSize])));
  }

  /** Trainable variables with stable names (what checkpoints store). */
  get variables(): NamedVariable[] {
    return [
      ...this.filters.map((variable, i) => ({ name: `encoder/conv${i}/filter`, variable })),
      { name: 'encoder/conv4/filter', variable: this.head },
      { name: 'encoder/conv4/bias', variable: this.headBias },
    ];
  }

  /** Latents `[batch, latentSize]` in (0, 1) for voxels `[batch, 64, 64, 64, 1]`. */
  forward(voxels: tf.Tensor5D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = voxels;
      this.filters.forEach((filter, i) => {
        h = tf.leakyRelu(instanceNorm(conv3dK4S2(h, filter as tf.Tensor5D, this.convPath, i === 0)), this.leakySlope) as tf.Tensor5D;
      });
      const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
      return tf.sigmoid(tf.add(matMulFastGrad(flat, this.head as tf.Tensor2D), this.headBias)) as tf.Tensor2D;
    });
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
  }
}

/**
 * Voxels of several shapes as the encoder's input `[count, 64, 64, 64, 1]`. `voxels64` index is
 * `x + 64 (y + 64 z)`, so the tensor axes are (z, y, x); the encoder does not care which is which as
 * long as every shape uses the same order.
 */
export function voxelBatch(voxels: Uint8Array[]): tf.Tensor5D {
  const size = ENCODER_RESOLUTION ** 3;
  const values = new Float32Array(voxels.length * size);
  voxels.forEach((v, i) => {
    if (v.length !== size) throw new RangeError(`voxels64 has ${v.length} values; expected 64^3 = ${size}`);
    for (let k = 0; k < size; k++) values[i * size + k] = v[k];
  });
  return tf.tensor5d(values, [voxels.length, ENCODER_RESOLUTION, ENCODER_RESOLUTION, ENCODER_RESOLUTION, 1]);
}
