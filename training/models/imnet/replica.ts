/**
 * IM-NET's side of data-parallel training (trainer/DataParallel.ts): how a worker builds a replica of
 * the TrainingModel, and how a batch is split between replicas.
 */
import type { BatchShare, ReplicaFactory } from '../../trainer/DataParallel.js';
import type { ModelConfig } from './config.js';
import { TrainingModel, type TrainingBatch } from './TrainingModel.js';
import { siblingModule } from '../../util/siblingModule.js';

/** What a worker needs to build a replica (its values come from replica 0 before the first step). */
export interface ReplicaArgs {
  config: ModelConfig;
  trainCount: number;
}

/** Called in a worker thread (DataParallel's factory contract). */
export function createReplica(args: ReplicaArgs): TrainingModel {
  return new TrainingModel(args.config, args.trainCount);
}

/** The factory DataParallel sends to its workers. */
export function imnetReplicaFactory(args: ReplicaArgs): ReplicaFactory {
  return { url: siblingModule('replica', import.meta.url).href, args };
}

/**
 * Splits a batch into at most `parts` shares: by shapes when there are at least as many shapes as
 * parts (IM-AE's encoder then runs on each shape once), else by points (every share has every shape,
 * a slice of each one's points). A share's weight is its fraction of the batch's points, which is
 * also its fraction of the latent term (a mean over the batch's shapes): in a points split each share
 * holds every shape, in a shapes split every shape has the same number of points.
 */
export function splitTrainingBatch(batch: TrainingBatch, parts: number): BatchShare<TrainingBatch>[] {
  const shapes = batch.shapeIndices.length;
  const perShape = batch.pointsPerShape;
  const total = shapes * perShape;
  const bounds = (count: number, k: number, n: number): [number, number] => [Math.floor((count * k) / n), Math.floor((count * (k + 1)) / n)];
  const shares: BatchShare<TrainingBatch>[] = [];
  if (shapes >= parts) {
    for (let k = 0; k < parts; k++) {
      const [from, to] = bounds(shapes, k, parts);
      shares.push({
        batch: {
          shapeIndices: batch.shapeIndices.slice(from, to), voxels: batch.voxels.slice(from, to), pointsPerShape: perShape,
          points: batch.points.slice(3 * from * perShape, 3 * to * perShape), targets: batch.targets.slice(from * perShape, to * perShape),
        },
        weight: ((to - from) * perShape) / total,
      });
    }
    return shares;
  }
  const n = Math.min(parts, perShape);
  for (let k = 0; k < n; k++) {
    const [from, to] = bounds(perShape, k, n);
    const count = to - from;
    const points = new Float32Array(3 * shapes * count);
    const targets = new Float32Array(shapes * count);
    for (let s = 0; s < shapes; s++) {
      points.set(batch.points.subarray(3 * (s * perShape + from), 3 * (s * perShape + to)), 3 * s * count);
      targets.set(batch.targets.subarray(s * perShape + from, s * perShape + to), s * count);
    }
    shares.push({ batch: { shapeIndices: batch.shapeIndices.slice(), voxels: batch.voxels.slice(), pointsPerShape: count, points, targets }, weight: count / perShape });
  }
  return shares;
}
