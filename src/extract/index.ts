/** Surface extraction: occupancy callback in, closed indexed triangle mesh out. */
export { extractSurface } from './extractSurface.js';
export { marchCells, marchGrid, MAX_RESOLUTION } from './marchingCubes.js';
export { extractExtrudedShape, type ExtractExtrudedShapeOptions } from './extractExtrudedShape.js';
export { marchSquares, type PlanarRegion } from './marchingSquares.js';
export { extrudeRegion } from './extrudeRegion.js';
export { dropSmallParts, DEFAULT_MIN_PART_FRACTION, type SmallPartsResult } from './smallParts.js';
export type {
  ExtractedMesh,
  ExtractionStats,
  ExtractSurfaceOptions,
  FieldActivation,
  OccupancyFunction,
  SurfaceMesh,
  TimeSlice,
  TriangleMesh,
} from './types.js';
