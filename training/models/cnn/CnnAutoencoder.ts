/**
 * The CNN-AE baseline as a trainable module: IM-AE's voxel encoder, the transposed-convolution
 * decoder (VoxelDecoder.ts), MSE between the decoded 64^3 occupancies and the shape's 64^3 voxels
 * (the same max-pooled grid IM-AE's decoder learns at its 64^3 level), Adam. A step is one gradient
 * pass, split in compute and apply so the trainer can sit between them.
 */
import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import type { Conv3dPath } from '../../nn/conv3d.js';
import type { Gradients, TrainingModule } from '../../trainer/TrainingModule.js';
import { voxelBatch, VoxelEncoder } from '../imnet/VoxelEncoder.js';
import { VoxelDecoder } from './VoxelDecoder.js';

/** The settings that shape the model and its optimizer (part of a CNN run's config). */
export interface CnnModelConfig {
  latentSize: number;
  /** Channels of the encoder's first convolution (IM-NET's ef_dim). */
  encoderWidth: number;
  /** Channels of the decoder's last hidden layer (VoxelDecoder's `width`). */
  decoderWidth: number;
  leakySlope: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  seed: number;
  /** The decoder's starting occupancy (VoxelDecoder's `initialOccupancy`): the training grids' mean. */
  initialOccupancy: number;
}

/** One step's data: the 64^3 voxels of the batch's shapes, the encoder's input and the target. */
export interface VoxelGridBatch {
  voxels: Uint8Array[];
}

export class CnnAutoencoder implements TrainingModule<VoxelGridBatch> {
  readonly encoder: VoxelEncoder;
  readonly decoder: VoxelDecoder;
  readonly adam: Adam;
  readonly variables: readonly NamedVariable[];
  /** One gradient pass per step, reported as the loss log's `loss` (MSE). */
  readonly passes = ['loss'] as const;

  constructor(readonly config: CnnModelConfig, convPath: Conv3dPath = 'patches') {
    const { latentSize, seed, leakySlope } = config;
    this.encoder = new VoxelEncoder({ latentSize, width: config.encoderWidth, seed: seed + 1, convPath, leakySlope });
    this.decoder = new VoxelDecoder({ latentSize, width: config.decoderWidth, seed: seed + 2, convPath, leakySlope, initialOccupancy: config.initialOccupancy });
    this.variables = [...this.encoder.variables, ...this.decoder.variables];
    this.adam = new Adam([...this.variables], { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 });
  }

  get optimizers(): readonly Adam[] {
    return [this.adam];
  }

  /** MSE of the reconstruction of `batch` and its gradients (the caller disposes both). */
  computeGradients(batch: VoxelGridBatch): Gradients {
    return tf.tidy(() => {
      const voxels = voxelBatch(batch.voxels);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(this.decoder.forward(this.encoder.forward(voxels)), voxels))) as tf.Scalar,
        this.variables.map((v) => v.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.adam.apply(grads);
  }

  dispose(): void {
    this.adam.dispose();
    this.encoder.dispose();
    this.decoder.dispose();
  }
}
