/**
 * Case `scene`: many LOD shapes in view at once, streamed by one scheduler. 64 ImplicitShapes of the
 * shipped analytic decoder stand in a grid in front of a camera (near ones want finer levels), on a
 * NullEngine whose render loop runs, so frames, the LOD updates and the frame budget are real. The wasm
 * backend evaluates. Two variants in one run, each with a fresh scheduler and fresh shapes:
 *
 * - `batched`: the scheduler shares decoder calls between shapes (`batchAcrossShapes: true`).
 * - `oneShapeAtATime`: one shape's request per call (`batchAcrossShapes: false`).
 *
 * Per line: time until every shape shows its first level, time until every shape shows the level its
 * coverage asks for (and per-shape time-to-level percentiles), decoder calls and points, and two
 * worst frames: `worstExtractionFrameMs` is the frame budget's (extraction's own main-thread chunks,
 * what `budgetMs` bounds) and `worstFrameGapMs` is the longest wall time between two frames. In Node
 * the wasm backend runs the decoder on the main thread, so a 64k-point call stalls the render loop
 * for its whole duration: the gap measures that, the budget does not (on a GPU backend the call is
 * asynchronous).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { FreeCamera } from '@babylonjs/core/Cameras/freeCamera.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import { ExtractionScheduler } from '../../src/lod/ExtractionScheduler.js';
import { projectedDiameterPixels, resolveLodPolicy, selectLodLevel, type ResolvedLodPolicy } from '../../src/lod/lodPolicy.js';
import { emit, round } from './timing.js';

const MODEL = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'weights/analytic/model.json');
/** Small levels, so both variants finish in about a minute on two wasm cores; the line says which. */
const LEVELS = [16, 32, 64];
const GRID_COLUMNS = 8;
const GRID_ROWS = 8;
const SPACING_X = 1.5;
/** Rows recede from 2.5 to 2.5 + 7 * 3.5 = 27 units: at 480 px the nearest want 64^3, the farthest 16^3. */
const FIRST_ROW_Z = 2.5;
const SPACING_Z = 3.5;
const RENDER_HEIGHT = 480;
const TIMEOUT_MS = 180_000;

interface VariantResult {
  msUntilAllReady: number;
  msUntilAllAtWantedLevel: number;
  timeToLevelMs: number[];
  wantedCounts: number[];
  reachedCounts: number[];
  frames: number;
  worstFrameGapMs: number;
}

