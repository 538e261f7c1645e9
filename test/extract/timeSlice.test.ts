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
 * Records extraction's main-thread stretches (from a checkpoint to the next checkpoint or pause) by
 * what happens between them, not by the clock: how many stretches lie between two occupancy calls,
 * and how many points each call carried. Extraction pauses before each occupancy call and
 * checkpoints when it returns, so the field's own work falls in no stretch. (Wall-clock stretch
 * lengths are measured by `npm run bench -- timeSlice`.)
 */
class StretchRecorder implements TimeSlice {
  /** Stretches opened before the first call, between calls (one entry per call), after the last. */
  readonly stretchesBeforeCall: number[] = [];
  readonly pointsPerCall: number[] = [];
  stretchesSinceCall = 0;
  /** Occupancy calls made while a stretch was open: the field's time would count as extraction's. */
  callsInsideStretch = 0;
  private isOpen = false;

  checkpoint(): void {
    this.stretchesSinceCall++;
    this.isOpen = true;
  }

  pause(): void {
    this.isOpen = false;
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** `occupancy`, recording each call. */
  watch(occupancy: OccupancyFunction): OccupancyFunction {
    return (points) => {
      if (this.isOpen) this.callsInsideStretch++;
      this.stretchesBeforeCall.push(this.stretchesSinceCall);
      this.pointsPerCall.push(points.length / 3);
      this.stretchesSinceCall = 0;
      return occupancy(points);
    };
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

  /**
   * Work per chunk, counted: points are written before a call and checked and stored after it in
   * chunks of at most 8192, and the mesh's normals are summed and normalised in chunks of at most
   * 8192 triangles and vertices. So between two calls there are at least (points of both) / 8192
   * stretches, and after the last call at least (triangles + vertices) / 8192. The bounds below
   * allow twice that much work per stretch; an unchunked pass does all of it in one.
   */
  const POINTS_PER_STRETCH = 16384;
  const MESH_ITEMS_PER_STRETCH = 16384;

  it.each([
    ['adaptive sphere 256^3', occupancyOfSdf(sphereSdf), { resolution: 256 }],
    ['adaptive thin parts 128^3', occupancyOfSdf(thinSdf), { resolution: 128 }],
    ['dense sphere 96^3', occupancyOfSdf(sphereSdf), { resolution: 96, adaptive: false }],
  ] as [string, OccupancyFunction, { resolution: number; adaptive?: boolean }][])(
    'splits CPU work into bounded chunks, none around an occupancy call: %s',
    async (_name, field, options) => {
      const recorder = new StretchRecorder();
      const mesh = await extractSurface(recorder.watch(field), { ...options, timeSlice: recorder });
      expect(recorder.callsInsideStretch).toBe(0);
      expect(recorder.open).toBe(false); // paused when done
      const calls = recorder.pointsPerCall.length;
      expect(calls).toBeGreaterThan(1);
      for (let i = 1; i < calls; i++) {
        const points = recorder.pointsPerCall[i - 1] + recorder.pointsPerCall[i];
        expect({ call: i, stretches: recorder.stretchesBeforeCall[i], enough: recorder.stretchesBeforeCall[i] >= points / POINTS_PER_STRETCH })
          .toEqual({ call: i, stretches: recorder.stretchesBeforeCall[i], enough: true });
      }
      const meshItems = mesh.indices.length / 3 + mesh.positions.length / 3;
      expect(meshItems).toBeGreaterThan(2 * MESH_ITEMS_PER_STRETCH); // enough mesh for the bound to bite
      expect(recorder.stretchesSinceCall).toBeGreaterThanOrEqual(meshItems / MESH_ITEMS_PER_STRETCH);
    },
  );

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
