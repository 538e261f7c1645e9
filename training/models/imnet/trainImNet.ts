/**
 * `imnet train`'s engine: IM-AE (voxel encoder + decoder) or auto-decoder training with IM-NET's
 * progressive 16^3 -> 32^3 -> 64^3 schedule, MSE loss and Adam, on the Trainer (which owns resume,
 * checkpoints and the loss log). This file sets a run up (run.json, PCA starting codes), reports its
 * progress in IM-NET's terms, and assembles the model file at the end.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { ImNetModel } from '#core';
import type { TrainerCallback } from '../../trainer/callbacks.js';
import type { LossRow } from '../../trainer/lossLog.js';
import { readRunInfo, runPaths, writeModelFiles, writeRunInfo, type RunInfo } from '../../trainer/runDir.js';
import { Trainer, trainerOptions, type RunOptions, type TrainerState } from '../../trainer/Trainer.js';
import { readCheckpointState } from '../../trainer/checkpoint.js';
import { DataParallel } from '../../trainer/DataParallel.js';
import type { BackendPreference } from '../../nn/backend.js';
import { imnetReplicaFactory, splitTrainingBatch } from './replica.js';
import type { TrainConfig } from './config.js';
import { ImNetBatches } from './ImNetBatches.js';
import { fitPcaEncoder, PCA_GRID, type PcaEncoder } from './pcaLatents.js';
import { ShapeCache, type SampleSource, type ShapeSamples } from './samples.js';
import { shapeLatents } from './shapeLatents.js';
import { TrainingModel, type TrainingBatch } from './TrainingModel.js';

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

/** What {@link trainImNet} trains on and where it writes; `resume` continues `runDir`'s checkpoint. */
export interface TrainRunArgs extends RunOptions {
  dataset: SampleSource;
  runDir: string;
  /** Required for a new run; ignored (run.json wins) when resuming. */
  config?: TrainConfig;
  /**
   * Resuming only: what may change in a run, written to its run.json before it continues.
   * `lastLevelEpochs` sets the last level's epoch count (at least the epochs it has trained; a finished
   * run trains the added ones, then encodes and writes model/ again); `encodeSteps` the held-out fit's budget.
   */
  extend?: { lastLevelEpochs?: number; encodeSteps?: number };
  onProgress?: (progress: TrainProgress) => void;
  /**
   * Data-parallel replicas, this thread included (default 1): each step's batch is split between
   * worker threads, each with its own tfjs backend (trainer/DataParallel.ts). The result depends on
   * the count only through float rounding; a run resumed with the count it ran with is bit-identical.
   */
  workers?: number;
  /** The backend the workers load (default: the one matching tfjs's active backend). */
  backend?: BackendPreference;
  /**
   * Callbacks that need the run's model (a training curve, eval/trainingCurve.ts): called once the
   * model is built, before training; their callbacks run after `callbacks`.
   */
  observe?: (run: ImNetRunView) => TrainerCallback[];
}

/** What a run's observer sees: its settings and split, the live model, its shapes, and the PCA start of new codes. */
export interface ImNetRunView {
  info: ImNetRunInfo;
  model: TrainingModel;
  readTrain: (id: string) => Promise<ShapeSamples>;
  readTest: (id: string) => Promise<ShapeSamples>;
  /** Auto-decoder with PCA starts: the projection of new shapes' grids (null otherwise). */
  pca: () => Promise<PcaEncoder | null>;
}

/** What a finished run produced. */
export interface TrainResult {
  model: ImNetModel;
  rows: LossRow[];
  steps: number;
}

/** run.json of an IM-NET run. */
export type ImNetRunInfo = RunInfo<TrainConfig>;

/** The run's run.json: read back when resuming (checking the dataset), written for a new run. */
function openRun(args: TrainRunArgs): ImNetRunInfo {
  const { dataset, runDir } = args;
  if (args.resume) {
    const info = readRunInfo<TrainConfig>(runDir);
    const ids = dataset.ids('train');
    if (ids.length !== info.trainIds.length || ids.some((id, i) => id !== info.trainIds[i])) {
      throw new Error(`${runDir} was trained on other shapes than ${dataset.dir} holds (${info.trainIds.length} training ids in run.json, ${ids.length} in the dataset); resume with the run's dataset (${info.config.datasetDir})`);
    }
    return args.extend ? extendRun(runDir, info, args.extend) : info;
  }
  if (!args.config) throw new TypeError('trainImNet: a new run needs a config');
  if (existsSync(runPaths(runDir).checkpoint)) throw new Error(`${runDir} already holds a run (checkpoint.bin); resume it or choose another directory`);
  const info: ImNetRunInfo = {
    format: 'babylon-imnet-run', formatVersion: 1, config: args.config,
    trainIds: dataset.ids('train'), testIds: dataset.ids('test'), voxelResolution: dataset.manifest.voxelResolution,
  };
  if (info.trainIds.length === 0) throw new RangeError(`${dataset.dir}: the dataset has no training shapes`);
  writeRunInfo(runDir, info);
  return info;
}

