/**
 * Case `train`, stage `train`: training points/s (shape x point pairs through one Adam step, forward
 * and backward) for each preset, mode and Node backend, beside the same backend's plain matMul
 * GFLOP/s measured in the same run. IM-AE runs IM-NET's encoder (width 32) on one shape per step
 * with IM-NET's 4096 points per shape, so its number includes the 64^3 encoder's cost at the paper's
 * ratio; the auto-decoder's is the decoder (and latent table) alone. The cpu backend (~25x slower)
 * runs the auto-decoder with 256 points and skips IM-AE, which takes minutes per step there.
 * `decoderGflops` is the decoder's arithmetic rate (3x its forward FLOPs per point) for comparison
 * with `matMulGflops`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { decoderFlopsPerPoint, PRESETS, type PresetName, createRandom } from '#core';
import { TrainingModel, type TrainingBatch } from '../../training/models/imnet/TrainingModel.js';
import type { TrainMode } from '../../training/models/imnet/config.js';
import { trainStep } from '../../training/trainer/Trainer.js';
import { matMulGflops } from './decoderBench.js';
import { emit, round } from './timing.js';

/** A batch of random points with a sphere's occupancy and the sphere's voxels. */
function syntheticBatch(shapes: number, pointsPerShape: number): TrainingBatch {
  const random = createRandom(5);
  const n = shapes * pointsPerShape;
  const points = Float32Array.from({ length: 3 * n }, () => random() - 0.5);
  const targets = Float32Array.from({ length: n }, (_, i) => (Math.hypot(points[3 * i], points[3 * i + 1], points[3 * i + 2]) < 0.3 ? 1 : 0));
  const voxels = new Uint8Array(64 ** 3);
  for (let z = 0, i = 0; z < 64; z++) for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++, i++) {
    voxels[i] = Math.hypot((x + 0.5) / 64 - 0.5, (y + 0.5) / 64 - 0.5, (z + 0.5) / 64 - 0.5) < 0.3 ? 1 : 0;
  }
  return { shapeIndices: Array.from({ length: shapes }, (_, i) => i), voxels: Array.from({ length: shapes }, () => voxels), pointsPerShape, points, targets };
}

/** Median seconds per step after one warm-up step, over at least 2 steps and ~3 s. */
async function secondsPerStep(model: TrainingModel, batch: TrainingBatch): Promise<{ seconds: number; steps: number }> {
  await trainStep(model, batch);
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 2 || (performance.now() - start < 3000 && times.length < 10)) {
    const t0 = performance.now();
    await trainStep(model, batch);
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], steps: times.length };
}

export async function trainBench(backends = ['wasm', 'cpu']): Promise<void> {
  // Not IS_TEST (it turns on a kernel leak check that misfires on customGrad); PROD silences tfjs's notes.
  tf.env().set('PROD', true);
  for (const backend of backends) {
    if (!(await tf.setBackend(backend))) continue;
    await tf.ready();
    const matmul = await matMulGflops(backend === 'cpu' ? 4096 : 32768);
    const modes: TrainMode[] = backend === 'cpu' ? ['autodecoder'] : ['autodecoder', 'autoencoder'];
    for (const preset of Object.keys(PRESETS) as PresetName[]) {
      for (const mode of modes) {
        const shapesPerStep = 1;
        const pointsPerShape = backend === 'cpu' ? 256 : 4096;
        const encoderWidth = 32;
        const model = new TrainingModel({
          architecture: { ...PRESETS[preset], hiddenSizes: [...PRESETS[preset].hiddenSizes] }, mode, encoderWidth, seed: 1,
          learningRate: 5e-5, beta1: 0.5, beta2: 0.999, latentLearningRate: 1e-3, latentRegularization: 1e-4,
        }, 8);
        const { seconds, steps } = await secondsPerStep(model, syntheticBatch(shapesPerStep, pointsPerShape));
        model.dispose();
        const pointsPerSecond = (shapesPerStep * pointsPerShape) / seconds;
        emit({
          case: 'train', stage: 'train', preset, backend, mode,
          pointsPerSecond: Math.round(pointsPerSecond),
          matMulGflops: round(matmul),
          // The decoder's share: forward (latent rows included, as training computes them) + backward ~ 3x forward.
          decoderGflops: round((3 * pointsPerSecond * decoderFlopsPerPoint(PRESETS[preset], true)) / 1e9),
          secondsPerStep: round(seconds), steps, shapesPerStep, pointsPerShape,
          ...(mode === 'autoencoder' ? { encoderWidth } : {}),
        });
      }
    }
  }
}
