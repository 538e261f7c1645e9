/**
 * Case `timeSlice`: how long extraction's main-thread stretches (from a checkpoint to the next
 * checkpoint or pause) take in wall-clock time, for the sphere at adaptive 256^3 and dense 128^3.
 * Chunks aim at 0.1-0.5 ms. The test suite checks the chunking by counting work
 * (test/extract/timeSlice.test.ts); the times live here because they depend on the machine and on
 * whatever else runs on its cores (GC pauses and a busy neighbour make the max, not the chunking).
 */
import { extractSurface, type TimeSlice } from '../../src/extract/index.js';
import { occupancyOfSdf, sphereSdf } from '../support/fields.js';
import { emit, round } from './timing.js';

class StretchTimer implements TimeSlice {
  readonly stretchesMs: number[] = [];
  private start = -1;

  checkpoint(): void {
    const now = performance.now();
    if (this.start >= 0) this.stretchesMs.push(now - this.start);
    this.start = now;
  }

  pause(): void {
    if (this.start >= 0) this.stretchesMs.push(performance.now() - this.start);
    this.start = -1;
  }
}

export async function timeSliceBench(): Promise<void> {
  const field = occupancyOfSdf(sphereSdf);
  // Warm-up, as the coarse levels of detail do in a scene: a kernel's first chunks run before the
  // JIT has compiled it, up to ~10x slower.
  await extractSurface(field, { resolution: 64, timeSlice: new StretchTimer() });
  await extractSurface(field, { resolution: 32, adaptive: false, timeSlice: new StretchTimer() });
  for (const [variant, options] of [
    ['adaptive 256^3', { resolution: 256 }],
    ['dense 128^3', { resolution: 128, adaptive: false }],
  ] as const) {
    const timer = new StretchTimer();
    const started = performance.now();
    await extractSurface(field, { ...options, timeSlice: timer });
    const wallMs = performance.now() - started;
    const sorted = [...timer.stretchesMs].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))];
    emit({
      case: 'timeSlice', field: 'sphere', variant, stretches: sorted.length,
      medianMs: round(at(0.5)), p99Ms: round(at(0.99)), maxMs: round(at(1)),
      extractionMs: Math.round(sorted.reduce((a, b) => a + b, 0)), wallMs: Math.round(wallMs),
    });
  }
}