/** `config` with a resume's {@link TrainRunArgs.extend} applied: the last level's epochs, the fit's budget. */
export function extendedTrainConfig(config: TrainConfig, extend: TrainRunArgs['extend']): TrainConfig {
  const last = config.stages.length - 1;
  return {
    ...config,
    stages: config.stages.map((s, i) => (i === last && extend?.lastLevelEpochs !== undefined ? { ...s, epochs: extend.lastLevelEpochs } : { ...s })),
    ...(extend?.encodeSteps !== undefined ? { encodeSteps: extend.encodeSteps } : {}),
  };
}

/** Applies a resume's {@link TrainRunArgs.extend} to run.json, after checking it against the checkpoint. */
function extendRun(runDir: string, info: ImNetRunInfo, extend: NonNullable<TrainRunArgs['extend']>): ImNetRunInfo {
  const last = info.config.stages[info.config.stages.length - 1];
  if (extend.lastLevelEpochs !== undefined) {
    const { rows } = readCheckpointState<TrainerState>(runPaths(runDir).checkpoint);
    const trained = rows.filter((row) => row.stage === String(last.level)).length;
    if (extend.lastLevelEpochs < trained) {
      throw new RangeError(`${runDir}: has trained ${trained} epochs at ${last.level}^3; it cannot be set to ${extend.lastLevelEpochs}`);
    }
  }
  const changed = { ...info, config: extendedTrainConfig(info.config, extend) };
  // Written before training continues: a kill from here on resumes with the new settings.
  writeRunInfo(runDir, changed);
  return changed;
}

/** IM-NET's progress and log lines, as trainer callbacks. */
function imnetReporting(config: TrainConfig, onProgress: TrainRunArgs['onProgress'], log: (line: string) => void): TrainerCallback {
  const level = (stageIndex: number): number => config.stages[stageIndex].level;
  return {
    onStepEnd: (s) => onProgress?.({
      stageIndex: s.stageIndex, stageCount: s.stageCount, level: level(s.stageIndex), epoch: s.epoch, epochs: s.epochs,
      step: s.step, steps: s.steps, globalStep: s.globalStep, loss: s.metrics.loss, pointsPerSecond: s.samplesPerSecond,
    }),
    onEpochEnd: ({ stageIndex, epoch, epochs, row }) => log(`stage ${level(stageIndex)}^3 epoch ${epoch}/${epochs}: loss ${row.loss.toPrecision(4)} (${row.seconds.toFixed(0)} s)`),
    onCheckpoint: ({ globalStep, reason }) => {
      if (reason === 'cadence') log(`checkpoint at global step ${globalStep}`);
    },
    onStageEnd: ({ stageIndex }) => log(`stage ${level(stageIndex)}^3 done; checkpoint written`),
  };
}

