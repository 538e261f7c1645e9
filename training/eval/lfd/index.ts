/**
 * Light field distance (LFD) as IM-NET measured it: a TypeScript port of 3DRetrieval_v1.8's light field
 * descriptor and matching (Chen et al. 2003). The algorithm is written out in `LFD.md` beside this file.
 */
export { computeLightFieldDescriptor, lightFieldValues, type LightFieldValues } from './computeLightFieldDescriptor.js';
export { LightFieldDescriptor, LfdDescriptorFormatError, FEATURES_PER_VIEW } from './LightFieldDescriptor.js';
export {
  createCostScratch,
  lightFieldDistance,
  lightFieldDistanceMatrix,
  lightFieldDistanceOfFeatures,
  lightFieldDistancesToMany,
  type LfdMatrixOptions,
} from './lightFieldDistance.js';
export { LfdDescriptorCache, meshContentHash, type LfdDescriptorCacheOptions } from './LfdDescriptorCache.js';
export { lfdBetweenMeshFiles } from './lfdBetweenMeshFiles.js';
export { normalizeForLightField, renderSilhouette, type LfdMesh } from './renderSilhouette.js';
export { LFD_CONSTANTS, IMAGE_SIZE, LIGHT_FIELDS, VIEWS, VIEWS_PER_MODEL, ROTATIONS } from './lfdConstants.js';
