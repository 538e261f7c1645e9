/**
 * Dense surface extraction: evaluate occupancy at every grid corner in batches, then march.
 * The simple, predictable baseline; it pays for (resolution+1)^3 evaluations whatever the shape.
 */

import { MAX_RESOLUTION, marchGrid } from './marchingCubes.js';
import type { ExtractSurfaceOptions, OccupancyFunction, SurfaceMesh } from './types.js';

/**
 * Extracts the iso-surface of `occupancy` over the box [-0.5,0.5]^3 on a dense grid.
 *
 * Corners are sent in x-fastest order, `batchSize` points per call, one call at a time. The mesh is
 * closed and manifold even where the shape touches the box (it is capped there).
 *
 * @param occupancy - batched occupancy; must return one non-NaN value per point.
 * @param options - resolution, iso-level, batch size and abort signal; see {@link ExtractSurfaceOptions}.
 * @returns the mesh and the occupancy work it took.
 * @throws RangeError for invalid options or an occupancy result of the wrong length; Error for NaN
 *   values; an `AbortError` when `options.signal` aborts.
 */
export async function extractSurface(
  occupancy: OccupancyFunction,
  options: ExtractSurfaceOptions = {},
): Promise<SurfaceMesh> {
  const { resolution = 64, isoLevel = 0.5, batchSize = 65536, signal } = options;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > MAX_RESOLUTION) {
    throw new RangeError(`resolution is ${resolution}; expected an integer in 2..${MAX_RESOLUTION}`);
  }
  if (typeof isoLevel !== 'number' || !Number.isFinite(isoLevel)) {
    throw new RangeError(`isoLevel is ${isoLevel}; expected a finite number`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize is ${batchSize}; expected an integer >= 1`);
  }

  const n = resolution + 1;
  const total = n * n * n;
  const values = new Float32Array(total);
  let rounds = 0;
  for (let start = 0; start < total; start += batchSize) {
    throwIfAborted(signal);
    const count = Math.min(batchSize, total - start);
    // A fresh array per call: the callback may hold on to it (e.g. an evaluator queueing uploads),
    // and one allocation per batch is noise next to evaluating a network on it.
    const points = cornerPoints(start, count, resolution);
    const result = await occupancy(points);
    rounds++;
    if (result == null || result.length !== count) {
      throw new RangeError(
        `occupancy returned ${result == null ? result : `${result.length} values`} for ${count} points; ` +
          'expected one value per point',
      );
    }
    for (let i = 0; i < count; i++) {
      if (Number.isNaN(result[i])) {
        throw new Error(
          `occupancy returned NaN for point (${points[3 * i]}, ${points[3 * i + 1]}, ${points[3 * i + 2]}) ` +
            `(value ${i} of call ${rounds}); expected a number`,
        );
      }
    }
    values.set(result, start);
  }
  throwIfAborted(signal);
  const mesh = marchGrid(values, resolution, isoLevel);
  return { ...mesh, stats: { evaluations: total, rounds } };
}

/** xyz of grid corners start..start+count-1 (x fastest), at -0.5 + index / resolution. */
function cornerPoints(start: number, count: number, resolution: number): Float32Array {
  const n = resolution + 1;
  const points = new Float32Array(3 * count);
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
  return points;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  // DOMException where the platform has it (browsers, Node >= 17), so `name === 'AbortError'`
  // checks written for fetch work here too.
  const message = 'Surface extraction was aborted';
  if (typeof DOMException === 'function') throw new DOMException(message, 'AbortError');
  const error = new Error(message);
  error.name = 'AbortError';
  throw error;
}
