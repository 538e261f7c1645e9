/**
 * The extraction scheduler on its own (no engine): a request larger than a call is split across
 * calls and comes back equal to one unsplit evaluation, shapes are served by priority, and dispose()
 * rejects the work it will never do.
 */
import * as tf from '@tensorflow/tfjs';
import { quietTf } from '../support/backends.js';
import { randomModel, randomPoints, TINY } from '../support/fixtures.js';
import { AbortError, ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ExtractionScheduler } from '../../src/lod/ExtractionScheduler.js';

quietTf();

let decoder: ImNetDecoder;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

beforeEach(() => {
  decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, latents: 3, seed: 4 }));
});

afterEach(() => decoder.dispose());

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe.each([true, false])('split requests (batchAcrossShapes %s)', (batchAcrossShapes) => {
  test('requests larger than a call come back equal to one unsplit evaluation each', async () => {
    const scheduler = new ExtractionScheduler({ batchSize: 100, batchAcrossShapes });
    const requests = [
      { latent: decoder.latents[0], points: randomPoints(1000, 1) },
      { latent: decoder.latents[1], points: randomPoints(333, 2) },
      { latent: decoder.latents[2], points: randomPoints(57, 3) },
    ];
    const handles = requests.map((r) => scheduler.createOccupancy(r.latent, { backend: 'cpu' }));
    const split = await Promise.all(requests.map((r, i) => handles[i].evaluate(r.points)));
    // 1390 points at most 100 per call.
    expect(scheduler.counters.calls).toBeGreaterThanOrEqual(14);
    expect(scheduler.counters.points).toBe(1390);
    for (const [i, r] of requests.entries()) {
      const whole = await decoder.evaluate(r.latent, r.points, { backend: 'cpu' });
      expect({ request: i, maxDiff: maxDiff(split[i], whole) < 1e-6 }).toEqual({ request: i, maxDiff: true });
      // The values vary, so a misplaced part could not pass for the right one.
      expect(Math.max(...whole) - Math.min(...whole)).toBeGreaterThan(0.01);
    }
    handles.forEach((h) => h.dispose());
    scheduler.dispose();
  });
});

test('higher priority is served first; priorities are read when each call is formed', async () => {
  const scheduler = new ExtractionScheduler({ batchAcrossShapes: false });
  const served: string[] = [];
  let lowPriority = 1;
  const clients = [
    { name: 'low', priority: () => lowPriority },
    { name: 'high', priority: () => 3 },
    { name: 'middle', priority: () => 2 },
  ].map((c, i) => ({ ...c, handle: scheduler.createOccupancy(decoder.latents[i], { backend: 'cpu', priority: c.priority }) }));
  const first = clients.map((c) => c.handle.evaluate(randomPoints(10, 5)).then(() => { served.push(c.name); }));
  await Promise.all(first);
  expect(served).toEqual(['high', 'middle', 'low']);
  served.length = 0;
  lowPriority = 10;
  await Promise.all(clients.map((c) => c.handle.evaluate(randomPoints(10, 6)).then(() => { served.push(c.name); })));
  expect(served).toEqual(['low', 'high', 'middle']);
  clients.forEach((c) => c.handle.dispose());
  scheduler.dispose();
});

test('dispose() rejects queued and partly evaluated requests with AbortError, and later ones at once', async () => {
  const scheduler = new ExtractionScheduler({ batchSize: 50 });
  const handle = scheduler.createOccupancy(decoder.latents[0], { backend: 'cpu' });
  const queued = [handle.evaluate(randomPoints(500, 1)), handle.evaluate(randomPoints(20, 2))];
  // Let a call come back, so one request is partly evaluated when the scheduler goes.
  while (scheduler.counters.calls === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(scheduler.counters.points).toBeLessThan(500);
  scheduler.dispose();
  for (const request of queued) await expect(request).rejects.toBeInstanceOf(AbortError);
  expect(scheduler.pendingRequests).toBe(0);
  await expect(handle.evaluate(randomPoints(5, 3))).rejects.toBeInstanceOf(AbortError);
  handle.dispose();
});

test('a disposed handle rejects its queued requests and later ones; other shapes carry on', async () => {
  const scheduler = new ExtractionScheduler({ batchSize: 50 });
  const gone = scheduler.createOccupancy(decoder.latents[0], { backend: 'cpu' });
  const stays = scheduler.createOccupancy(decoder.latents[1], { backend: 'cpu' });
  const points = randomPoints(200, 4);
  const lost = gone.evaluate(points);
  const kept = stays.evaluate(points);
  gone.dispose();
  await expect(lost).rejects.toBeInstanceOf(AbortError);
  await expect(gone.evaluate(points)).rejects.toBeInstanceOf(AbortError);
  expect(maxDiff(await kept, await decoder.evaluate(decoder.latents[1], points, { backend: 'cpu' }))).toBeLessThan(1e-6);
  stays.dispose();
  scheduler.dispose();
});
