/** The defaults of `prepareDataset`'s options (and of the `imnet prepare` flags), defined once. */
import { DEFAULT_SURFACE_RULE } from '../voxel/voxelize.js';

export const PREPARE_DEFAULTS = {
  resolution: 256, seed: 0, testFraction: 0.2, shardSize: 64, longestSide: 1, upAxis: 'y', orient: 'fixed', surface: DEFAULT_SURFACE_RULE, maxUncertain: 0.5,
} as const;
