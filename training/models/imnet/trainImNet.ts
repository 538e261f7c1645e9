/**
 * `imnet train`'s engine: IM-AE (voxel encoder + decoder) or auto-decoder training with IM-NET's
 * progressive 16^3 -> 32^3 -> 64^3 schedule, MSE loss and Adam; atomic checkpoints every few
 * minutes and at stage ends; `resume` continues from the last one with the same result as a run
 * that never stopped (every random choice derives from the seed and the schedule position).
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ImNetModel } from '#core';
import { readCheckpoint, writeCheckpoint } from '../../trainer/checkpoint.js';
import { fitLatents } from './latents.js';
import { fitPcaEncoder, PCA_GRID, type PcaEncoder } from './pcaLatents.js';
import { writeLossLog, type LossRow } from '../../trainer/lossLog.js';
import { readRunInfo, runPaths, writeModelFiles, writeRunInfo, type RunInfo, type TrainConfig } from '../../trainer/runDir.js';
import { copyPointSamples, ShapeCache, type SampleLevel, type SampleSource, type ShapeSamples } from './samples.js';
import { epochPlan, type SchedulePosition, type StepPlan } from './schedule.js';
import { TrainingModel } from './TrainingModel.js';
import { voxelBatch, type VoxelEncoder } from './VoxelEncoder.js';

/** Progress after each optimizer step. */
export interface TrainProgress {
  stageIndex: number;
  stageCount: number;
  level: number;
  /** 1-based epoch within the stage, and the stage's epoch count. */
  epoch: number;
  epochs: number;
  /** 1-based step within the epoch, and the epoch's step count. */
  step: number;
  steps: number;
  globalStep: number;
  loss: number;
  /** Training points (shape x point pairs) per second in this step. */
  pointsPerSecond: number;
}

/** Options of {@link trainImNet} that do not change the result. */
export interface TrainRunArgs {
  dataset: SampleSource;
  runDir: string;
  /** Required for a new run; ignored (run.json wins) when resuming. */
  config?: TrainConfig;
  /** Continue from `runDir`'s checkpoint. */
  resume?: boolean;
  /** Wall-clock minutes between checkpoints (besides stage ends). Default 5. */
  checkpointMinutes?: number;
  /** Also checkpoint every this many steps (0: off). For tests and very slow steps. */
  checkpointEverySteps?: number;
  /** Stops after the current step without writing anything, as a kill would. */
  signal?: AbortSignal;
  onProgress?: (progress: TrainProgress) => void;
  /** One line per epoch, stage, checkpoint. Default: none. */
  log?: (line: string) => void;
}

/** What a finished run produced. */
export interface TrainResult {
  model: ImNetModel;
  rows: LossRow[];
  steps: number;
}

/** Training state beside the tensors in checkpoint.bin. */
interface TrainState {
  position: SchedulePosition;
  globalStep: number;
  adamStep: number;
  /** Sums over the current epoch's finished steps. */
  epochLossSum: number;
  epochSteps: number;
  rows: LossRow[];
  elapsedSeconds: number;
  finished: boolean;
}

/** Thrown when `signal` stops a run (nothing is written: the last checkpoint stands). */
export class TrainingAborted extends Error {
  override readonly name = 'TrainingAborted';
}

/** The defaults of IM-NET where they apply; CPU-friendly ones (documented) elsewhere. */
export function defaultTrainConfig(overrides: Partial<TrainConfig> & Pick<TrainConfig, 'preset' | 'architecture' | 'datasetDir'>): TrainConfig {
  return {
    mode: 'autoencoder',
    // IM-NET-pytorch's README trains 200 epochs at each level.
    stages: [{ level: 16, epochs: 200 }, { level: 32, epochs: 200 }, { level: 64, epochs: 200 }],
    shapesPerStep: 8,
    pointsPerStep: 4096,
    learningRate: 5e-5,
    beta1: 0.5,
    beta2: 0.999,
    latentLearningRate: 1e-3,
    latentRegularization: 1e-4,
    encodeSteps: 300,
    latentInit: 'pca',
    encoderWidth: 32,
    seed: 1,
    ...overrides,
  };
}

