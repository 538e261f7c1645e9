/**
 * Case `train`, stage `train`: training points/s (shape x point pairs through one Adam step, forward
 * and backward) for each preset, mode and Node backend, beside the same backend's plain matMul
 * GFLOP/s measured in the same run. IM-AE runs IM-NET's encoder (width 32) on one shape per step
 * with IM-NET's 4096 points per shape, so its number includes the 64^3 encoder's cost at the paper's
 * ratio; the auto-decoder's is the decoder (and latent table) alone. The cpu backend (~25x slower)
 * runs the auto-decoder with 256 points and skips IM-AE, which takes minutes per step there.
 * `decoderGflops` is the decoder's arithmetic rate (3x its folded forward FLOPs per point) for
 * comparison with `matMulGflops`.
 *
 * The wasm auto-decoder also runs on 2 data-parallel replicas (`workers: 2`, trainer/DataParallel.ts:
 * the 4096 points split between this thread and a worker thread) where there are 2 cores.
 * When /usr/bin/python3 has torch, each preset first gets PyTorch lines for the same auto-decoder
 * step (torchTrainStep.py: IM-NET-pytorch's concat form and the folded form, at 1 and 2 threads),
 * and the tfjs auto-decoder lines carry `vsPyTorch`: their points/s over the best PyTorch line's, and
 * `vsPyTorchPerCpuSecond`, the same ratio per CPU second (every line reports both: on a shared
 * machine wall time depends on the neighbours, CPU time much less).
 * Without torch those lines are skipped quietly.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { decoderFlopsPerPoint, PRESETS, type PresetName, createRandom } from '#core';
import { TrainingModel, type TrainingBatch } from '../../training/models/imnet/TrainingModel.js';
import { trainStep } from '../../training/trainer/Trainer.js';
import { DataParallel } from '../../training/trainer/DataParallel.js';
import type { GradientReducer, TrainingModule } from '../../training/trainer/TrainingModule.js';
import type { ModelConfig, TrainMode } from '../../training/models/imnet/config.js';
import { imnetReplicaFactory, splitTrainingBatch } from '../../training/models/imnet/replica.js';
import { pytorchTrainRates } from './pytorchTrainRates.js';
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

/** CPU seconds this process (every thread) has used. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Median wall and CPU seconds per step after one warm-up step, over at least 3 steps and ~5 s. CPU
 * time (all threads of the process) is what a step costs however busy the machine is; wall time is
 * what it takes, and on a shared machine it depends on the neighbours.
 */
