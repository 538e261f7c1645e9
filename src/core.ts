/**
 * babylon-imnet/core: the runtime without Babylon.js. The one definition of the IM-NET decoder
 * (architecture, float64 reference, latent generator, seeded random), its tfjs evaluator, the weights
 * format (manifest, codec, model files) and surface extraction (occupancy callback in, closed mesh
 * out). Tools build on it: the `imnet` training toolkit imports it as `#core`, a Node script or a
 * Worker as `babylon-imnet/core`. The main entry (`babylon-imnet`) re-exports what a Babylon user needs.
 * @packageDocumentation
 */
export {
  PRESETS, POINT_SIZE, pointSizeOf, resolveArchitecture, validateArchitecture, receivesSkip, decoderLayerShapes, decoderWeightNames, decoderFlopsPerPoint, kernelRows,
  type ImNetArchitecture, type PresetName, type OutputActivation, type DenseLayerShape, type PointSize,
} from './decoder/architecture.js';
export { randomDecoderWeights, validateDecoderWeights, type DecoderWeights, type DenseWeights } from './decoder/weights.js';
export { referenceDecode } from './decoder/reference.js';
export { generateLatent, noiseForSeed, generatorLayerShapes, type GeneratorWeights } from './decoder/generator.js';
export { createRandom, gaussian } from './decoder/random.js';
export { activateBackend, autoBackendChoice, registeredBackends, type BackendName, type BackendChoice } from './evaluate/backend.js';
export { planAutoBackend, type AutoPlan, type AutoStep } from './evaluate/autoBackend.js';
export { isSoftwareRenderer, type PlatformProbe, type GpuProbe } from './evaluate/backendProbe.js';
export { TfDecoder, FoldedLatent } from './evaluate/tfDecoder.js';
export { ImNetDecoder, AbortError, ForeignLatentError, MAX_SAMPLE_SEED, type OccupancyEvaluator, type EvaluateOptions } from './ImNetDecoder.js';
export { LatentCode } from './LatentCode.js';
export { SHIPPED_CATEGORIES, UnknownCategoryError, type ShippedCategory } from './shippedWeights.js';
export {
  extractSurface, marchGrid, marchCells, MAX_RESOLUTION, extractExtrudedShape, marchSquares, extrudeRegion, dropSmallParts, DEFAULT_MIN_PART_FRACTION,
  type SmallPartsResult,
  type OccupancyFunction, type TriangleMesh, type ExtractedMesh, type SurfaceMesh, type ExtractionStats, type ExtractSurfaceOptions, type FieldActivation, type TimeSlice,
  type ExtractExtrudedShapeOptions, type PlanarRegion,
} from './extract/index.js';
export { encodeModel, loadModel, type ImNetModel } from './weights/model.js';
export { WeightsFormatError, WEIGHTS_FORMAT, WEIGHTS_FORMAT_VERSION, type WeightsManifest, type WeightsGroup, type WeightEntry, type GeneratorSpec } from './weights/format.js';
export { toFloat16Bits, fromFloat16Bits } from './weights/float16.js';
