/**
 * Cooperative time slicing and abort inside extraction, in one place.
 *
 * The extractors' CPU work is written as synchronous kernels over index ranges (cells, points,
 * triangles); a driver runs a kernel chunk by chunk and calls {@link Checkpoints.next} between
 * chunks. Kernels never hold state across a checkpoint (module-level scratch is rewritten per item),
 * so two extractions interleaved at checkpoints do not disturb each other, and the chunking changes
 * nothing in the result: the same kernel runs over the same items in the same order.
 */

import type { TimeSlice } from './types.js';

/**
 * A hash table that kernels insert into: it grows at once when it must (inside a chunk), but says
 * when it is getting full so a driver can grow it beforehand between chunks, in chunks of its own.
 */
export interface GrowsInChunks {
  /** Full enough that the next chunks could make it grow at once. */
  readonly crowded: boolean;
  /** Grows it in chunks with checkpoints between them; it must not be used until this resolves. */
  growSliced(checkpoints: Checkpoints): Promise<void>;
}

/** The checkpoints of one extraction: its abort signal and its caller's time slice (either optional). */
export class Checkpoints {
  private readonly slice: TimeSlice | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly afterWait: () => void;

  constructor(slice: TimeSlice | undefined, signal: AbortSignal | undefined) {
    this.slice = slice;
    this.signal = signal;
    this.afterWait = () => throwIfAborted(signal);
  }

  /**
   * Between two chunks of CPU work: throws an `AbortError` when the signal has aborted; returns the
   * slice's promise (which re-checks the signal once it resolves) when the slice asks to wait, else
   * undefined, so callers write `const wait = checkpoints.next(); if (wait) await wait;` and pay no
   * microtask when nothing is to be waited for.
   */
  next(): Promise<void> | undefined {
    throwIfAborted(this.signal);
    if (this.slice === undefined) return undefined;
    const wait = this.slice.checkpoint();
    if (wait) return wait.then(this.afterWait);
    // The slice's owner may have aborted from inside checkpoint() (e.g. it was disposed).
    throwIfAborted(this.signal);
    return undefined;
  }

  /** Extraction's CPU work stops (an occupancy call follows, or the extraction ends). */
  pause(): void {
    this.slice?.pause?.();
  }

  /**
   * Runs `kernel(from, to)` over 0..count in ranges of `chunk` items, in order, a checkpoint after
   * each range. `tables` the kernel inserts into are grown before a range when crowded.
   */
  async forEachChunk(
    count: number,
    chunk: number,
    kernel: (from: number, to: number) => void,
    tables: readonly GrowsInChunks[] = NO_TABLES,
  ): Promise<void> {
    for (let from = 0; from < count; from += chunk) {
      for (const table of tables) if (table.crowded) await table.growSliced(this);
      kernel(from, Math.min(count, from + chunk));
      const wait = this.next();
      if (wait) await wait;
    }
  }
}

const NO_TABLES: readonly GrowsInChunks[] = [];

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
