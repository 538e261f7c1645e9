/**
 * The CNN-AE baseline's decoder (IM-NET's comparison, Sec. 4.1): the encoder mirrored. latent -> a
 * 4^3 x 8w block (one dense layer, which is a 4^3 transposed convolution of a 1^3 input) -> three
 * transposed convolutions (kernel 4, stride 2, padding 1) to 8^3 x 4w, 16^3 x 2w, 32^3 x w, each
 * followed by instance norm and LeakyReLU(0.02) as in the encoder -> a last one with bias to 64^3 x 1
 * -> sigmoid: an occupancy per voxel of the 64^3 grid, which the evaluation meshes by marching cubes.
 *
 * `w` (`width`) is chosen so the parameter count is close to the IM decoder it is compared with
 * ({@link voxelDecoderWidthFor}); the counts are in docs/results.md.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import type { NamedVariable } from '../../nn/Adam.js';
import type { Conv3dPath } from '../../nn/conv3d.js';
import { deconv3dK4S2 } from '../../nn/deconv3d.js';
import { instanceNorm } from '../imnet/VoxelEncoder.js';

/** Voxels per axis of the decoder's output. */
export const DECODER_RESOLUTION = 64;

/** Options of {@link VoxelDecoder}. */
export interface VoxelDecoderArgs {
  latentSize: number;
  /** Channels of the last hidden layer (32^3); earlier ones double toward the 4^3 block (8w there). */
  width: number;
  /** Seed of the Xavier-uniform initialisation. Default 1. */
  seed?: number;
  /** How transposed convolutions run; see `conv3dPathFor`. Default `patches`. */
  convPath?: Conv3dPath;
  /** Leaky slope of the hidden activations. Default 0.02 (IM-NET). */
  leakySlope?: number;
  /**
   * The occupancy the decoder starts from everywhere (its output bias starts at this logit). Default
   * 0.5. The mean occupancy of the training grids (a few percent) spares the first steps the long
   * walk of one bias from 0.5 down to it: measured, a 6-step run at lr 3e-3 did not get there.
   */
  initialOccupancy?: number;
}

/** Channels of the 4^3, 8^3, 16^3, 32^3 and 64^3 grids for a width. */
export function voxelDecoderChannels(width: number): number[] {
  return [8 * width, 4 * width, 2 * width, width, 1];
}

/** Trainable parameters of a decoder of this latent size and width (head, four filters, the output bias). */
export function voxelDecoderParameterCount(latentSize: number, width: number): number {
  const channels = voxelDecoderChannels(width);
  let count = latentSize * 64 * channels[0];
  for (let i = 0; i < 4; i++) count += 64 * channels[i] * channels[i + 1];
  return count + 1;
}

/** The width whose parameter count is nearest `target` (e.g. the IM decoder's). */
export function voxelDecoderWidthFor(latentSize: number, target: number): number {
  let best = 1;
  for (let w = 1; w <= 1024; w++) {
    if (Math.abs(voxelDecoderParameterCount(latentSize, w) - target) < Math.abs(voxelDecoderParameterCount(latentSize, best) - target)) best = w;
    if (voxelDecoderParameterCount(latentSize, w) > 2 * target) break;
  }
  return best;
}

function xavierUniform(count: number, fanIn: number, fanOut: number, random: () => number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: count }, () => (2 * random() - 1) * limit);
}

export class VoxelDecoder {
  readonly latentSize: number;
  readonly width: number;
  readonly leakySlope: number;
  convPath: Conv3dPath;
  /** `[latentSize, 64 * 8w]`: the 4^3 block, (z, y, x, channel) order. */
  private readonly head: tf.Variable;
  /** Filters `[4, 4, 4, out, in]` of the four transposed convolutions. */
  private readonly filters: tf.Variable[];
  private readonly outputBias: tf.Variable;

