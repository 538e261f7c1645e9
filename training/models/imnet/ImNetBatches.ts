/**
 * IM-NET's data side for the Trainer: one stage per sample level (16^3, 32^3, 64^3), each epoch's
 * steps planned by `epochPlan` from `(seed, stage, epoch)`, each batch `shapesPerStep` shapes x
 * `pointsPerStep` of their samples at the stage's level.
 */
import type { BatchSource, StageSpec, TrainingPosition } from '../../trainer/TrainingModule.js';
import type { TrainConfig } from './config.js';
import { copyPointSamples, type SampleSource, type ShapeCache } from './samples.js';
import { epochPlan, type StepPlan } from './schedule.js';
import type { TrainingBatch } from './TrainingModel.js';

export class ImNetBatches implements BatchSource<TrainingBatch> {
  readonly stages: StageSpec[];
  private planKey = '';
  private plan: StepPlan[] = [];
  // One buffer pair for every batch: a batch is consumed before the next is made.
  private readonly points: Float32Array;
  private readonly targets: Float32Array;

  constructor(
    private readonly dataset: SampleSource,
    private readonly cache: ShapeCache,
    private readonly config: Pick<TrainConfig, 'stages' | 'seed' | 'shapesPerStep' | 'pointsPerStep'>,
    /** Training shape ids in latent-table order. */
    private readonly trainIds: readonly string[],
    private readonly voxelResolution: number,
  ) {
    this.stages = config.stages.map((s) => ({ name: String(s.level), epochs: s.epochs }));
    this.points = new Float32Array(config.shapesPerStep * config.pointsPerStep * 3);
    this.targets = new Float32Array(config.shapesPerStep * config.pointsPerStep);
  }

  /** The steps of epoch `epoch` of stage `stage` (the last one asked for is kept). */
  planFor(stage: number, epoch: number): StepPlan[] {
    const key = `${stage}/${epoch}`;
    if (key !== this.planKey) {
      const { seed, stages, shapesPerStep, pointsPerStep } = this.config;
      const samplesPerShape = this.dataset.manifest.sampleCounts[stages[stage].level];
      this.plan = epochPlan(seed, stage, epoch, this.trainIds.length, shapesPerStep, samplesPerShape, pointsPerStep);
      this.planKey = key;
    }
    return this.plan;
  }

  steps(stage: number, epoch: number): number {
    return this.planFor(stage, epoch).length;
  }

  async batch({ stage, epoch, step }: TrainingPosition): Promise<TrainingBatch> {
    const plan = this.planFor(stage, epoch)[step];
    const level = this.config.stages[stage].level;
    const shapes = await Promise.all(plan.shapes.map((i) => this.cache.get(this.trainIds[i])));
    const perShape = plan.pointIndices.length;
    shapes.forEach((s, i) => copyPointSamples(s, level, plan.pointIndices, this.voxelResolution, this.points, this.targets, i * perShape));
    return { shapeIndices: plan.shapes, voxels: shapes.map((s) => s.voxels64), pointsPerShape: perShape, points: this.points, targets: this.targets };
  }

  sampleCount(batch: TrainingBatch): number {
    return batch.shapeIndices.length * batch.pointsPerShape;
  }
}
