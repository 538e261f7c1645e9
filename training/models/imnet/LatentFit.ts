/**
 * Encoding shapes without an encoder (auto-decoding, as DeepSDF): each shape's code is optimised
 * against the frozen decoder to reproduce its point samples. A model and a data source for the
 * Trainer (so it gets the loop, callbacks and data-parallel workers like training does): one table of
 * codes, one Adam, every step all shapes with a fresh random subset of each one's samples.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, type DecoderWeights } from '#core';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import type { BatchSource, Gradients, StageSpec, TrainingModule, TrainingPosition } from '../../trainer/TrainingModule.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import { foldedDecoderLoss } from './foldedDecoderLoss.js';
import { latentRows } from './latents.js';
import type { PointLossName } from './pointLoss.js';
import { copyPointSamples, type SampleLevel, type ShapeSamples } from './samples.js';
import { TrainingDecoder } from './TrainingDecoder.js';
import type { TrainingBatch } from './TrainingModel.js';

/** The settings of a fit that decide its result. */
export interface LatentFitConfig {
  /** Adam learning rate of the codes. */
  learningRate: number;
  /** Weight of the pull of codes toward 0.5 (a weak prior). */
  regularization: number;
  /** The loss the decoder was trained with. */
  loss: PointLossName;
}

/** The codes of `count` shapes against a frozen decoder, as a TrainingModule (batches: TrainingBatch without voxels). */
export class LatentFitModel implements TrainingModule<TrainingBatch> {
  readonly passes = ['loss'] as const;
  readonly table: tf.Variable;
  readonly adam: Adam;
  readonly variables: readonly NamedVariable[];

  /** `initial`: `count * latentSize` starting values. The decoder is not disposed with the fit. */
  constructor(readonly decoder: TrainingDecoder, count: number, initial: Float32Array, readonly config: LatentFitConfig) {
    const size = decoder.architecture.latentSize;
    if (initial.length !== count * size) throw new RangeError(`LatentFitModel: ${initial.length} starting values; expected ${count} codes of ${size}`);
    this.table = tf.tidy(() => tf.variable(tf.tensor2d(initial, [count, size])));
    this.variables = [{ name: 'latents/fit', variable: this.table }];
    this.adam = new Adam(this.variables as NamedVariable[], { learningRate: config.learningRate, beta1: 0.9, beta2: 0.999 });
  }

  get optimizers(): readonly Adam[] {
    return [this.adam];
  }

  computeGradients(batch: TrainingBatch): Gradients {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const z = latentRows(this.table as tf.Tensor2D, batch.shapeIndices);
        const fit = foldedDecoderLoss(this.decoder, z, batch, { trainDecoder: false, loss: this.config.loss });
        return tf.add(fit, tf.mul(this.config.regularization, tf.mean(tf.square(tf.sub(z, 0.5))))) as tf.Scalar;
      }, [this.table]);
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.adam.apply(grads);
    // Codes stay in [0, 1]: the range of the codes the decoder was trained on.
    tf.tidy(() => this.table.assign(tf.clipByValue(this.table, 0, 1)));
  }

  /** The fitted codes, one per shape. */
  async codes(): Promise<Float32Array[]> {
    const size = this.decoder.architecture.latentSize;
    const values = (await this.table.data()) as Float32Array;
    return Array.from({ length: this.table.shape[0] }, (_, i) => values.slice(i * size, (i + 1) * size));
  }

  dispose(): void {
    this.adam.dispose();
    this.table.dispose();
  }
}

/** What a worker needs to build a {@link LatentFitModel} replica (codes come from replica 0). */
export interface LatentFitReplicaArgs {
  weights: DecoderWeights;
  count: number;
  config: LatentFitConfig;
}

/** Called in a worker thread (DataParallel's factory contract, export `createLatentFitReplica`). */
export function createLatentFitReplica(args: LatentFitReplicaArgs): LatentFitModel {
  const size = args.weights.architecture.latentSize;
  return new LatentFitModel(new TrainingDecoder(args.weights), args.count, new Float32Array(args.count * size), args.config);
}

/**
 * The fit's data: one stage of `rounds` epochs of `stepsPerRound` steps (a round is what early
 * stopping looks at); each step every shape with a random subset of `pointsPerShape` of its samples,
 * chosen from `(seed, global step)` so a fit is the same on every run. With `farFraction`, that share
 * of each step's points comes from the 16^3 samples, which cover the whole box: near-surface points
 * alone say nothing about the empty space away from the shape, where a code can then grow floating blobs.
 */
export class LatentFitBatches implements BatchSource<TrainingBatch> {
  readonly stages: StageSpec[];
  private readonly available: number;
  private readonly farAvailable: number;
  private readonly pointsPerShape: number;

  constructor(
    private readonly shapes: readonly ShapeSamples[],
    private readonly args: { rounds: number; stepsPerRound: number; pointsPerShape: number; level: SampleLevel; voxelResolution: number; seed: number; farFraction?: number },
  ) {
    this.stages = [{ name: 'fit', epochs: args.rounds }];
    this.available = Math.min(...shapes.map((s) => s.values[args.level].length));
    this.farAvailable = Math.min(...shapes.map((s) => s.values[16].length));
    this.pointsPerShape = Math.min(args.pointsPerShape, this.available);
  }

  steps(): number {
    return this.args.stepsPerRound;
  }

  batch({ epoch, step }: TrainingPosition): TrainingBatch {
    const { level, voxelResolution, seed, stepsPerRound } = this.args;
    const n = this.pointsPerShape;
    const points = new Float32Array(3 * this.shapes.length * n);
    const targets = new Float32Array(this.shapes.length * n);
    // A fresh random subset each step (prepare stores samples in a spatial order).
    const far = level === 16 ? 0 : Math.min(Math.round((this.args.farFraction ?? 0) * n), this.farAvailable);
    const indices = permutation(this.available, createRandom(mixSeed(seed, 0x5eed, epoch * stepsPerRound + step))).slice(0, n - far);
    const farIndices = far > 0 ? permutation(this.farAvailable, createRandom(mixSeed(seed, 0xfa7, epoch * stepsPerRound + step))).slice(0, far) : [];
    this.shapes.forEach((s, i) => {
      copyPointSamples(s, level, indices, voxelResolution, points, targets, i * n);
      if (far > 0) copyPointSamples(s, 16, farIndices, voxelResolution, points, targets, i * n + indices.length);
    });
    return { shapeIndices: this.shapes.map((_, i) => i), voxels: [], pointsPerShape: n, points, targets };
  }

  sampleCount(batch: TrainingBatch): number {
    return batch.shapeIndices.length * batch.pointsPerShape;
  }
}