  constructor(args: VoxelDecoderArgs) {
    this.latentSize = args.latentSize;
    this.width = args.width;
    this.leakySlope = args.leakySlope ?? 0.02;
    this.convPath = args.convPath ?? 'patches';
    if (!Number.isInteger(this.width) || this.width < 1) throw new RangeError(`decoder width: expected a positive integer, got ${this.width}`);
    if (!Number.isInteger(this.latentSize) || this.latentSize < 1) throw new RangeError(`latent size: expected a positive integer, got ${this.latentSize}`);
    const random = createRandom(args.seed ?? 1);
    const channels = voxelDecoderChannels(this.width);
    const headUnits = 64 * channels[0];
    this.head = tf.tidy(() => tf.variable(tf.tensor2d(xavierUniform(this.latentSize * headUnits, this.latentSize, headUnits, random), [this.latentSize, headUnits])));
    this.filters = channels.slice(0, 4).map((inC, i) => {
      const out = channels[i + 1];
      // PyTorch counts a transposed convolution's fans with in and out swapped; the sum is the same.
      return tf.tidy(() => tf.variable(tf.tensor5d(xavierUniform(64 * inC * out, 64 * inC, 64 * out, random), [4, 4, 4, out, inC])));
    });
    const p = args.initialOccupancy ?? 0.5;
    if (!(p > 0 && p < 1)) throw new RangeError(`initialOccupancy: expected a number in (0, 1), got ${p}`);
    this.outputBias = tf.tidy(() => tf.variable(tf.tensor1d([Math.log(p / (1 - p))])));
  }

  /** Trainable variables with stable names (what checkpoints store). */
  get variables(): NamedVariable[] {
    return [
      { name: 'cnnDecoder/head/kernel', variable: this.head },
      ...this.filters.map((variable, i) => ({ name: `cnnDecoder/deconv${i}/filter`, variable })),
      { name: 'cnnDecoder/deconv3/bias', variable: this.outputBias },
    ];
  }

  /** Parameters in all. */
  get parameterCount(): number {
    return this.variables.reduce((sum, { variable }) => sum + variable.size, 0);
  }

  /** Occupancies `[batch, 64, 64, 64, 1]` in (0, 1) for latents `[batch, latentSize]`. */
  forward(latents: tf.Tensor2D): tf.Tensor5D {
    return tf.tidy(() => {
      const batch = latents.shape[0];
      const c0 = voxelDecoderChannels(this.width)[0];
      let h = tf.reshape(matMulFastGrad(latents, this.head as tf.Tensor2D), [batch, 4, 4, 4, c0]) as tf.Tensor5D;
      h = tf.leakyRelu(instanceNorm(h), this.leakySlope) as tf.Tensor5D;
      this.filters.forEach((filter, i) => {
        h = deconv3dK4S2(h, filter as tf.Tensor5D, this.convPath);
        h = i < 3 ? (tf.leakyRelu(instanceNorm(h), this.leakySlope) as tf.Tensor5D) : (tf.sigmoid(tf.add(h, this.outputBias)) as tf.Tensor5D);
      });
      return h;
    });
  }

  /** 64^3 occupancy grids (index `x + 64 (y + 64 z)`, as `voxels64`) of latents, `batch` at a time. */
  async decode(latents: readonly ArrayLike<number>[], batch = 8): Promise<Float32Array[]> {
    const size = DECODER_RESOLUTION ** 3;
    const out: Float32Array[] = [];
    for (let start = 0; start < latents.length; start += batch) {
      const part = latents.slice(start, start + batch);
      const flat = new Float32Array(part.length * this.latentSize);
      part.forEach((z, i) => {
        if (z.length !== this.latentSize) throw new RangeError(`latent has ${z.length} values; this CNN decoder expects ${this.latentSize}`);
        flat.set(z, i * this.latentSize);
      });
      const grids = tf.tidy(() => this.forward(tf.tensor2d(flat, [part.length, this.latentSize])));
      const values = (await grids.data()) as Float32Array;
      grids.dispose();
      part.forEach((_, i) => out.push(values.slice(i * size, (i + 1) * size)));
    }
    return out;
  }

  /** Replaces the parameters with named values (a checkpoint's or a model file's). */
  load(tensors: ReadonlyMap<string, { values: Float32Array }>, source: string): void {
    for (const { name, variable } of this.variables) {
      const saved = tensors.get(name);
      if (!saved) throw new Error(`${source}: missing tensor ${name}`);
      if (saved.values.length !== variable.size) throw new Error(`${source}: ${name} has ${saved.values.length} values; a width-${this.width} decoder expects ${variable.size}`);
      tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
    }
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
  }
}