/** Trains (or resumes) a run; returns the final model, also written to `<runDir>/model/`. */
export async function trainImNet(args: TrainRunArgs): Promise<TrainResult> {
  const { dataset, runDir } = args;
  const log = args.log ?? (() => {});
  const info = openRun(args);
  const config = info.config;
  const { architecture, mode, stages, seed } = config;
  const latentSize = architecture.latentSize;
  const cache = new ShapeCache(dataset);

  // PCA codes: the table's start in a new run, and the test shapes' start when they are encoded.
  // Refitted after a resume rather than stored: it is deterministic in the training grids and takes seconds.
  const usePca = mode === 'autodecoder' && config.latentInit === 'pca';
  let pca: Promise<PcaEncoder | null> | undefined;
  // Null when PCA cannot separate the training shapes (fewer than two, or identical grids): noise then.
  const pcaEncoder = (): Promise<PcaEncoder | null> => (pca ??= usePca ? fitPca(cache, info.trainIds, latentSize, log) : Promise.resolve(null));
  let initialTable: Float32Array | undefined;
  if (usePca && !args.resume) {
    const encoder = await pcaEncoder();
    if (encoder) {
      const codes = encoder.encode((await cache.all(info.trainIds)).map((s) => s.voxels64));
      initialTable = new Float32Array(info.trainIds.length * latentSize);
      codes.forEach((code, i) => initialTable!.set(code, i * latentSize));
    }
  }

  const model = new TrainingModel(config, info.trainIds.length, initialTable);
  const workers = args.workers ?? 1;
  let parallel: DataParallel<TrainingBatch> | null = null;
  if (workers > 1) {
    const started = performance.now();
    parallel = await DataParallel.start({
      module: model, replicas: workers, split: splitTrainingBatch,
      factory: imnetReplicaFactory({ config, trainCount: info.trainIds.length }),
      backend: args.backend ?? backendPreferenceOf(tf.getBackend()),
    });
    log(`data-parallel: ${workers} replicas (this thread and ${workers - 1} worker${workers > 2 ? 's' : ''}), started in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const trainer = new Trainer({
    ...trainerOptions(args),
    module: parallel ?? model,
    reduceGradients: parallel?.reduce,
    extraState: { workers },
    data: new ImNetBatches(dataset, cache, config, info.trainIds, info.voxelResolution),
    checkpointFile: runPaths(runDir).checkpoint,
    lossLog: { dir: runDir, title: `imnet train: ${config.preset} ${mode}, MSE per epoch` },
    callbacks: [
      imnetReporting(config, args.onProgress, log), ...(args.callbacks ?? []),
      ...(args.observe?.({ info, model, readTrain: (id) => cache.get(id), readTest: (id) => dataset.read(id), pca: pcaEncoder }) ?? []),
    ],
  });
  try {
    if (args.resume) {
      const resumed = trainer.resume();
      const ranWith = typeof resumed.workers === 'number' ? resumed.workers : 1;
      if (ranWith !== workers) log(`note: this run ran with ${ranWith} worker${ranWith > 1 ? 's' : ''} and resumes with ${workers}; it will differ from an uninterrupted run in float rounding (resume with --workers ${ranWith} for a bit-identical one)`);
      if (trainer.reopenLastStage()) log(`the run had finished; ${stages.at(-1)!.level}^3 now has ${stages.at(-1)!.epochs} epochs, so it trains on`);
      const { stage, epoch, step } = trainer.position;
      log(stage < stages.length
        ? `resumed at level ${stages[stage].level}^3, epoch ${epoch + 1}/${stages[stage].epochs}, after step ${step} of the epoch (global step ${trainer.globalStep})`
        : `resumed after the last level (global step ${trainer.globalStep}): encoding latents and writing the model`);
    }
    const { rows, globalStep } = await trainer.fit();
    // The training replicas are done; the encoding below starts its own.
    await parallel?.dispose();
    parallel = null;
    const { trainLatents, testLatents } = await shapeLatents(model, {
      trainIds: info.trainIds, testIds: info.testIds, readTrain: (id) => cache.get(id), readTest: (id) => dataset.read(id),
      shapesPerStep: config.shapesPerStep, pointsPerStep: config.pointsPerStep, encodeSteps: config.encodeSteps,
      voxelResolution: info.voxelResolution, seed, pca: pcaEncoder, log, workers, backend: args.backend ?? backendPreferenceOf(tf.getBackend()),
    });
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
        producedBy: 'imnet train', mode, dataset: config.datasetDir, trainIds: info.trainIds, testIds: info.testIds,
        stages, steps: globalStep, finalLoss: rows.at(-1)?.loss ?? null, backend: tf.getBackend(), workers, seed,
      },
    };
    const file = writeModelFiles(runPaths(runDir).modelDir, result);
    log(`wrote ${file}`);
    return { model: result, rows, steps: globalStep };
  } finally {
    await parallel?.dispose();
    model.dispose();
    (await pca)?.dispose();
  }
}

/** PCA starting codes of the training shapes' grids, or null (with a log line) when PCA cannot separate them. */
async function fitPca(cache: ShapeCache, trainIds: readonly string[], latentSize: number, log: (line: string) => void): Promise<PcaEncoder | null> {
  const started = performance.now();
  const shapes = await cache.all(trainIds);
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
}

/** The `--backend` value that loads tfjs backend `name` (tfjs-node's `tensorflow` is taken as the CPU package). */
function backendPreferenceOf(name: string): BackendPreference {
  if (name === 'wasm' || name === 'cpu') return name;
  if (name === 'tensorflow') return 'tfjs-node';
  throw new RangeError(`data-parallel training: no worker backend for tfjs backend '${name}'; pass one`);
}