async function secondsPerStep(module: TrainingModule<TrainingBatch>, batch: TrainingBatch, reduce?: GradientReducer): Promise<{ seconds: number; cpuSeconds: number; steps: number }> {
  await trainStep(module, batch, reduce);
  const wall: number[] = [];
  const cpu: number[] = [];
  const start = performance.now();
  while (wall.length < 3 || (performance.now() - start < 5000 && wall.length < 15)) {
    const t0 = performance.now();
    const c0 = cpuSeconds();
    await trainStep(module, batch, reduce);
    cpu.push(cpuSeconds() - c0);
    wall.push((performance.now() - t0) / 1000);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { seconds: median(wall), cpuSeconds: median(cpu), steps: wall.length };
}

/**
 * Where one auto-decoder step's time goes on this backend: tf.profile times every kernel of a step
 * (after a warm-up step), summed by kernel name (registered kernels only). `matMulShare` is the share of the kernels' time in
 * matrix products (the step's FLOPs); `outsideKernelsShare` is the step's wall time that no kernel
 * accounts for (tape bookkeeping, JS, readbacks). Profiling syncs after each kernel, so its total runs
 * a little above an unprofiled step's.
 */
async function profileStep(module: TrainingModule<TrainingBatch>, batch: TrainingBatch): Promise<Record<string, unknown>> {
  await trainStep(module, batch);
  const t0 = performance.now();
  const info = await tf.profile(async () => { await trainStep(module, batch); });
  const wallMs = performance.now() - t0;
  const byKernel = new Map<string, number>();
  for (const k of info.kernels) {
    // customGrad functions show up as a kernel named after the function ('forward') whose time includes
    // the kernels inside it: only registered kernels are counted, so no time is counted twice.
    if (!tf.getKernel(k.name, tf.getBackend())) continue;
    const ms = await k.kernelTimeMs;
    if (typeof ms === 'number') byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + ms);
  }
  const kernelMs = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const matMulMs = [...byKernel].filter(([name]) => /MatMul/.test(name)).reduce((a, [, ms]) => a + ms, 0);
  const top = [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return {
    stepMs: round(wallMs), kernelMs: round(kernelMs), kernels: info.kernels.length,
    matMulShare: round(matMulMs / wallMs, 2), otherKernelsShare: round((kernelMs - matMulMs) / wallMs, 2),
    outsideKernelsShare: round(Math.max(0, wallMs - kernelMs) / wallMs, 2),
    topKernelsMs: Object.fromEntries(top.map(([name, ms]) => [name, round(ms)])),
  };
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
      // The reference for this preset's wasm auto-decoder lines (same machine, same run).
      const pytorch = backend === 'wasm' ? pytorchLines(preset) : null;
      for (const mode of modes) {
        // Data-parallel lines where they apply: the wasm auto-decoder (IM-AE's one shape per step would run its encoder on every replica).
        const workerCounts = backend === 'wasm' && mode === 'autodecoder' && availableParallelism() >= 2 ? [1, 2] : [1];
        for (const workers of workerCounts) {
          const shapesPerStep = 1;
          const pointsPerShape = backend === 'cpu' ? 256 : 4096;
          const encoderWidth = 32;
          const config: ModelConfig = {
            architecture: { ...PRESETS[preset], hiddenSizes: [...PRESETS[preset].hiddenSizes] }, mode, encoderWidth, seed: 1,
            learningRate: 5e-5, beta1: 0.5, beta2: 0.999, latentLearningRate: 1e-3, latentRegularization: 1e-4,
          };
          const model = new TrainingModel(config, 8);
          const parallel = workers > 1
            ? await DataParallel.start({ module: model, replicas: workers, split: splitTrainingBatch, backend: 'wasm', factory: imnetReplicaFactory({ config, trainCount: 8 }) })
            : null;
          const { seconds, cpuSeconds: cpu, steps } = await secondsPerStep(parallel ?? model, syntheticBatch(shapesPerStep, pointsPerShape), parallel?.reduce);
          const profile = workers === 1 && mode === 'autodecoder' && backend === 'wasm' ? await profileStep(model, syntheticBatch(shapesPerStep, pointsPerShape)) : null;
          await parallel?.dispose();
          model.dispose();
          const pointsPerSecond = (shapesPerStep * pointsPerShape) / seconds;
          emit({
            case: 'train', stage: 'train', preset, backend, mode, workers,
            pointsPerSecond: Math.round(pointsPerSecond),
            pointsPerCpuSecond: Math.round((shapesPerStep * pointsPerShape) / cpu),
            ...(mode === 'autodecoder' && pytorch ? {
              vsPyTorch: round(pointsPerSecond / pytorch.pointsPerSecond, 2),
              vsPyTorchPerCpuSecond: round((shapesPerStep * pointsPerShape) / cpu / pytorch.pointsPerCpuSecond, 2),
            } : {}),
            matMulGflops: round(matmul),
            // The decoder's share: forward (latent rows folded per shape, as training computes them) + backward ~ 3x forward.
            decoderGflops: round((3 * pointsPerSecond * decoderFlopsPerPoint(PRESETS[preset])) / 1e9),
            secondsPerStep: round(seconds), cpuSecondsPerStep: round(cpu), steps, shapesPerStep, pointsPerShape,
            ...(mode === 'autoencoder' ? { encoderWidth } : {}),
          });
          if (profile) emit({ case: 'train', stage: 'profile', preset, backend, mode, workers, pointsPerShape, ...profile });
        }
      }
    }
  }
}

/**
 * Emits the PyTorch lines of `preset` (1 shape x 4096 points); returns the best line's points/s and the
 * best points per CPU second (over forms and thread counts), or null without torch.
 */
function pytorchLines(preset: PresetName): { pointsPerSecond: number; pointsPerCpuSecond: number } | null {
  const shapes = 1, pointsPerShape = 4096;
  const rates = pytorchTrainRates(PRESETS[preset], { shapes, pointsPerShape, tableSize: 8 });
  if (!rates) return null;
  for (const r of rates) {
    emit({
      case: 'train', stage: 'train', preset, backend: 'pytorch', mode: 'autodecoder', form: r.form, threads: r.threads,
      pointsPerSecond: Math.round(r.pointsPerSecond), pointsPerCpuSecond: Math.round(r.pointsPerCpuSecond),
      secondsPerStep: round(r.seconds), cpuSecondsPerStep: round(r.cpuSeconds), steps: r.steps, shapesPerStep: shapes, pointsPerShape, torch: r.version,
    });
  }
  return { pointsPerSecond: Math.max(...rates.map((r) => r.pointsPerSecond)), pointsPerCpuSecond: Math.max(...rates.map((r) => r.pointsPerCpuSecond)) };
}
