/** Timing helpers for benchmarks: repeat until enough time has passed, report the median. */

export interface Timing {
  medianMs: number;
  runs: number;
}

/**
 * Runs `work` once to warm up, then repeats it for at least `minMs` (and `minRuns`); the median time
 * (for an even number of runs, the mean of the two middle ones).
 */
export async function timeIt(work: () => Promise<void>, minMs = 1500, minRuns = 3, maxRuns = 50): Promise<Timing> {
  await work();
  const times: number[] = [];
  const start = performance.now();
  while ((times.length < minRuns || performance.now() - start < minMs) && times.length < maxRuns) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return { medianMs: median(times), runs: times.length };
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

export const round = (v: number, digits = 3): number => Number(v.toPrecision(digits));
