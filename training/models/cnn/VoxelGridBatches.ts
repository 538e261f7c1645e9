/**
 * The CNN-AE's data: one stage on the 64^3 grids; each epoch the training shapes in a fresh order
 * (derived from `(seed, epoch)` only, so a resumed run sees the same batches), `shapesPerStep` at a time.
 */
import { createRandom } from '#core';
import type { BatchSource, StageSpec, TrainingPosition } from '../../trainer/TrainingModule.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import type { ShapeCache } from '../imnet/samples.js';
import type { VoxelGridBatch } from './CnnAutoencoder.js';

export class VoxelGridBatches implements BatchSource<VoxelGridBatch> {
  readonly stages: readonly StageSpec[];

  constructor(private readonly cache: ShapeCache, private readonly trainIds: readonly string[], epochs: number, private readonly shapesPerStep: number, private readonly seed: number) {
    if (trainIds.length === 0) throw new RangeError('VoxelGridBatches: no training shapes');
    this.stages = [{ name: '64', epochs }];
  }

  steps(): number {
    return Math.ceil(this.trainIds.length / this.shapesPerStep);
  }

  /** Indices (into the training ids) of the shapes of a step. */
  shapeIndices(position: TrainingPosition): number[] {
    const order = permutation(this.trainIds.length, createRandom(mixSeed(this.seed, position.stage, position.epoch)));
    return order.slice(position.step * this.shapesPerStep, (position.step + 1) * this.shapesPerStep);
  }

  async batch(position: TrainingPosition): Promise<VoxelGridBatch> {
    const shapes = await this.cache.all(this.shapeIndices(position).map((i) => this.trainIds[i]));
    return { voxels: shapes.map((s) => s.voxels64) };
  }

  /** Voxels per batch, for the progress rate. */
  sampleCount(batch: VoxelGridBatch): number {
    return batch.voxels.length * 64 ** 3;
  }
}
