/**
 * Sends points to an occupancy function in batches and checks what comes back; shared by the dense
 * and the adaptive extractors so both validate results and honour aborts the same way.
 */

import type { OccupancyFunction } from './types.js';

// Alias: a global lookup per value costs ~20x more inside vm contexts (jest's ESM runner).
const isNaN = Number.isNaN;

/** Where the points of one round come from and where their values go. */
export interface BatchedRound {
  /** Points in this round. */
  count: number;
  /** xyz of points start..start+count-1 as a fresh array (the callback may keep it). */
  points(start: number, count: number): Float32Array;
  /** Receives the values of points start..start+values.length-1. */
  store(start: number, values: Float32Array): void;
}

/**
 * Evaluates one round: `batchSize` points per call (fewer only in the last call), one call at a time.
 *
 * @param callsBefore - calls made earlier in this extraction, so error messages number calls globally.
 * @returns the number of calls made.
 * @throws RangeError for a result of the wrong length; Error for NaN values; an `AbortError` when
 *   `signal` aborts (checked before every call).
 */
export async function evaluateRound(
  occupancy: OccupancyFunction,
  round: BatchedRound,
  batchSize: number,
  signal: AbortSignal | undefined,
  callsBefore = 0,
): Promise<number> {
  let calls = 0;
  for (let start = 0; start < round.count; start += batchSize) {
    throwIfAborted(signal);
    const count = Math.min(batchSize, round.count - start);
    const points = round.points(start, count);
    const result = await occupancy(points);
    calls++;
    if (result == null || result.length !== count) {
      throw new RangeError(
        `occupancy returned ${result == null ? result : `${result.length} values`} for ${count} points; ` +
          'expected one value per point',
      );
    }
    for (let i = 0; i < count; i++) {
      if (isNaN(result[i])) {
        throw new Error(
          `occupancy returned NaN for point (${points[3 * i]}, ${points[3 * i + 1]}, ${points[3 * i + 2]}) ` +
            `(value ${i} of call ${callsBefore + calls}); expected a number`,
        );
      }
    }
    round.store(start, result);
  }
  return calls;
}

/** Throws an `AbortError` when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  // DOMException where the platform has it (browsers, Node >= 17), so `name === 'AbortError'`
  // checks written for fetch work here too.
  const message = 'Surface extraction was aborted';
  if (typeof DOMException === 'function') throw new DOMException(message, 'AbortError');
  const error = new Error(message);
  error.name = 'AbortError';
  throw error;
}
