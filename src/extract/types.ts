/**
 * Types shared by the surface extractors. Pure data: no Babylon, no tfjs, so extraction runs in a
 * Worker, in Node and in tests alike.
 */

/**
 * Batched occupancy: xyz triples in, one value per point out (IM-NET: occupancy in [0,1]).
 *
 * `points` holds `3 * n` floats (x0, y0, z0, x1, ...); the promise must resolve to `n` values.
 * Each call gets a fresh array, so an implementation may keep it.
 */
export type OccupancyFunction = (points: Float32Array) => Promise<Float32Array>;

/** What an extraction cost, in occupancy work. */
export interface ExtractionStats {
  /** Points sent to the occupancy function, all calls together. */
  evaluations: number;
  /** Calls made to the occupancy function. */
  rounds: number;
}

/**
 * An indexed triangle mesh: closed, edge- and vertex-manifold, triangles wound counter-clockwise
 * seen from outside (the low-occupancy side).
 */
export interface TriangleMesh {
  /** xyz per vertex, inside the box [-0.5,0.5]^3. */
  positions: Float32Array;
  /** Unit outward normal per vertex (area-weighted average of the adjacent triangles). */
  normals: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
}

/** The surface an extractor returns, with what it cost. */
export interface SurfaceMesh extends TriangleMesh {
  /** Occupancy work spent on this surface. */
  stats: ExtractionStats;
}

/** Options of {@link extractSurface}. */
export interface ExtractSurfaceOptions {
  /** Cells per axis over the box [-0.5,0.5]^3 (so resolution+1 corners per axis). Default 64. */
  resolution?: number;
  /** Iso-level; a corner is inside when value >= isoLevel. Default 0.5. */
  isoLevel?: number;
  /** Points per occupancy call (>= 32768 recommended for GPUs). Default 65536. */
  batchSize?: number;
  /** Cancels the extraction: rejects with an AbortError-named DOMException-like Error. */
  signal?: AbortSignal;
}
