/**
 * babylon-imnet: IM-NET neural implicit shapes for Babylon.js. What a Babylon user needs; the
 * Babylon-free tooling (weights codec, tfjs evaluator internals, reference decoder, grid marching)
 * is `babylon-imnet/core` (src/core.ts).
 * @packageDocumentation
 */
export { ImplicitShape, type ImplicitShapeOptions, type LodChange } from './ImplicitShape.js';
export { ExtractionScheduler, type ExtractionSchedulerOptions, type ScheduledOccupancy } from './lod/ExtractionScheduler.js';
export { FrameBudget, type FrameBudgetOptions } from './lod/frameBudget.js';
export { selectLodLevel, resolveLodPolicy, projectedDiameterPixels, DEFAULT_LOD_LEVELS, type LodPolicyOptions, type ResolvedLodPolicy } from './lod/lodPolicy.js';
export { ImNetDecoder, AbortError, ForeignLatentError, MAX_SAMPLE_SEED, type OccupancyEvaluator, type EvaluateOptions } from './ImNetDecoder.js';
export { LatentCode } from './LatentCode.js';
export { SHIPPED_CATEGORIES, UnknownCategoryError, type ShippedCategory } from './shippedWeights.js';
export { PRESETS, resolveArchitecture, type ImNetArchitecture, type PresetName, type OutputActivation } from './decoder/architecture.js';
export { createRandom, gaussian } from './decoder/random.js';
export { activateBackend, autoBackendChoice, registeredBackends, type BackendName, type BackendChoice } from './evaluate/backend.js';
export { extractSurface, dropSmallParts, type SmallPartsResult, type OccupancyFunction, type SurfaceMesh, type ExtractionStats, type ExtractSurfaceOptions, type TimeSlice } from './extract/index.js';
export { WeightsFormatError } from './weights/format.js';
