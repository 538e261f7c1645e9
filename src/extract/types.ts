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
  /**
   * Dependent rounds: sets of points that can only be chosen once the previous set's values are
   * back (one GPU evaluation + readback each, however many calls it is split into). Dense: 1;
   * adaptive: one per level.
   */
  rounds: number;
  /** Calls made to the occupancy function (each round is split into calls of `batchSize` points). */
  calls: number;
  /** Separate pieces not shown because they were under `ImplicitShape`'s `minPartFraction` (ImplicitShape only). */
  droppedParts?: number;
}

/**
 * How occupancy values relate to a Lipschitz field h, so the adaptive extractor can read distance
 * from them: the decoder's output activation (`value = activation(h)`), or `'identity'` for a
 * field that is h itself (e.g. a negated signed distance).
 */
export type FieldActivation = 'leakyClip' | 'clip' | 'sigmoid' | 'identity';

/** An indexed triangle mesh, the one mesh type of the runtime and the training toolkit. */
export interface TriangleMesh {
  /** xyz per vertex. */
  positions: Float32Array;
  /** Three vertex indices per triangle. */
  indices: Uint32Array;
}

/**
 * What marching cubes makes: a triangle mesh inside the box [-0.5,0.5]^3 that is closed, edge- and
 * vertex-manifold, triangles wound counter-clockwise seen from outside (the low-occupancy side).
 */
export interface ExtractedMesh extends TriangleMesh {
  /** Unit outward normal per vertex (area-weighted average of the adjacent triangles). */
  normals: Float32Array;
}

/** The surface an extractor returns, with what it cost. */
export interface SurfaceMesh extends ExtractedMesh {
  /** Occupancy work spent on this surface. */
  stats: ExtractionStats;
}

/**
 * Cooperative time slicing. Extraction calls `checkpoint()` between small chunks of CPU work
 * (about 0.1-1 ms each on a desktop); when it returns a promise, extraction awaits it before going on
 * (the caller's frame budget is spent, so it resolves at a later frame). Without one, extraction runs
 * its CPU work in one go.
 *
 * The protocol, so a budget can tell extraction's own time from the occupancy function's: a
 * `checkpoint()` when the work starts, between chunks and right after each occupancy call returns;
 * `pause()` right before each occupancy call (mostly GPU work and a readback to wait for; what it
 * does on this thread is the evaluator's to slice) and when extraction returns or throws. So
 * extraction's main-thread time is exactly the stretches from a `checkpoint()` to the next
 * `checkpoint()` or `pause()`.
 */
export interface TimeSlice {
  /** Before a chunk of CPU work: nothing to go on now, or a promise that resolves when it may. */
  checkpoint(): Promise<void> | void;
  /** Optional: extraction's CPU work stops here (an occupancy call, or the end) until the next checkpoint. */
  pause?(): void;
}

/** Options of {@link extractSurface}. */
export interface ExtractSurfaceOptions {
  /** Cells per axis over the box [-0.5,0.5]^3 (so resolution+1 corners per axis). Default 64. */
  resolution?: number;
  /** Iso-level; a corner is inside when value >= isoLevel. Default 0.5. */
  isoLevel?: number;
  /** Points per occupancy call (>= 32768 recommended for GPUs). Default 65536. */
  batchSize?: number;
  /**
   * Cancels the extraction: rejects with an AbortError-named DOMException-like Error. Checked before
   * every occupancy call and at every time-slice checkpoint (with or without `timeSlice`).
   */
  signal?: AbortSignal;
  /**
   * Splits the CPU work between occupancy calls into chunks with a checkpoint between them, so a
   * main-thread caller can spread it over frames; see {@link TimeSlice}. The mesh is identical with
   * or without one. Default: none (CPU work in one go).
   */
  timeSlice?: TimeSlice;
  /**
   * Evaluate only near the surface (coarse-to-fine, see `adaptive.ts`) instead of every corner.
   * Same mesh as dense on fields that respect the Lipschitz estimate. Default true.
   */
  adaptive?: boolean;
  /**
   * Adaptive: the first level is the coarsest grid of at least this many cells per axis that halves
   * evenly up to `resolution` (32 gives 32 -> 64 -> 128 -> 256, 16 gives 16 -> 64 -> 128 -> 256). A
   * resolution that does not halve down to it (odd, or <= it) is extracted densely. Default 32 for a
   * resolution of 256 and above (thin parts of fields without distance are followed within 5 rounds
   * from it, 6-11 from 16), 16 below.
   */
  coarseResolution?: number;
  /** Adaptive: most dependent rounds (levels); steps subdivide by 4 or more to stay within it. Default 4. */
  maxRounds?: number;
  /**
   * Adaptive: refine cells whose values say a surface may pass between their corners (the Lipschitz
   * guard band, which finds thin parts) as well as cells whose corners disagree. false keeps only
   * the latter (MISE's rule, plus surface tracking): fewer evaluations on fields whose values carry
   * little distance, but parts thinner than a coarse cell can be lost. Default true.
   */
  guardBand?: boolean;
  /**
   * Adaptive: also refine the cells that have a corner value within this of `isoLevel`, though
   * their corners agree: within this on the first level, halving on each level after (as the cells
   * do), and twice that on cells touching the box's boundary (the box clips parts down to slivers
   * there). Trained decoders leave small parts where their values barely cross the iso-level (blobs
   * a few fine cells wide, in regions that hover near it), and each level's corners around them come
   * nearer without crossing; on the shipped categories x 4 latents at 128^3 from a 32^3 start, 0.1
   * finds every part dense finds (see `ImplicitShape.DefaultExtraction`). Default 0 (off).
   */
  isoMargin?: number;
  /**
   * Adaptive: the activation the values went through, to recover h. Values exactly 0 or 1 (and, for
   * `clip`/`sigmoid`, anything at or beyond them) are saturated: they carry no distance. Default
   * `'leakyClip'` (IM-NET's).
   */
  outputActivation?: FieldActivation;
  /**
   * Adaptive: a known bound on |grad h| in box units (h as recovered through `outputActivation`).
   * When set, it replaces the estimate (raised to the largest slope the samples show, should it be
   * below), and the guard band misses nothing. Default: estimated, see `lipschitzSafety`.
   */
  lipschitz?: number;
  /**
   * Adaptive: factor (>= 1) on the estimated Lipschitz bound, the largest slope the samples show.
   * Larger widens the guard band: safer on fields steeper than sampled, more evaluations. Default 1.
   */
  lipschitzSafety?: number;
}
