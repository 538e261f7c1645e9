/**
 * babylon-imnet: IM-NET neural implicit shapes for Babylon.js.
 * @packageDocumentation
 */
export { ImplicitShape, type ImplicitShapeOptions, type LodChange } from './ImplicitShape.js';
export { ExtractionScheduler, type ExtractionSchedulerOptions, type ScheduledOccupancy } from './lod/ExtractionScheduler.js';
export { FrameBudget, type FrameBudgetOptions } from './lod/frameBudget.js';
export { selectLodLevel, resolveLodPolicy, projectedDiameterPixels, DEFAULT_LOD_LEVELS, type LodPolicyOptions, type ResolvedLodPolicy } from './lod/lodPolicy.js';
export { ImNetDecoder, AbortError, type OccupancyEvaluator, type EvaluateOptions } from './ImNetDecoder.js';
export { LatentCode } from './LatentCode.js';
export { SHIPPED_CATEGORIES, UnknownCategoryError, type ShippedCategory } from './shippedWeights.js';
export {
  PRESETS, resolveArchitecture, validateArchitecture, decoderLayerShapes, decoderFlopsPerPoint, kernelRows,
  type ImNetArchitecture, type PresetName, type OutputActivation, type DenseLayerShape,
} from './decoder/architecture.js';
export { randomDecoderWeights, validateDecoderWeights, type DecoderWeights, type DenseWeights } from './decoder/weights.js';
export { referenceDecode } from './decoder/reference.js';
export { generateLatent, noiseForSeed, generatorLayerShapes, type GeneratorWeights } from './decoder/generator.js';
export { createRandom, gaussian } from './decoder/random.js';
export { activateBackend, autoBackendChoice, registeredBackends, type BackendName, type BackendChoice } from './evaluate/backend.js';
export { planAutoBackend, type AutoPlan, type AutoStep } from './evaluate/autoBackend.js';
export { isSoftwareRenderer, type PlatformProbe, type GpuProbe } from './evaluate/backendProbe.js';
export { TfDecoder, FoldedLatent } from './evaluate/tfDecoder.js';
export { extractSurface, type OccupancyFunction, type SurfaceMesh, type TriangleMesh, type ExtractionStats, type ExtractSurfaceOptions, type TimeSlice, type FieldActivation } from './extract/index.js';
export { encodeModel, loadModel, type ImNetModel } from './weights/model.js';
export { WeightsFormatError, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, type WeightsManifest, type WeightsGroup, type WeightEntry, type GeneratorSpec } from './weights/format.js';
