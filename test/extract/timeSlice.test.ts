import { extractSurface, type OccupancyFunction, type SurfaceMesh, type TimeSlice } from '../../src/extract/index.js';
import { binaryOccupancyOfSdf, occupancyOfSdf, sphereSdf, thinSdf, torusSdf } from '../support/fields.js';

/** Bit equality of two typed arrays (-0, NaN payloads and all). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function expectSameMesh(actual: SurfaceMesh, expected: SurfaceMesh): void {
  expect(actual.stats).toEqual(expected.stats);
  expect(actual.indices.length).toBe(expected.indices.length);
  expect(sameBits(actual.positions, expected.positions)).toBe(true);
  expect(sameBits(actual.normals, expected.normals)).toBe(true);
  expect(sameBits(actual.indices, expected.indices)).toBe(true);
}

/** Waits for the event loop at every `every`-th checkpoint, like a frame budget that ran out. */
class YieldingSlice implements TimeSlice {
  checkpoints = 0;
  waits = 0;

  constructor(private readonly every: number) {}

  checkpoint(): Promise<void> | void {
    if (++this.checkpoints % this.every !== 0) return;
    this.waits++;
    return new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Records extraction's main-thread stretches: from a checkpoint to the next checkpoint or pause.
 * Extraction pauses before each occupancy call and checkpoints when it returns, so the field's own
 * time falls in no stretch.
 */
class StretchRecorder implements TimeSlice {
  readonly stretchesMs: number[] = [];
  /** Occupancy calls made while a stretch was open: the field's time would count as extraction's. */
  callsInsideStretch = 0;
  private start = -1;

  checkpoint(): void {
    const now = performance.now();
    this.close(now);
    this.start = now;
  }

  pause(): void {
    this.close(performance.now());
    this.start = -1;
  }

  get open(): boolean {
    return this.start >= 0;
  }

  /** `occupancy`, counting calls that arrive inside a stretch. */
  watch(occupancy: OccupancyFunction): OccupancyFunction {
    return (points) => {
      if (this.open) this.callsInsideStretch++;
      return occupancy(points);
    };
  }

  /** Longest stretch and the 99th percentile, ms. */
  summary(): { stretches: number; maxMs: number; p99Ms: number; medianMs: number; totalMs: number } {
    const sorted = [...this.stretchesMs].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))];
    const totalMs = sorted.reduce((a, b) => a + b, 0);
    return { stretches: sorted.length, maxMs: at(1), p99Ms: at(0.99), medianMs: at(0.5), totalMs };
  }

  private close(now: number): void {
    if (this.start >= 0) this.stretchesMs.push(now - this.start);
  }
}

