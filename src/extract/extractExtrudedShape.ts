/**
 * The 2D path of surface extraction: a planar occupancy (a 2D decoder's, e.g. a digit) sampled on a
 * grid over [-0.5, 0.5]^2, marched into a region (`marchingSquares.ts`) and extruded into a closed
 * slab (`extrudeRegion.ts`). Evaluation goes through the same batching, validation, abort and time
 * slicing as the 3D extractors (`occupancyBatches.ts`, `checkpoints.ts`).
 */
import { Checkpoints } from './checkpoints.js';
import { marchSquares } from './marchingSquares.js';
import { extrudeRegion } from './extrudeRegion.js';
import { evaluateRound } from './occupancyBatches.js';
import type { OccupancyFunction, SurfaceMesh, TimeSlice } from './types.js';

/** Options of {@link extractExtrudedShape}. */
export interface ExtractExtrudedShapeOptions {
  /** Cells per side of the square (so resolution+1 corners per side). Default 64. */
  resolution?: number;
  /** A corner is inside when its value >= isoLevel. Default 0.5. */
  isoLevel?: number;
  /** Thickness of the slab along z, in the square's units. Default 0.1. */
  depth?: number;
  /** Points per occupancy call. Default 65536. */
  batchSize?: number;
  /** Cancels the extraction (an `AbortError`), checked before and after every occupancy call. */
  signal?: AbortSignal;
  /** Cooperative time slicing, as for `extractSurface`. */
  timeSlice?: TimeSlice;
}

/** Most cells per side (the grid's corner count stays well inside typed-array limits). */
const MAX_PLANAR_RESOLUTION = 4096;

/**
 * Extracts the inside of a planar occupancy function as an extruded, closed triangle mesh in
 * [-0.5, 0.5]^2 x [-depth/2, depth/2].
 *
 * @param occupancy - batched occupancy over xy pairs (`2 n` floats in, `n` values out).
 * @returns the mesh and its cost (one round of (resolution+1)^2 evaluations).
 * @throws RangeError for invalid options or an occupancy result of the wrong length; Error for NaN
 *   values; an `AbortError` when `options.signal` aborts.
 */
export async function extractExtrudedShape(occupancy: OccupancyFunction, options: ExtractExtrudedShapeOptions = {}): Promise<SurfaceMesh> {
  const { resolution = 64, isoLevel = 0.5, depth = 0.1, batchSize = 65536, signal, timeSlice } = options;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > MAX_PLANAR_RESOLUTION) {
    throw new RangeError(`resolution is ${resolution}; expected an integer in 2..${MAX_PLANAR_RESOLUTION}`);
  }
  if (!Number.isFinite(isoLevel)) throw new RangeError(`isoLevel is ${isoLevel}; expected a finite number`);
  if (!(depth > 0 && Number.isFinite(depth))) throw new RangeError(`depth is ${depth}; expected a positive finite number`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize is ${batchSize}; expected an integer >= 1`);
  const checkpoints = new Checkpoints(timeSlice, signal);
  try {
    const wait = checkpoints.next();
    if (wait) await wait;
    const n = resolution + 1;
    const values = new Float32Array(n * n);
    const calls = await evaluateRound(occupancy, {
      count: n * n,
      writePoints: (out, start, count) => {
        for (let k = 0; k < count; k++) {
          const index = start + k;
          out[2 * k] = -0.5 + (index % n) / resolution;
          out[2 * k + 1] = -0.5 + Math.floor(index / n) / resolution;
        }
      },
      store: (start, result) => values.set(result, start),
    }, batchSize, checkpoints, 0, 2);
    const mesh = extrudeRegion(marchSquares(values, resolution, isoLevel), depth);
    return { ...mesh, stats: { evaluations: n * n, rounds: 1, calls } };
  } finally {
    checkpoints.pause();
  }
}
