/**
 * The CNN-AE's data: one stage on the 64^3 grids; each epoch the training shapes in a fresh order
 * (derived from `(seed, epoch)` only, so a resumed run sees the same batches), `shapesPerStep` at a time.
 */
import { mixSeed, permutation } from '../imnet/schedule.js';
import { createRandom } from '#core';
import type { SampleSource } from '../imnet/samples.js';
import { ShapeCache } from '../imnet/samples.js';
import type { VoxelGridBatch } from './CnnAutoencoder.js';

/** A position in the run: stage (always 0), epochs done, steps done in the epoch. */
export interface GridPosition {
  stage: number;
  epoch: number;
  step: number;
}

export class VoxelGridBatches {
  readonly stages: readonly { name: string; epochs: number }[];
  private readonly cache: ShapeCache;

  constructor(dataset: SampleSource, private readonly trainIds: readonly string[], epochs: number, private readonly shapesPerStep: number, private readonly seed: number) {
    if (trainIds.length === 0) throw new RangeError(`${dataset.dir}: the dataset has no training shapes`);
    this.stages = [{ name: '64', epochs }];
    this.cache = new ShapeCache(dataset);
  }

  steps(): number {
    return Math.ceil(this.trainIds.length / this.shapesPerStep);
  }

  /** Indices (into the training ids) of the shapes of a step. */
  shapeIndices(position: GridPosition): number[] {
    const order = permutation(this.trainIds.length, createRandom(mixSeed(this.seed, position.stage, position.epoch)));
    return order.slice(position.step * this.shapesPerStep, (position.step + 1) * this.shapesPerStep);
  }

  async batch(position: GridPosition): Promise<VoxelGridBatch> {
    const shapes = await this.cache.all(this.shapeIndices(position).map((i) => this.trainIds[i]));
    return { voxels: shapes.map((s) => s.voxels64) };
  }

  /** Voxels per batch, for the progress rate. */
  sampleCount(batch: VoxelGridBatch): number {
    return batch.voxels.length * 64 ** 3;
  }
}
