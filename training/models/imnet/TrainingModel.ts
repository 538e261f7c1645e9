/**
 * Everything one IM-NET training run updates (decoder, encoder or latent table, Adam's moments) and
 * its step as a gradient pass. The Trainer drives it (trainImNet.ts); the `train` benchmark times
 * `trainStep` on it directly.
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import { conv3dPathFor } from '../../nn/conv3d.js';
import { initialLatents, latentPerPoint, latentRows } from './latents.js';
import type { Gradients, TrainingModule } from '../../trainer/TrainingModule.js';
import type { ModelConfig } from './config.js';
import { initialDecoderWeights, TrainingDecoder } from './TrainingDecoder.js';
import { voxelBatch, VoxelEncoder } from './VoxelEncoder.js';

/** One step's data: `pointsPerShape` points (xyz, 0/1 target) for each of the batch's shapes, shape-major. */
export interface TrainingBatch {
  /** Indices of the shapes in the training ids (the auto-decoder's table rows). */
  shapeIndices: number[];
  /** The shapes' 64^3 voxels (IM-AE's encoder input); unused by the auto-decoder. */
  voxels: Uint8Array[];
  pointsPerShape: number;
  /** `3 * shapes * pointsPerShape` floats. */
  points: Float32Array;
  /** `shapes * pointsPerShape` values, 0 or 1. */
  targets: Float32Array;
}

export type { ModelConfig } from './config.js';

/** IM-AE or auto-decoder as a {@link TrainingModule}: the decoder with the voxel encoder or the latent table, and one Adam. */
export class TrainingModel implements TrainingModule<TrainingBatch> {
  readonly decoder: TrainingDecoder;
  /** IM-AE's encoder (null in auto-decoder mode). */
  readonly encoder: VoxelEncoder | null;
  /** The auto-decoder's latent table `[trainCount, latentSize]` (null in IM-AE mode). */
  readonly table: tf.Variable | null;
  readonly adam: Adam;
  /** Everything trained, with the names checkpoints use. */
  readonly trainables: NamedVariable[];
  /** One pass per step: the batch's MSE (plus, for the auto-decoder, the latents' pull toward 0.5). */
  readonly passes = ['loss'] as const;

  /** `initialTable`: the auto-decoder's starting codes, `trainCount * latentSize` values (default: noise around 0.5). */
  constructor(readonly config: ModelConfig, trainCount: number, initialTable?: Float32Array) {
    const { architecture, seed } = config;
    const latentSize = architecture.latentSize;
    this.decoder = new TrainingDecoder(initialDecoderWeights(architecture, seed));
    this.encoder = config.mode === 'autoencoder'
      ? new VoxelEncoder({ latentSize, width: config.encoderWidth, seed: seed + 1, convPath: conv3dPathFor(tf.getBackend()), leakySlope: architecture.leakySlope })
      : null;
    if (initialTable && initialTable.length !== trainCount * latentSize) throw new RangeError(`TrainingModel: the initial latent table has ${initialTable.length} values; expected ${trainCount} x ${latentSize}`);
    this.table = config.mode === 'autodecoder' ? tf.tidy(() => tf.variable(tf.tensor2d(initialTable ?? initialLatents(trainCount, latentSize, seed), [trainCount, latentSize]))) : null;
    this.trainables = [...this.decoder.variables, ...(this.encoder?.variables ?? []), ...(this.table ? [{ name: 'latents/train', variable: this.table }] : [])];
    this.adam = new Adam(this.trainables, { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 }, { 'latents/train': config.latentLearningRate });
  }

  get variables(): readonly NamedVariable[] {
    return this.trainables;
  }

  get optimizers(): readonly Adam[] {
    return [this.adam];
  }

  computeGradients(batch: TrainingBatch): Gradients {
    const shapes = batch.shapeIndices.length;
    const n = shapes * batch.pointsPerShape;
    return tf.tidy(() => {
      const xyz = tf.tensor2d(batch.points.subarray(0, 3 * n), [n, 3]);
      const target = tf.tensor1d(batch.targets.subarray(0, n));
      const voxels = this.encoder ? voxelBatch(batch.voxels) : null;
      const { value, grads } = tf.variableGrads(() => {
        const z = this.encoder ? this.encoder.forward(voxels!) : latentRows(this.table as tf.Tensor2D, batch.shapeIndices);
        const predicted = this.decoder.forward(xyz, latentPerPoint(z, batch.pointsPerShape));
        const mse = tf.mean(tf.square(tf.sub(predicted, target)));
        return (this.table ? tf.add(mse, tf.mul(this.config.latentRegularization, tf.mean(tf.square(tf.sub(z, 0.5))))) : mse) as tf.Scalar;
      }, this.trainables.map((t) => t.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    tf.tidy(() => {
      this.adam.apply(grads);
      // Codes stay in [0, 1]: the range of the sigmoid encoder and of the GAN generator.
      if (this.table) this.table.assign(tf.clipByValue(this.table, 0, 1));
    });
  }

  dispose(): void {
    this.adam.dispose();
    this.decoder.dispose();
    this.encoder?.dispose();
    this.table?.dispose();
  }
}
