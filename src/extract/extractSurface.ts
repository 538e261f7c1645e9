/**
 * The public entry point of surface extraction: validates options, then runs the adaptive extractor
 * (`adaptive.ts`, the default) or the dense one (every corner; the simple, predictable baseline that
 * pays for (resolution+1)^3 evaluations whatever the shape).
 */

import { extractSurfaceAdaptive, planLevels } from './adaptive.js';
import { Checkpoints } from './checkpoints.js';
import { MAX_RESOLUTION, marchGridSliced } from './marchingCubes.js';
import { evaluateRound } from './occupancyBatches.js';
import type { ExtractSurfaceOptions, FieldActivation, OccupancyFunction, SurfaceMesh, TimeSlice } from './types.js';

const ACTIVATIONS: readonly FieldActivation[] = ['leakyClip', 'clip', 'sigmoid', 'identity'];

/**
 * The default first level: 32^3 from a 256^3 target up, 16^3 below. Measured at 256^3: on 0/1
 * fields (no distance) a 16^3 start leaves the 0.012-thick tilted plates and 0.04-legged chairs
 * 5-11 rounds, 32^3 takes every one in 5; on fields with distance both take 4 rounds and 32^3 costs
 * the 31k evaluations of its larger first grid (7-23% more on the bench's distance fields, 0.2% of
 * dense's). At 128^3 and below that grid is a larger share of the work, and 16^3 leaves the levels
 * 4 rounds.
 */
function defaultCoarseResolution(resolution: number): number {
  return resolution >= 256 ? 32 : 16;
}

/**
 * Extracts the iso-surface of `occupancy` over the box [-0.5,0.5]^3.
 *
 * Adaptive (default): a coarse grid, then only cells near the surface, level by level; each level's
 * points go out together in calls of `batchSize`, so `stats.rounds` counts levels (<= `maxRounds`).
 * The mesh equals the dense one wherever the field respects the Lipschitz estimate (see
 * `adaptive.ts`). Dense (`adaptive: false`, or a resolution that does not halve down to
 * `coarseResolution`): every corner, x fastest, one round.
 *
 * Either way the mesh is closed and manifold even where the shape touches the box (it is capped
 * there).
 *
 * With `options.timeSlice`, the CPU work between occupancy calls runs in chunks of well under a
 * millisecond with a checkpoint between them (see {@link TimeSlice}); the mesh is the same.
 *
 * @param occupancy - batched occupancy; must return one non-NaN value per point.
 * @param options - resolution, iso-level, batch size, abort signal, time slice, adaptive tuning; see
 *   {@link ExtractSurfaceOptions}.
 * @returns the mesh and the occupancy work it took.
 * @throws RangeError for invalid options or an occupancy result of the wrong length; TypeError for a
 *   `timeSlice` without `checkpoint()`; Error for NaN values; an `AbortError` when `options.signal`
 *   aborts (seen before and after every occupancy call and at every checkpoint).
 */
export async function extractSurface(
  occupancy: OccupancyFunction,
  options: ExtractSurfaceOptions = {},
): Promise<SurfaceMesh> {
  const {
    resolution = 64,
    isoLevel = 0.5,
    batchSize = 65536,
    signal,
    adaptive = true,
    coarseResolution = defaultCoarseResolution(options.resolution ?? 64),
    maxRounds = 4,
    outputActivation = 'leakyClip',
    lipschitz,
    lipschitzSafety = 1,
    guardBand = true,
    isoMargin = 0,
    timeSlice,
  } = options;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > MAX_RESOLUTION) {
    throw new RangeError(`resolution is ${resolution}; expected an integer in 2..${MAX_RESOLUTION}`);
  }
  if (typeof isoLevel !== 'number' || !Number.isFinite(isoLevel)) {
    throw new RangeError(`isoLevel is ${isoLevel}; expected a finite number`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize is ${batchSize}; expected an integer >= 1`);
  }
  if (!Number.isInteger(coarseResolution) || coarseResolution < 1) {
    throw new RangeError(`coarseResolution is ${coarseResolution}; expected an integer >= 1`);
  }
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw new RangeError(`maxRounds is ${maxRounds}; expected an integer >= 1`);
  }
  if (!ACTIVATIONS.includes(outputActivation)) {
    throw new RangeError(`outputActivation is ${JSON.stringify(outputActivation)}; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  if (lipschitz !== undefined && !(lipschitz > 0 && Number.isFinite(lipschitz))) {
    throw new RangeError(`lipschitz is ${lipschitz}; expected a finite number > 0 (or leave it out to estimate it)`);
  }
  if (!(isoMargin >= 0 && Number.isFinite(isoMargin))) {
    throw new RangeError(`isoMargin is ${isoMargin}; expected a finite number >= 0`);
  }
  if (!(lipschitzSafety >= 1 && Number.isFinite(lipschitzSafety))) {
    throw new RangeError(`lipschitzSafety is ${lipschitzSafety}; expected a finite number >= 1`);
  }

  if (timeSlice != null && typeof timeSlice.checkpoint !== 'function') {
    throw new TypeError('timeSlice has no checkpoint() method; expected a TimeSlice');
  }

  const checkpoints = new Checkpoints(timeSlice, signal);
  try {
    const wait = checkpoints.next();
    if (wait) await wait;
    if (adaptive) {
      const levels = planLevels(resolution, coarseResolution, maxRounds);
      if (levels.length > 1) {
        return await extractSurfaceAdaptive(occupancy, {
          levels, isoLevel, batchSize, checkpoints, outputActivation, lipschitz, lipschitzSafety, guardBand, isoMargin,
        });
      }
    }
    return await extractSurfaceDense(occupancy, resolution, isoLevel, batchSize, checkpoints);
  } finally {
    checkpoints.pause();
  }
}

/** Every corner in x-fastest order, `batchSize` points per call, then marching cubes. */
async function extractSurfaceDense(
  occupancy: OccupancyFunction,
  resolution: number,
  isoLevel: number,
  batchSize: number,
  checkpoints: Checkpoints,
): Promise<SurfaceMesh> {
  const n = resolution + 1;
  const total = n * n * n;
  const values = new Float32Array(total);
  const calls = await evaluateRound(
    occupancy,
    {
      count: total,
      writePoints: (out, start, count) => writeCornerPoints(out, start, count, resolution),
      store: (start, result) => values.set(result, start),
    },
    batchSize,
    checkpoints,
  );
  const mesh = await marchGridSliced(values, resolution, isoLevel, checkpoints);
  return { ...mesh, stats: { evaluations: total, rounds: 1, calls } };
}

/** Writes xyz of grid corners start..start+count-1 (x fastest), at -0.5 + index / resolution, into `points`. */
function writeCornerPoints(points: Float32Array, start: number, count: number, resolution: number): void {
  const n = resolution + 1;
  let x = start % n;
  let y = Math.floor(start / n) % n;
  let z = Math.floor(start / (n * n));
  for (let i = 0; i < count; i++) {
    points[3 * i] = -0.5 + x / resolution;
    points[3 * i + 1] = -0.5 + y / resolution;
    points[3 * i + 2] = -0.5 + z / resolution;
    if (++x === n) {
      x = 0;
      if (++y === n) {
        y = 0;
        z++;
      }
    }
  }
}
