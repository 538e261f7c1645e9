import { DEFAULT_MIN_PART_FRACTION } from '#core';

/** The defaults of the reconstruction scores (and of the `imnet eval` flags): IM-NET's protocol, defined once. */
export const EVAL_DEFAULTS = {
  split: 'test', resolution: 64, surfacePoints: 4096, surfaceResolution: 0, skipChamfer: false, batchSize: 65536, seed: 1,
  /** Floaters `ImplicitShape` shows: pieces under this fraction of the largest are dropped (its default). */
  minPartFraction: DEFAULT_MIN_PART_FRACTION,
} as const;
