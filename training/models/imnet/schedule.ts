/**
 * IM-NET's progressive schedule (train on 16^3 samples, then 32^3, then 64^3) and the order of work
 * inside an epoch. Every random choice derives from `(seed, stage, epoch)`, never from a running
 * generator, so a run resumed at any step makes the same choices as one that never stopped.
 */
import { createRandom } from '#core';
import { mixSeed, permutation } from '../../util/seeds.js';
import type { SampleLevel } from './samples.js';

/** One stage of the schedule. */
export interface Stage {
  level: SampleLevel;
  epochs: number;
}

/** One optimizer step's work: which shapes (indices into the training ids) and which points of each. */
export interface StepPlan {
  shapes: number[];
  /** Indices of the level's samples taken from each shape (the same for all shapes of the step). */
  pointIndices: Uint32Array;
}

/**
 * The steps of one epoch, IM-NET style: shapes in a fresh random order, `shapesPerStep` at a time;
 * each shape batch is visited once per chunk of `pointsPerStep` of the level's samples (64^3 has
 * 16384 samples per shape, so 4 chunks of 4096). Chunks are drawn from a fresh permutation of the
 * samples each epoch, not cut from the stored order: prepare stores the 16^3 samples in grid order,
 * so a contiguous chunk would be a slab of space (measured: training on slabs stalled).
 */
export function epochPlan(seed: number, stageIndex: number, epoch: number, shapeCount: number, shapesPerStep: number, samplesPerShape: number, pointsPerStep: number): StepPlan[] {
  const random = createRandom(mixSeed(seed, stageIndex, epoch));
  const order = permutation(shapeCount, random);
  const points = Math.min(pointsPerStep, samplesPerShape);
  const chunks = Math.max(1, Math.floor(samplesPerShape / points));
  const samples = points === samplesPerShape ? Array.from({ length: points }, (_, i) => i) : permutation(samplesPerShape, random);
  const plan: StepPlan[] = [];
  for (let start = 0; start < shapeCount; start += shapesPerStep) {
    const shapes = order.slice(start, start + shapesPerStep);
    for (let c = 0; c < chunks; c++) plan.push({ shapes, pointIndices: Uint32Array.from(samples.slice(c * points, (c + 1) * points)) });
  }
  return plan;
}

/** Parses `16:2,32:2,64:4` into stages, validating levels and counts. */
export function parseStages(text: string): Stage[] {
  const stages = text.split(',').filter((s) => s.trim()).map((part) => {
    const match = /^\s*(16|32|64)\s*:\s*(\d+)\s*$/.exec(part);
    if (!match) throw new RangeError(`stages: expected 'level:epochs' with level 16, 32 or 64 (e.g. 16:2,32:2,64:4), got '${part}'`);
    return { level: Number(match[1]) as SampleLevel, epochs: Number(match[2]) };
  });
  if (stages.length === 0) throw new RangeError(`stages: expected at least one 'level:epochs', got '${text}'`);
  return stages;
}
