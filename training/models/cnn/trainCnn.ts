/**
 * `imnet train --decoder cnn`'s engine: the CNN-AE baseline (CnnAutoencoder) on the Trainer, which
 * owns resume, checkpoints and the loss log. Sets the run up (run.json), and at the end encodes the
 * training and test shapes and writes `<run-dir>/model/cnn-model.bin`.
 */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { TrainerCallback } from '../../trainer/callbacks.js';
import type { LossRow } from '../../trainer/lossLog.js';
import { readRunInfo, runPaths, writeRunInfo, type RunInfo } from '../../trainer/runDir.js';
import { Trainer } from '../../trainer/Trainer.js';
import { conv3dPathFor } from '../../nn/conv3d.js';
import { ShapeCache, type SampleSource } from '../imnet/samples.js';
import { encode } from '../imnet/shapeLatents.js';
import { CnnAutoencoder } from './CnnAutoencoder.js';
import { cnnModelPath, writeCnnModel, type CnnModel } from './cnnModelFile.js';
import { isCnnConfig, type CnnTrainConfig } from './config.js';
import { VoxelGridBatches } from './VoxelGridBatches.js';

/** Options of {@link trainCnn} that do not change the result. */
export interface TrainCnnArgs {
  dataset: SampleSource;
  runDir: string;
  /** Required for a new run; ignored (run.json wins) when resuming. */
  config?: CnnTrainConfig;
  resume?: boolean;
  checkpointMinutes?: number;
  checkpointEverySteps?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  callbacks?: readonly TrainerCallback[];
}

export type CnnRunInfo = RunInfo<CnnTrainConfig>;

function openRun(args: TrainCnnArgs): CnnRunInfo {
  const { dataset, runDir } = args;
  if (args.resume) {
    const info = readRunInfo<CnnTrainConfig>(runDir);
    if (!isCnnConfig(info.config)) throw new Error(`${runDir} is not a CNN-AE run (its run.json has no decoder: 'cnn'); resume it without --decoder cnn`);
    const ids = dataset.ids('train');
    if (ids.length !== info.trainIds.length || ids.some((id, i) => id !== info.trainIds[i])) {
      throw new Error(`${runDir} was trained on other shapes than ${dataset.dir} holds; resume with the run's dataset (${info.config.datasetDir})`);
    }
    return info;
  }
  if (!args.config) throw new TypeError('trainCnn: a new run needs a config');
  if (existsSync(runPaths(runDir).checkpoint)) throw new Error(`${runDir} already holds a run (checkpoint.bin); resume it or choose another directory`);
  const info: CnnRunInfo = {
    format: 'babylon-imnet-run', formatVersion: 1, config: args.config,
    trainIds: dataset.ids('train'), testIds: dataset.ids('test'), voxelResolution: dataset.manifest.voxelResolution,
  };
  if (info.trainIds.length === 0) throw new RangeError(`${dataset.dir}: the dataset has no training shapes`);
  writeRunInfo(runDir, info);
  return info;
}

/** Mean occupancy of the training shapes' 64^3 grids (the decoder's starting output, `initialOccupancy`). */
export async function trainingOccupancy(dataset: SampleSource, ids: readonly string[]): Promise<number> {
  let occupied = 0;
  for (const id of ids) {
    const voxels = (await dataset.read(id)).voxels64;
    for (let i = 0; i < voxels.length; i++) occupied += voxels[i];
  }
  const mean = occupied / (ids.length * 64 ** 3);
  // Kept inside (0, 1) so its logit is finite even for an empty or full set.
  return Math.min(1 - 1e-4, Math.max(1e-4, mean));
}

/** Trains (or resumes) a CNN-AE run; resolves to its loss rows and step count once the model file is written. */
export async function trainCnn(args: TrainCnnArgs): Promise<{ rows: LossRow[]; steps: number; modelFile: string }> {
  const { dataset, runDir } = args;
  const log = args.log ?? (() => {});
  const info = openRun(args);
  const config = info.config;
  const cache = new ShapeCache(dataset);
  const model = new CnnAutoencoder(config, conv3dPathFor(tf.getBackend()));
  const trainer = new Trainer({
    module: model,
    data: new VoxelGridBatches(cache, info.trainIds, config.epochs, config.shapesPerStep, config.seed),
    checkpointFile: runPaths(runDir).checkpoint,
    checkpointMinutes: args.checkpointMinutes,
    checkpointEverySteps: args.checkpointEverySteps,
    lossLog: { dir: runDir, title: `imnet train --decoder cnn: width ${config.decoderWidth}, MSE of the 64^3 grid per epoch` },
    signal: args.signal,
    callbacks: [{
      onEpochEnd: ({ epoch, epochs, row }) => log(`epoch ${epoch}/${epochs}: loss ${row.loss.toPrecision(4)} (${row.seconds.toFixed(0)} s)`),
      onCheckpoint: ({ globalStep, reason }) => { if (reason === 'cadence') log(`checkpoint at global step ${globalStep}`); },
    }, ...(args.callbacks ?? [])],
  });
  try {
    if (args.resume) {
      trainer.resume();
      log(`resumed at epoch ${trainer.position.epoch + 1}/${config.epochs}, after step ${trainer.position.step} of the epoch (global step ${trainer.globalStep})`);
    }
    const { rows, globalStep } = await trainer.fit();
    const trainLatents = await encode(model.encoder, info.trainIds, (id) => cache.get(id), config.shapesPerStep);
    const testLatents = await encode(model.encoder, info.testIds, (id) => dataset.read(id), config.shapesPerStep);
    const decoder = new Map<string, { name: string; shape: number[]; values: Float32Array }>();
    for (const { name, variable } of model.decoder.variables) decoder.set(name, { name, shape: variable.shape, values: (await variable.data()) as Float32Array });
    const result: CnnModel = {
      latentSize: config.latentSize, decoderWidth: config.decoderWidth, leakySlope: config.leakySlope, decoder,
      trainIds: info.trainIds, testIds: info.testIds, trainLatents, testLatents, generator: null,
      provenance: {
        producedBy: 'imnet train --decoder cnn', dataset: config.datasetDir, epochs: config.epochs, steps: globalStep,
        finalLoss: rows.at(-1)?.loss ?? null, parameters: model.decoder.parameterCount, backend: tf.getBackend(), seed: config.seed,
      },
    };
    const file = cnnModelPath(runDir);
    writeCnnModel(file, result);
    log(`wrote ${file}`);
    return { rows, steps: globalStep, modelFile: file };
  } finally {
    model.dispose();
  }
}