/** The level a shape at `pixels` settles on: it starts at level 0 and steps by the policy (with hysteresis). */
function settledLevel(pixels: number, policy: ResolvedLodPolicy): number {
  let level = 0;
  for (;;) {
    const next = selectLodLevel(pixels, level, policy);
    if (next === level) return level;
    level = next;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function sceneBench(): Promise<void> {
  Logger.LogLevels = Logger.NoneLogLevel;
  tf.env().set('IS_TEST', true);
  if (!(await tf.setBackend('wasm'))) throw new Error('scene bench: the wasm backend failed to initialise');
  await tf.ready();
  const decoder = await ImNetDecoder.load(MODEL);
  const policy = resolveLodPolicy({ levels: LEVELS });

  const engine = new NullEngine({ renderWidth: Math.round(RENDER_HEIGHT * 16 / 9), renderHeight: RENDER_HEIGHT, textureSize: 256, deterministicLockstep: false, lockstepMaxSteps: 1 });
  const scene = new Scene(engine);
  const camera = new FreeCamera('camera', new Vector3(0, 0, 0), scene);
  camera.setTarget(new Vector3(0, 0, 1));
  const positions = Array.from({ length: GRID_COLUMNS * GRID_ROWS }, (_, i) => new Vector3(
    ((i % GRID_COLUMNS) - (GRID_COLUMNS - 1) / 2) * SPACING_X,
    0,
    FIRST_ROW_Z + Math.floor(i / GRID_COLUMNS) * SPACING_Z));
  // The same projection ImplicitShape measures: the bounding sphere of the unit box.
  const wanted = positions.map((p) => settledLevel(
    projectedDiameterPixels(Math.sqrt(3) / 2, p.length(), camera.fov, engine.getRenderHeight()), policy));

  let lastFrame = -1;
  let worstFrameGapMs = 0;
  let frames = 0;
  engine.onBeginFrameObservable.add(() => {
    const now = performance.now();
    if (lastFrame >= 0) worstFrameGapMs = Math.max(worstFrameGapMs, now - lastFrame);
    lastFrame = now;
    frames++;
  });
  engine.runRenderLoop(() => scene.render());

  async function runVariant(scheduler: ExtractionScheduler, count: number): Promise<VariantResult> {
    lastFrame = -1;
    worstFrameGapMs = 0;
    frames = 0;
    const start = performance.now();
    const timeToLevelMs = new Array<number>(count).fill(-1);
    let remaining = count;
    let finish: () => void = () => undefined;
    const allAtLevel = new Promise<void>((resolveAll) => { finish = resolveAll; });
    const shapes = positions.slice(0, count).map((position, i) => {
      const shape = new ImplicitShape(decoder.latents[i % decoder.latents.length], { lod: policy, backend: 'wasm', scheduler, name: `shape${i}` }, scene);
      shape.position.copyFrom(position);
      shape.onLODChangedObservable.add(({ level }) => {
        if (level !== wanted[i] || timeToLevelMs[i] >= 0) return;
        timeToLevelMs[i] = performance.now() - start;
        if (--remaining === 0) finish();
      });
      return shape;
    });
    await Promise.all(shapes.map((s) => s.ready));
    const msUntilAllReady = performance.now() - start;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([allAtLevel, new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`scene bench: ${remaining} shapes not at their level after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    })]).finally(() => clearTimeout(timer));
    const msUntilAllAtWantedLevel = performance.now() - start;
    const reachedCounts = LEVELS.map((_, l) => shapes.filter((s) => s.lodLevel === l).length);
    shapes.forEach((s) => s.dispose());
    return {
      msUntilAllReady, msUntilAllAtWantedLevel, timeToLevelMs: [...timeToLevelMs].sort((a, b) => a - b),
      wantedCounts: LEVELS.map((_, l) => wanted.slice(0, count).filter((w) => w === l).length),
      reachedCounts, frames, worstFrameGapMs,
    };
  }

  // Warm-up: wasm kernels and the decoder's weight tensors, outside the timed variants.
  const warmUp = new ExtractionScheduler({}, engine);
  await runVariant(warmUp, 1);
  warmUp.dispose();

  for (const [variant, batchAcrossShapes] of [['batched', true], ['oneShapeAtATime', false]] as const) {
    const scheduler = new ExtractionScheduler({ batchAcrossShapes }, engine);
    const r = await runVariant(scheduler, positions.length);
    emit({
      case: 'scene', variant, backend: tf.getBackend(), decoder: 'analytic', shapes: positions.length, levels: LEVELS,
      renderHeight: RENDER_HEIGHT, wantedPerLevel: r.wantedCounts, reachedPerLevel: r.reachedCounts,
      msUntilAllReady: Math.round(r.msUntilAllReady), msUntilAllAtWantedLevel: Math.round(r.msUntilAllAtWantedLevel),
      timeToLevelP50Ms: Math.round(percentile(r.timeToLevelMs, 0.5)), timeToLevelP95Ms: Math.round(percentile(r.timeToLevelMs, 0.95)),
      decoderCalls: scheduler.counters.calls, pointsEvaluated: scheduler.counters.points,
      batchSize: scheduler.batchSize, budgetMs: scheduler.frameBudget.budgetMs,
      worstExtractionFrameMs: round(scheduler.frameBudget.worstFrameMs), framesWorked: scheduler.frameBudget.framesWorked,
      frames: r.frames, worstFrameGapMs: Math.round(r.worstFrameGapMs),
    });
    scheduler.dispose();
  }

  engine.stopRenderLoop();
  scene.dispose();
  engine.dispose();
  decoder.dispose();
}