describe('extractSurface with a time slice', () => {
  const cases: [string, OccupancyFunction, { resolution: number; adaptive?: boolean }][] = [
    ['adaptive sphere 128^3', occupancyOfSdf(sphereSdf), { resolution: 128 }],
    ['adaptive thin parts 128^3', occupancyOfSdf(thinSdf), { resolution: 128 }],
    ['adaptive binary torus 64^3 (surface tracking rounds)', binaryOccupancyOfSdf(torusSdf), { resolution: 64 }],
    ['dense sphere 64^3', occupancyOfSdf(sphereSdf), { resolution: 64, adaptive: false }],
  ];

  it.each(cases)('gives the bit-identical mesh, waiting at checkpoints: %s', async (_name, occupancy, options) => {
    const whole = await extractSurface(occupancy, options);
    const slice = new YieldingSlice(3);
    const sliced = await extractSurface(occupancy, { ...options, timeSlice: slice });
    expectSameMesh(sliced, whole);
    expect(slice.waits).toBeGreaterThan(10);
  });

  it('gives each of two extractions interleaved at every checkpoint the mesh it gets alone', async () => {
    const sphere = occupancyOfSdf(sphereSdf);
    const thin = occupancyOfSdf(thinSdf);
    const sphereAlone = await extractSurface(sphere, { resolution: 128 });
    const thinAlone = await extractSurface(thin, { resolution: 128 });
    const [sphereSliced, thinSliced] = await Promise.all([
      extractSurface(sphere, { resolution: 128, timeSlice: new YieldingSlice(1) }),
      extractSurface(thin, { resolution: 128, timeSlice: new YieldingSlice(1) }),
    ]);
    expectSameMesh(sphereSliced, sphereAlone);
    expectSameMesh(thinSliced, thinAlone);
  });

  it('keeps every stretch of CPU work between checkpoints short: adaptive sphere 256^3, dense 128^3', async () => {
    // Warm up the kernels first, as the coarse levels of detail do in a scene: a kernel's first
    // chunks run before the JIT has compiled it, up to ~10x slower.
    const warmUp = occupancyOfSdf(sphereSdf);
    await extractSurface(warmUp, { resolution: 64, timeSlice: new StretchRecorder() });
    await extractSurface(warmUp, { resolution: 32, adaptive: false, timeSlice: new StretchRecorder() });

    for (const [name, options] of [
      ['adaptive 256^3', { resolution: 256 }],
      ['dense 128^3', { resolution: 128, adaptive: false }],
    ] as const) {
      const recorder = new StretchRecorder();
      await extractSurface(recorder.watch(occupancyOfSdf(sphereSdf)), { ...options, timeSlice: recorder });
      const summary = recorder.summary();
      if (process.env.TIME_SLICE_REPORT) console.log(name, JSON.stringify(summary));
      expect(recorder.callsInsideStretch).toBe(0);
      expect(recorder.open).toBe(false); // paused when done
      // Chunks aim at 0.1-0.5 ms. Adaptive 256^3 under jest on the 2-core dev machine: ~3000
      // stretches, median 0.19 ms, p99 0.45-0.65 ms, max mostly 2-3 ms. The max is whatever GC pauses
      // and other processes on the cores make it (it reached 25+ ms with a browser test running
      // beside), so it is reported, not asserted; the 99th percentile is the chunking's own.
      expect({ name, p99Below4Ms: summary.p99Ms < 4 }).toEqual({ name, p99Below4Ms: true });
      expect(summary.stretches).toBeGreaterThan(500);
    }
  });

  it('rejects with an AbortError when the signal aborts while it waits at a checkpoint', async () => {
    const controller = new AbortController();
    let calls = 0;
    let callsAtAbort = -1;
    let checkpointsAfterAbort = 0;
    const field = occupancyOfSdf(sphereSdf);
    const slice: TimeSlice = {
      checkpoint() {
        if (controller.signal.aborted) checkpointsAfterAbort++;
        // Amid the CPU work after the second round: the budget is spent and, while extraction
        // waits for the next frame, the shape is disposed.
        if (calls < 2 || callsAtAbort >= 0) return;
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            callsAtAbort = calls;
            controller.abort();
            resolve();
          }),
        );
      },
    };
    const extraction = extractSurface(
      async (points) => {
        calls++;
        return field(points);
      },
      { resolution: 128, signal: controller.signal, timeSlice: slice },
    );
    await expect(extraction).rejects.toMatchObject({ name: 'AbortError' });
    expect(callsAtAbort).toBe(2);
    expect(calls).toBe(2);
    expect(checkpointsAfterAbort).toBe(0);
  });

  it('rejects with an AbortError at once when the slice aborts inside checkpoint()', async () => {
    const controller = new AbortController();
    let checkpoints = 0;
    let calls = 0;
    const recorder = new StretchRecorder();
    const slice: TimeSlice = {
      checkpoint() {
        recorder.checkpoint();
        if (++checkpoints === 40) controller.abort();
      },
      pause: () => recorder.pause(),
    };
    const field = occupancyOfSdf(sphereSdf);
    const extraction = extractSurface(
      async (points) => {
        calls++;
        return field(points);
      },
      { resolution: 128, signal: controller.signal, timeSlice: slice },
    );
    await expect(extraction).rejects.toMatchObject({ name: 'AbortError' });
    expect(checkpoints).toBe(40);
    expect(recorder.open).toBe(false); // paused on the way out
    const callsThen = calls;
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(callsThen);
  });

  it('rejects a time slice without checkpoint() with a TypeError', async () => {
    const notASlice = {} as TimeSlice;
    await expect(extractSurface(occupancyOfSdf(sphereSdf), { resolution: 8, timeSlice: notASlice })).rejects.toThrow(
      /timeSlice has no checkpoint\(\) method/,
    );
  });
});
