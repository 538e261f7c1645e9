/**
 * Fits a small IM-NET decoder to the analytic shapes by auto-decoding (one learned latent per shape,
 * no encoder), and writes it in the runtime's weights format. This gives the demo and tests a real
 * fitted decoder independent of the mesh pipeline. The model is IM-NET's auto-decoder
 * (`TrainingModel`) on the Trainer; only the data differs: points sampled from each shape's SDF.
 *
 *   npx tsx training/models/analytic/fitAnalytic.ts [--minutes 12] [--out weights/analytic] [--backend wasm]
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, gaussian, type ImNetArchitecture, type ImNetModel } from '#core';
import { selectBackend, type BackendPreference } from '../../nn/backend.js';
import type { TrainerCallback } from '../../trainer/callbacks.js';
import { writeModelFiles } from '../../trainer/runDir.js';
import { Trainer } from '../../trainer/Trainer.js';
import type { BatchSource, TrainingPosition } from '../../trainer/TrainingModule.js';
import { mixSeed } from '../../util/seeds.js';
import { TrainingModel, type TrainingBatch } from '../imnet/TrainingModel.js';
import { ANALYTIC_SHAPES, type Sdf } from './shapes.js';

const ARCHITECTURE: ImNetArchitecture = { latentSize: 32, hiddenSizes: [256, 256, 128, 64, 32], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const SAMPLES_PER_SHAPE = 32768;
const POINTS_PER_SHAPE_PER_STEP = 1024;
const STEPS_PER_EPOCH = 100;
const SEED = 9;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Half uniform points, half points near the surface (a jittered shell), with 0/1 occupancy. */
function samplePoints(sdf: Sdf, count: number, seed: number): { points: Float32Array; occupancy: Float32Array } {
  const random = createRandom(seed);
  const points = new Float32Array(count * 3);
  const occupancy = new Float32Array(count);
  let n = 0;
  while (n < count) {
    const x = random() - 0.5, y = random() - 0.5, z = random() - 0.5;
    const d = sdf(x, y, z);
    const near = n >= count / 2;
    if (near && Math.abs(d) > 0.04) continue;
    const s = near ? 0.01 : 0;
    const px = Math.min(Math.max(x + gaussian(random) * s, -0.5), 0.5);
    const py = Math.min(Math.max(y + gaussian(random) * s, -0.5), 0.5);
    const pz = Math.min(Math.max(z + gaussian(random) * s, -0.5), 0.5);
    points.set([px, py, pz], 3 * n);
    occupancy[n] = sdf(px, py, pz) <= 0 ? 1 : 0;
    n++;
  }
  return { points, occupancy };
}

/** Every step: each shape's `POINTS_PER_SHAPE_PER_STEP` points, drawn by `(seed, step)` from its samples. Epochs run until a callback stops the fit. */
class AnalyticBatches implements BatchSource<TrainingBatch> {
  readonly stages = [{ name: 'fit', epochs: Infinity }];
  private readonly samples = ANALYTIC_SHAPES.map((s, i) => samplePoints(s.sdf, SAMPLES_PER_SHAPE, 100 + i));
  private readonly points = new Float32Array(ANALYTIC_SHAPES.length * POINTS_PER_SHAPE_PER_STEP * 3);
  private readonly targets = new Float32Array(ANALYTIC_SHAPES.length * POINTS_PER_SHAPE_PER_STEP);

  steps(): number {
    return STEPS_PER_EPOCH;
  }

  batch({ epoch, step }: TrainingPosition): TrainingBatch {
    const random = createRandom(mixSeed(SEED, epoch * STEPS_PER_EPOCH + step));
    this.samples.forEach((sample, s) => {
      for (let k = 0; k < POINTS_PER_SHAPE_PER_STEP; k++) {
        const p = Math.floor(random() * SAMPLES_PER_SHAPE);
        const o = s * POINTS_PER_SHAPE_PER_STEP + k;
        this.points.set(sample.points.subarray(3 * p, 3 * p + 3), 3 * o);
        this.targets[o] = sample.occupancy[p];
      }
    });
    return { shapeIndices: ANALYTIC_SHAPES.map((_, i) => i), voxels: [], pointsPerShape: POINTS_PER_SHAPE_PER_STEP, points: this.points, targets: this.targets };
  }

  sampleCount(batch: TrainingBatch): number {
    return batch.shapeIndices.length * batch.pointsPerShape;
  }
}

async function main(): Promise<void> {
  const minutes = Number(flag('minutes', '12'));
  const out = flag('out', 'weights/analytic');
  const backend = flag('backend', 'wasm') as BackendPreference;
  await selectBackend(backend, (line) => console.log(line));
  console.log(`fitAnalytic: ${ANALYTIC_SHAPES.length} shapes, ${minutes} min budget`);

  const model = new TrainingModel({
    architecture: ARCHITECTURE, mode: 'autodecoder', encoderWidth: 0, seed: 3,
    learningRate: 1e-3, beta1: 0.9, beta2: 0.999, latentLearningRate: 1e-3, latentRegularization: 1e-4,
  }, ANALYTIC_SHAPES.length);
  const budgetMs = minutes * 60_000;
  const started = performance.now();
  let lastLoss = NaN;

  const save = async (steps: number): Promise<void> => {
    const values = (await model.table!.data()) as Float32Array;
    const size = ARCHITECTURE.latentSize;
    const fitted: ImNetModel = {
      category: 'analytic',
      preset: null,
      architecture: ARCHITECTURE,
      isoLevel: 0.5,
      decoder: await model.decoder.read(),
      trainLatents: ANALYTIC_SHAPES.map((_, i) => values.slice(i * size, (i + 1) * size)),
      testLatents: [],
      generator: null,
      provenance: {
        producedBy: 'training/models/analytic/fitAnalytic.ts (auto-decoder fit to analytic SDF shapes)',
        command: `npx tsx training/models/analytic/fitAnalytic.ts --minutes ${minutes} --out ${out} --backend ${backend}`,
        shapes: ANALYTIC_SHAPES.map((s) => s.name),
        steps,
        finalLoss: lastLoss,
        pointsPerStep: ANALYTIC_SHAPES.length * POINTS_PER_SHAPE_PER_STEP,
        wallSeconds: Math.round((performance.now() - started) / 1000),
        backend: tf.getBackend(),
      },
    };
    writeModelFiles(out, fitted);
  };

  let trainer: Trainer<TrainingBatch> | null = null;
  const schedule: TrainerCallback = {
    onStepEnd: async ({ globalStep, metrics }) => {
      lastLoss = metrics.loss;
      const spent = performance.now() - started;
      // Coarse-to-fine: a smaller step for the last 40% of the budget sharpens thin parts.
      if (spent > 0.6 * budgetMs) model.adam.setLearningRate(3e-4);
      if (spent > budgetMs) trainer!.stop();
      if (globalStep % 1000 === 0) await save(globalStep);
    },
    onEpochEnd: ({ row }) => console.log(`step ${row.step}  loss ${row.loss.toFixed(5)}  ${row.seconds.toFixed(0)} s`),
  };
  trainer = new Trainer({ module: model, data: new AnalyticBatches(), callbacks: [schedule] });
  try {
    const { globalStep } = await trainer.fit();
    await save(globalStep);
    console.log(`fitAnalytic: ${globalStep} steps, final loss ${lastLoss.toFixed(5)}, wrote ${out}`);
  } finally {
    model.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
