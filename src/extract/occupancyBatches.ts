/**
 * Sends points to an occupancy function in batches and checks what comes back; shared by the dense
 * and the adaptive extractors so both validate results, honour aborts and slice their CPU work the
 * same way.
 */

import type { Checkpoints } from './checkpoints.js';
import type { OccupancyFunction } from './types.js';

// Alias: a global lookup per value costs ~20x more inside vm contexts (jest's ESM runner).
const isNaN = Number.isNaN;

/**
 * Points written, or checked and stored, per chunk of CPU work around an occupancy call. The
 * costliest, storing into the adaptive extractor's hash map, takes ~0.2 ms a chunk under jest on the
 * dev machine; the dense path's ~0.04 ms.
 */
const POINTS_PER_CHUNK = 8192;

/** Where the points of one round come from and where their values go. */
export interface BatchedRound {
  /** Points in this round. */
  count: number;
  /** Writes the coordinates of points start..start+count-1 into `out` (`pointSize * count` floats: xyz, or xy in 2D). */
  writePoints(out: Float32Array, start: number, count: number): void;
  /** Receives the values of points start..start+values.length-1. */
  store(start: number, values: Float32Array): void;
}

/**
 * Evaluates one round: `batchSize` points per call (fewer only in the last call), one call at a time,
 * the CPU work around each call in chunks with checkpoints between them.
 *
 * @param callsBefore - calls made earlier in this extraction, so error messages number calls globally.
 * @param pointSize - coordinates per point: 3 (xyz), or 2 for a planar field (xy pairs).
 * @returns the number of calls made.
 * @throws RangeError for a result of the wrong length; Error for NaN values; an `AbortError` when the
 *   signal aborts (checked at every checkpoint, so before every call and right after it returns).
 */
export async function evaluateRound(
  occupancy: OccupancyFunction,
  round: BatchedRound,
  batchSize: number,
  checkpoints: Checkpoints,
  callsBefore = 0,
  pointSize = 3,
): Promise<number> {
  let calls = 0;
  for (let start = 0; start < round.count; start += batchSize) {
    const count = Math.min(batchSize, round.count - start);
    // A fresh array per call: the callback may hold on to it (e.g. an evaluator queueing uploads),
    // and one allocation per batch is noise next to evaluating a network on it.
    const points = new Float32Array(pointSize * count);
    await checkpoints.forEachChunk(count, POINTS_PER_CHUNK, (from, to) =>
      round.writePoints(points.subarray(pointSize * from, pointSize * to), start + from, to - from),
    );
    checkpoints.pause();
    const result = await occupancy(points);
    calls++;
    const wait = checkpoints.next();
    if (wait) await wait;
    if (result == null || result.length !== count) {
      throw new RangeError(
        `occupancy returned ${result == null ? result : `${result.length} values`} for ${count} points; ` +
          'expected one value per point',
      );
    }
    await checkpoints.forEachChunk(count, POINTS_PER_CHUNK, (from, to) => {
      checkValues(result, points, from, to, callsBefore + calls, pointSize);
      round.store(start + from, result.subarray(from, to));
    });
  }
  return calls;
}

/** Throws for the first NaN among result[from..to). */
function checkValues(result: Float32Array, points: Float32Array, from: number, to: number, call: number, pointSize: number): void {
  for (let i = from; i < to; i++) {
    if (isNaN(result[i])) {
      throw new Error(
        `occupancy returned NaN for point (${Array.from(points.subarray(pointSize * i, pointSize * (i + 1))).join(', ')}) ` +
          `(value ${i} of call ${call}); expected a number`,
      );
    }
  }
}
