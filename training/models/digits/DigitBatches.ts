/**
 * The data side of a digit run: one stage of `epochs` passes over the training digits, each epoch in
 * a fresh seeded order, each step reading `realBatchesPerStep` batches of `batchSize` digits. Batches
 * and their seeds depend only on the position, so a resumed run sees what the uninterrupted one saw.
 */
import { createRandom } from '#core';
import type { BatchSource, StageSpec, TrainingPosition } from '../../trainer/TrainingModule.js';
import { DIGIT_PIXELS, type DigitSet } from '../../data/mnist/mnistDigits.js';
import { mixSeed, permutation } from '../../util/seeds.js';
import type { DigitBatch } from './DigitModel.js';

export class DigitBatches implements BatchSource<DigitBatch> {
  readonly stages: readonly StageSpec[];
  private readonly stepsPerEpoch: number;

  constructor(private readonly digits: DigitSet, stage: string, epochs: number, private readonly batchSize: number, private readonly realBatchesPerStep: number, private readonly seed: number) {
    if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size: expected a positive integer, got ${batchSize}`);
    this.stepsPerEpoch = Math.floor(digits.count / (batchSize * realBatchesPerStep));
    if (this.stepsPerEpoch < 1) throw new RangeError(`${digits.count} digits cannot fill one step of ${realBatchesPerStep} x ${batchSize}`);
    this.stages = [{ name: stage, epochs }];
  }

  steps(): number {
    return this.stepsPerEpoch;
  }

  batch({ epoch, step }: TrainingPosition): DigitBatch {
    const order = permutation(this.digits.count, createRandom(mixSeed(this.seed, 0xd191, epoch)));
    const real: Float32Array[] = [];
    for (let r = 0; r < this.realBatchesPerStep; r++) {
      const images = new Float32Array(this.batchSize * DIGIT_PIXELS);
      const first = (step * this.realBatchesPerStep + r) * this.batchSize;
      for (let b = 0; b < this.batchSize; b++) {
        const i = order[first + b];
        images.set(this.digits.images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), b * DIGIT_PIXELS);
      }
      real.push(images);
    }
    return { real, seed: mixSeed(this.seed, epoch, step) };
  }

  sampleCount(batch: DigitBatch): number {
    return batch.real.length * this.batchSize;
  }
}
