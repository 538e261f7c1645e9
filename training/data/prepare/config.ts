/** The defaults of `prepareDataset`'s options (and of the `imnet prepare` flags), defined once. */
export const PREPARE_DEFAULTS = {
  resolution: 256, seed: 0, testFraction: 0.2, shardSize: 64, longestSide: 1, upAxis: 'y', surface: 'center', maxUncertain: 0.5,
} as const;
