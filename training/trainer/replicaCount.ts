/** How many data-parallel replicas a run gets unless told (`--workers`). Kept apart from DataParallel.ts so `--help` loads no tfjs. */
import { availableParallelism } from 'node:os';

/** A ceiling for the default (each replica holds a whole model and its Adam moments); more need `--workers`. */
export const MAX_DEFAULT_REPLICAS = 8;
/**
 * Each replica pays per step for the whole model (its share of the gradient sum, its Adam update) whatever
 * its share of points, so a share under this many points costs more in fixed work than it saves.
 */
export const MIN_SAMPLES_PER_REPLICA = 1024;

/** The cores, at most {@link MAX_DEFAULT_REPLICAS}, and no more than one replica per {@link MIN_SAMPLES_PER_REPLICA} samples of a step; at least 1. */
export function defaultReplicaCount(samplesPerStep: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(cores, MAX_DEFAULT_REPLICAS, Math.floor(samplesPerStep / MIN_SAMPLES_PER_REPLICA)));
}
