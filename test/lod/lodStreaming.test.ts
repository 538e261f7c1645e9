import * as tf from '@tensorflow/tfjs';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { quietTf } from '../support/backends.js';
import { randomModel, TINY } from '../support/fixtures.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import { ExtractionScheduler } from '../../src/lod/ExtractionScheduler.js';

quietTf();
Logger.LogLevels = Logger.NoneLogLevel;

const LEVELS = [8, 16, 32];
let engine: NullEngine;
let scene: Scene;
let camera: FreeCamera;
let decoder: ImNetDecoder;

async function until(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

beforeEach(() => {
  engine = new NullEngine({ renderWidth: 512, renderHeight: 512, textureSize: 256, deterministicLockstep: false, lockstepMaxSteps: 1 });
  scene = new Scene(engine);
  camera = new FreeCamera('camera', new Vector3(0, 0, -200), scene);
  camera.setTarget(Vector3.Zero());
  decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, latents: 4, seed: 4 }));
  engine.runRenderLoop(() => scene.render());
});

afterEach(() => {
  engine.stopRenderLoop();
  decoder.dispose();
  scene.dispose();
  engine.dispose();
});

test('ready resolves on the coarse level; moving the camera streams finer levels in and drops back', async () => {
  const shape = new ImplicitShape(decoder.latents[0], { lod: { levels: LEVELS, pixelsPerCell: 2 }, backend: 'cpu' }, scene);
  const changes: number[] = [];
  shape.onLODChangedObservable.add((c) => changes.push(c.resolution));
  await shape.ready;
  expect(shape.lodLevel).toBe(0);
  expect(shape.surfaceResolution).toBe(8);
  const coarseTriangles = shape.getTotalIndices();

  camera.position.set(0, 0, -2); // ~ 300 px on a 512 px viewport: wants the finest level
  await until(() => shape.lodLevel === 2, 'the finest level');
  expect(shape.getTotalIndices()).toBeGreaterThan(coarseTriangles);

  camera.position.set(0, 0, -200);
  await until(() => shape.lodLevel === 0, 'the coarse level again');
  expect(changes[0]).toBe(8);
  expect(changes).toContain(32);
  expect(changes[changes.length - 1]).toBe(8);
});

test('shapes of one decoder share decoder calls; results equal one-shape-at-a-time', async () => {
  const run = async (batchAcrossShapes: boolean) => {
    const scheduler = new ExtractionScheduler({ batchAcrossShapes });
    const shapes = decoder.latents.map((latent) => new ImplicitShape(latent, { resolution: 12, backend: 'cpu', scheduler }, scene));
    await Promise.all(shapes.map((s) => s.ready));
    const positions = shapes.map((s) => Array.from(s.getVerticesData('position')!));
    shapes.forEach((s) => s.dispose());
    return { calls: scheduler.counters.calls, positions };
  };
  const batched = await run(true);
  const alone = await run(false);
  expect(batched.calls).toBeLessThan(alone.calls);
  expect(batched.positions.length).toBe(4);
  batched.positions.forEach((p, i) => {
    expect(p.length).toBe(alone.positions[i].length);
    let maxDiff = 0;
    for (let k = 0; k < p.length; k++) maxDiff = Math.max(maxDiff, Math.abs(p[k] - alone.positions[i][k]));
    expect(maxDiff).toBeLessThan(1e-5);
  });
});

test('dispose mid-stream cancels the pending level: no tensor, no queued work left', async () => {
  const scheduler = new ExtractionScheduler({});
  // Warm: the decoder's weights are uploaded by the first shape and stay while the decoder lives.
  const warmUp = new ImplicitShape(decoder.latents[0], { resolution: 4, backend: 'cpu', scheduler }, scene);
  await warmUp.ready;
  warmUp.dispose();
  const warm = tf.memory().numTensors;
  const shape = new ImplicitShape(decoder.latents[1], { lod: { levels: [8, 64], pixelsPerCell: 1 }, backend: 'cpu', scheduler }, scene);
  await shape.ready;
  camera.position.set(0, 0, -2);
  await until(() => shape.pendingLodLevel === 1, 'the fine level to start');
  expect(tf.memory().numTensors).toBeGreaterThan(warm); // the shape's folded latent
  shape.dispose();
  await new Promise((r) => setTimeout(r, 200));
  expect(scheduler.pendingRequests).toBe(0);
  expect(shape.lodLevel).toBe(0);
  // Counted while the decoder lives: its dispose() would free whatever the shape forgot.
  expect(tf.memory().numTensors).toBe(warm);
});

test('changing the latent re-extracts the surface: the one a fresh shape of that latent gets', async () => {
  const shape = new ImplicitShape(decoder.latents[0], { resolution: 12, backend: 'cpu' }, scene);
  await shape.ready;
  const before = Array.from(shape.getVerticesData('position')!);
  const changed = new Promise((resolve) => shape.onLODChangedObservable.addOnce(resolve));
  shape.latent = decoder.latents[3];
  await changed;
  const fresh = new ImplicitShape(decoder.latents[3], { resolution: 12, backend: 'cpu' }, scene);
  await fresh.ready;
  expect(Array.from(shape.getVerticesData('position')!)).toEqual(Array.from(fresh.getVerticesData('position')!));
  expect(Array.from(shape.getIndices()!)).toEqual(Array.from(fresh.getIndices()!));
  expect(Array.from(shape.getVerticesData('position')!)).not.toEqual(before);
  expect(() => { shape.latent = ImNetDecoder.fromModel(randomModel({ architecture: TINY })).latents[0]; }).toThrow(/belongs to/);
});
