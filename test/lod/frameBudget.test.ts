import * as tf from '@tensorflow/tfjs';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { createRandom } from '../../src/decoder/random.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import { ExtractionScheduler } from '../../src/lod/ExtractionScheduler.js';
import { FrameBudget } from '../../src/lod/frameBudget.js';
import { randomModel, TINY } from '../support/fixtures.js';

/** A budget on a fake clock: chunks "take" exactly the time the test says. */
function fakeBudget(budgetMs: number) {
  let now = 0;
  let frames = 0;
  const budget = new FrameBudget({
    budgetMs,
    now: () => now,
    nextFrame: async () => { frames++; now += 16; },
  });
  return { budget, advance: (ms: number) => { now += ms; }, frames: () => frames };
}

test('never starts a chunk its estimate says would not fit: steady chunks stay within the budget', async () => {
  const { budget, advance, frames } = fakeBudget(8);
  for (let i = 0; i < 400; i++) {
    const wait = budget.checkpoint();
    if (wait) await wait;
    advance(0.7);
  }
  budget.pause();
  expect(budget.worstFrameMs).toBeLessThanOrEqual(8);
  expect(frames()).toBeGreaterThan(400 * 0.7 / 8); // the work was spread over frames
});

test('a chunk longer than any before it can overrun once; the estimate then keeps later frames in budget', async () => {
  const { budget, advance } = fakeBudget(8);
  const durations = [...Array(50).fill(0.3), 3, ...Array(200).fill(3)];
  const perFrame: number[] = [];
  let frameUsed = 0;
  for (const ms of durations) {
    const wait = budget.checkpoint();
    if (wait) {
      perFrame.push(frameUsed);
      frameUsed = 0;
      await wait;
    }
    advance(ms);
    frameUsed += ms;
  }
  budget.pause();
  const afterFirstLongChunk = perFrame.slice(perFrame.findIndex((ms) => ms > 5) + 1);
  expect(afterFirstLongChunk.length).toBeGreaterThan(50);
  for (const ms of afterFirstLongChunk) expect(ms).toBeLessThanOrEqual(8);
});

test('a frame always gets at least one chunk, so work cannot starve', async () => {
  const { budget, advance } = fakeBudget(1);
  let chunks = 0;
  for (let i = 0; i < 10; i++) {
    const wait = budget.checkpoint();
    if (wait) await wait;
    advance(5); // every chunk longer than the whole budget
    chunks++;
  }
  expect(chunks).toBe(10);
  expect(() => new FrameBudget({ budgetMs: 0 })).toThrow(/frameBudgetMs/);
});

describe('the scheduler\'s budget over a streaming scene, on an injected clock', () => {
  test('every frame\'s extraction chunks fit the budget while four shapes stream three levels', async () => {
    tf.env().set('IS_TEST', true);
    await tf.setBackend('cpu');
    Logger.LogLevels = Logger.NoneLogLevel;
    // Each reading of the clock moves it on by 0.05-1.5 ms (seeded), so every chunk "takes" that
    // long whatever this machine is doing: what the frames hold is decided by the budget alone.
    const random = createRandom(7);
    let clock = 0;
    const now = () => (clock += 0.05 + 1.45 * random());
    const engine = new NullEngine({ renderWidth: 512, renderHeight: 512, textureSize: 256, deterministicLockstep: false, lockstepMaxSteps: 1 });
    const scene = new Scene(engine);
    const camera = new FreeCamera('camera', new Vector3(0, 0, -3), scene);
    camera.setTarget(Vector3.Zero());
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, latents: 4, seed: 4 }));
    const scheduler = new ExtractionScheduler({ frameBudgetMs: 8, now }, engine);
    engine.runRenderLoop(() => scene.render());
    try {
      const shapes = decoder.latents.map((latent, i) => {
        const shape = new ImplicitShape(latent, { lod: { levels: [8, 16, 24], pixelsPerCell: 1 }, backend: 'cpu', scheduler }, scene);
        shape.position.set((i % 4) * 0.3 - 0.45, Math.floor(i / 4) * 0.3 - 0.3, 0);
        return shape;
      });
      await Promise.all(shapes.map((s) => s.ready));
      const start = Date.now();
      while (!shapes.every((s) => s.lodLevel === 2 && s.pendingLodLevel < 0)) {
        if (Date.now() - start > 60_000) throw new Error(`levels after 60 s: ${shapes.map((s) => s.lodLevel).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const { budgetMs, worstFrameMs, framesWorked } = scheduler.frameBudget;
      expect(worstFrameMs).toBeGreaterThan(0.75 * budgetMs - 1.5); // frames were filled, not starved
      expect(worstFrameMs).toBeLessThanOrEqual(budgetMs);
      expect(framesWorked).toBeGreaterThan(10); // the work was spread over frames
      shapes.forEach((s) => s.dispose());
    } finally {
      engine.stopRenderLoop();
      scheduler.dispose();
      decoder.dispose();
      scene.dispose();
      engine.dispose();
    }
  });
});
