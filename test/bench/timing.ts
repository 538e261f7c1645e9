/** Timing helpers for benchmarks: repeat until enough time has passed, report the median. */

export interface Timing {
  medianMs: number;
  runs: number;
}

/** Runs `work` once to warm up, then repeats it for at least `minMs` (and `minRuns`), median time. */
export async function timeIt(work: () => Promise<void>, minMs = 1500, minRuns = 3, maxRuns = 50): Promise<Timing> {
  await work();
  const times: number[] = [];
  const start = performance.now();
  while ((times.length < minRuns || performance.now() - start < minMs) && times.length < maxRuns) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], runs: times.length };
}

export function emit(line: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

export const round = (v: number, digits = 3): number => Number(v.toPrecision(digits));
