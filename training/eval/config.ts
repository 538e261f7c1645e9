/** The defaults of the reconstruction scores (and of the `imnet eval` flags): IM-NET's protocol, defined once. */
export const EVAL_DEFAULTS = {
  split: 'test', resolution: 64, surfacePoints: 4096, surfaceResolution: 0, skipChamfer: false, batchSize: 65536, seed: 1,
} as const;