/** Trains (or resumes) a run; returns the final model, also written to `<runDir>/model/`. */
export async function trainImNet(args: TrainRunArgs): Promise<TrainResult> {
  const { dataset, runDir, signal, onProgress } = args;
  const log = args.log ?? (() => {});
  const paths = runPaths(runDir);
  let info: RunInfo;
  if (args.resume) {
    info = readRunInfo(runDir);
    const ids = dataset.ids('train');
    if (ids.length !== info.trainIds.length || ids.some((id, i) => id !== info.trainIds[i])) {
      throw new Error(`${runDir} was trained on other shapes than ${dataset.dir} holds (${info.trainIds.length} training ids in run.json, ${ids.length} in the dataset); resume with the run's dataset (${info.config.datasetDir})`);
    }
  } else {
    if (!args.config) throw new TypeError('trainImNet: a new run needs a config');
    if (existsSync(paths.checkpoint)) throw new Error(`${runDir} already holds a run (checkpoint.bin); resume it or choose another directory`);
    info = {
      format: 'babylon-imnet-run', formatVersion: 1, config: args.config,
      trainIds: dataset.ids('train'), testIds: dataset.ids('test'), voxelResolution: dataset.manifest.voxelResolution,
    };
    if (info.trainIds.length === 0) throw new RangeError(`${dataset.dir}: the dataset has no training shapes`);
    writeRunInfo(runDir, info);
  }
  const config = info.config;
  const { architecture, mode, stages, shapesPerStep, pointsPerStep, seed } = config;
  const latentSize = architecture.latentSize;
  const trainCount = info.trainIds.length;
  const cache = new ShapeCache(dataset);

  // PCA codes: the table's start in a new run, and the test shapes' start when they are encoded.
  // Refitted after a resume rather than stored: it is deterministic in the training grids and takes seconds.
  let pca: PcaEncoder | null | undefined;
  const usePca = mode === 'autodecoder' && config.latentInit === 'pca';
  // Null when PCA cannot separate the training shapes (fewer than two, or identical grids): noise then.
  const fitPca = async (): Promise<PcaEncoder | null> => {
    const started = performance.now();
    const shapes = await cache.all(info.trainIds);
    let encoder: PcaEncoder;
    try {
      encoder = await fitPcaEncoder(shapes.map((s) => s.voxels64), latentSize);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      log(`PCA codes: not used (${error.message}); codes start from noise`);
      return null;
    }
    const shown = Math.min(8, encoder.componentCount);
    const share = encoder.explainedVariance.reduce((a, b) => a + b, 0);
    log(`PCA codes: ${encoder.componentCount} components of the ${PCA_GRID}^3 grids explain ${(100 * share).toFixed(1)}% of the variance ` +
      `(first ${shown}: ${encoder.explainedVariance.slice(0, shown).map((v) => (100 * v).toFixed(1)).join(', ')}%), ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return encoder;
  };
  let initialTable: Float32Array | undefined;
  if (usePca && !args.resume) {
    pca = await fitPca();
    if (pca) {
      const codes = pca.encode((await cache.all(info.trainIds)).map((s) => s.voxels64));
      initialTable = new Float32Array(trainCount * latentSize);
      codes.forEach((code, i) => initialTable!.set(code, i * latentSize));
    }
  }

  // Parameters, fresh or from the checkpoint.
  const model = new TrainingModel(config, trainCount, initialTable);
  let state: TrainState = { position: { stage: 0, epoch: 0, step: 0 }, globalStep: 0, adamStep: 0, epochLossSum: 0, epochSteps: 0, rows: [], elapsedSeconds: 0, finished: false };
  if (args.resume) {
    const checkpoint = readCheckpoint<TrainState>(paths.checkpoint);
    state = checkpoint.state;
    model.restore(checkpoint.tensors, state.adamStep, paths.checkpoint);
    const { stage, epoch, step } = state.position;
    log(stage < stages.length
      ? `resumed at level ${stages[stage].level}^3, epoch ${epoch + 1}/${stages[stage].epochs}, after step ${step} of the epoch (global step ${state.globalStep})`
      : `resumed after the last level (global step ${state.globalStep}): encoding latents and writing the model`);
  }

  const sessionStart = performance.now();
  const elapsed = (): number => state.elapsedSeconds + (performance.now() - sessionStart) / 1000;
  let lastCheckpoint = performance.now();
  const checkpointMs = (args.checkpointMinutes ?? 5) * 60_000;
  const saveCheckpoint = async (): Promise<void> => {
    const tensors = await model.checkpointTensors();
    state.adamStep = model.adam.step;
    writeCheckpoint(paths.checkpoint, { ...state, elapsedSeconds: elapsed() }, tensors);
    lastCheckpoint = performance.now();
  };

  const points = new Float32Array(shapesPerStep * pointsPerStep * 3);
  const targets = new Float32Array(shapesPerStep * pointsPerStep);
  const runStep = async (plan: StepPlan, level: SampleLevel): Promise<number> => {
    const shapes = await Promise.all(plan.shapes.map((i) => cache.get(info.trainIds[i])));
    const perShape = plan.pointIndices.length;
    shapes.forEach((s, i) => copyPointSamples(s, level, plan.pointIndices, info.voxelResolution, points, targets, i * perShape));
    const loss = await model.step({ shapeIndices: plan.shapes, voxels: shapes.map((s) => s.voxels64), pointsPerShape: perShape, points, targets });
    if (!Number.isFinite(loss)) throw new Error(`training diverged: loss ${loss} at global step ${state.globalStep + 1}; try a lower --lr`);
    return loss;
  };

  try {
    for (let si = state.position.stage; si < stages.length && !state.finished; si++) {
      const stage = stages[si];
      const samplesPerShape = dataset.manifest.sampleCounts[stage.level];
      for (let epoch = si === state.position.stage ? state.position.epoch : 0; epoch < stage.epochs; epoch++) {
        const plan = epochPlan(seed, si, epoch, trainCount, shapesPerStep, samplesPerShape, pointsPerStep);
        const firstStep = si === state.position.stage && epoch === state.position.epoch ? state.position.step : 0;
        for (let k = firstStep; k < plan.length; k++) {
          const started = performance.now();
          const loss = await runStep(plan[k], stage.level);
          const seconds = (performance.now() - started) / 1000;
          state.globalStep++;
          state.epochLossSum += loss;
          state.epochSteps++;
          state.position = { stage: si, epoch, step: k + 1 };
          onProgress?.({
            stageIndex: si, stageCount: stages.length, level: stage.level, epoch: epoch + 1, epochs: stage.epochs,
            step: k + 1, steps: plan.length, globalStep: state.globalStep, loss, pointsPerSecond: (plan[k].shapes.length * plan[k].pointIndices.length) / seconds,
          });
          if (signal?.aborted) throw new TrainingAborted(`training stopped at global step ${state.globalStep}`);
          const everySteps = args.checkpointEverySteps ?? 0;
          if ((everySteps > 0 && state.globalStep % everySteps === 0) || performance.now() - lastCheckpoint > checkpointMs) {
            await saveCheckpoint();
            log(`checkpoint at global step ${state.globalStep}`);
          }
        }
        const row: LossRow = {
          epoch: state.rows.length + 1, stage: String(stage.level), stageEpoch: epoch + 1, step: state.globalStep,
          loss: state.epochLossSum / Math.max(state.epochSteps, 1), seconds: elapsed(),
        };
        state.rows.push(row);
        state.epochLossSum = 0;
        state.epochSteps = 0;
        state.position = { stage: si, epoch: epoch + 1, step: 0 };
        writeLossLog(runDir, 'loss', state.rows, `imnet train: ${config.preset} ${mode}, MSE per epoch`);
        log(`stage ${stage.level}^3 epoch ${epoch + 1}/${stage.epochs}: loss ${row.loss.toPrecision(4)} (${row.seconds.toFixed(0)} s)`);
      }
      state.position = { stage: si + 1, epoch: 0, step: 0 };
      await saveCheckpoint();
      log(`stage ${stage.level}^3 done; checkpoint written`);
    }
    state.finished = true;

    // Latents for the model file: training shapes (the encoder's codes, or the table) and test shapes.
    let trainLatents: Float32Array[];
    let testLatents: Float32Array[];
    if (model.encoder) {
      trainLatents = await encode(model.encoder, info.trainIds, (id) => cache.get(id), shapesPerStep);
      testLatents = await encode(model.encoder, info.testIds, (id) => dataset.read(id), shapesPerStep);
    } else {
      const values = (await model.table!.data()) as Float32Array;
      trainLatents = info.trainIds.map((_, i) => values.slice(i * latentSize, (i + 1) * latentSize));
      const testShapes = await Promise.all(info.testIds.map((id) => dataset.read(id)));
      if (usePca && pca === undefined) pca = await fitPca();
      const starts = pca?.encode(testShapes.map((s) => s.voxels64));
      log(`encoding ${testShapes.length} test shapes by optimising their latents (${config.encodeSteps} steps, starting from ${starts ? 'their PCA codes' : 'noise'})`);
      // In groups of at most a training step's points: all 60 test shapes of a 300-shape set at
      // 4096 points (245k points per step) crashed tfjs-wasm ("table index is out of bounds").
      const groupSize = Math.max(shapesPerStep, Math.floor(32768 / pointsPerStep));
      testLatents = [];
      for (let i = 0; i < testShapes.length; i += groupSize) {
        const group = testShapes.slice(i, i + groupSize);
        testLatents.push(...await fitLatents(model.decoder, group, {
          steps: config.encodeSteps, voxelResolution: info.voxelResolution, seed: seed + i, pointsPerStep, initial: starts?.slice(i, i + groupSize),
        }));
      }
    }
    const result: ImNetModel = {
      category: 'run',
      preset: config.preset,
      architecture,
      isoLevel: 0.5,
      decoder: await model.decoder.read(),
      trainLatents,
      testLatents,
      generator: null,
      provenance: {
        producedBy: 'imnet train',
        mode,
        dataset: config.datasetDir,
        trainIds: info.trainIds,
        testIds: info.testIds,
        stages,
        steps: state.globalStep,
        finalLoss: state.rows.at(-1)?.loss ?? null,
        backend: tf.getBackend(),
        seed,
      },
    };
    await saveCheckpoint();
    writeModelFiles(paths.modelDir, result);
    log(`wrote ${paths.model}`);
    return { model: result, rows: state.rows, steps: state.globalStep };
  } finally {
    model.dispose();
    pca?.dispose();
  }
}

/** The encoder's latents for the shapes `ids`, read `batch` at a time. */
export async function encode(encoder: VoxelEncoder, ids: readonly string[], read: (id: string) => Promise<ShapeSamples>, batch: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < ids.length; start += batch) {
    const part = await Promise.all(ids.slice(start, start + batch).map(read));
    const z = tf.tidy(() => encoder.forward(voxelBatch(part.map((s) => s.voxels64))));
    const values = (await z.data()) as Float32Array;
    z.dispose();
    part.forEach((_, i) => out.push(values.slice(i * encoder.latentSize, (i + 1) * encoder.latentSize)));
  }
  return out;
}
