/** Surface extraction: occupancy callback in, closed indexed triangle mesh out. */
export { extractSurface } from './extractSurface.js';
export { marchCells, marchGrid, MAX_RESOLUTION } from './marchingCubes.js';
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
