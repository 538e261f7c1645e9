/** What decides an IM-NET training run's result (saved in run.json; a resumed run uses it, not new flags), and its defaults. */
import type { ImNetArchitecture, PresetName } from '#core';
import type { PointLossName } from './pointLoss.js';
import type { Stage } from './schedule.js';

/** The decoder presets `imnet train` offers, smallest first (the architectures are the core's `PRESETS`). */
export const PRESET_NAMES: readonly PresetName[] = ['web32', 'web64', 'imnet'];

/** How latents are obtained: IM-AE's voxel encoder, or a learned table (auto-decoder). */
export type TrainMode = 'autoencoder' | 'autodecoder';
export const TRAIN_MODES: readonly TrainMode[] = ['autoencoder', 'autodecoder'];

/** How an auto-decoder's codes start. */
export type LatentInit = 'noise' | 'pca';
export const LATENT_INITS: readonly LatentInit[] = ['pca', 'noise'];

export interface TrainConfig {
  /** Dataset directory as given (provenance only; the dataset is passed in). */
  datasetDir: string;
  preset: PresetName;
  architecture: ImNetArchitecture;
  mode: TrainMode;
  stages: Stage[];
  /** Shapes per optimizer step. */
  shapesPerStep: number;
  /** Points per shape per step. */
  pointsPerStep: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Auto-decoder: learning rate of the latent table. */
  latentLearningRate: number;
  /** Auto-decoder: weight of the pull of codes toward 0.5. */
  latentRegularization: number;
  /** Auto-decoder: budget of steps to optimise each test shape's code; the fit stops earlier once it stops improving (fitLatents). */
  encodeSteps: number;
  /** Auto-decoder: starting codes, seeded noise around 0.5 or the voxel grids' principal components (pcaLatents.ts). Runs without it used noise. */
  latentInit?: LatentInit;
  /** Encoder: channels of its first convolution (IM-NET's ef_dim). */
  encoderWidth: number;
  seed: number;
  /**
   * The loss (pointLoss.ts): IM-NET's `mse` of the output activation, or `bce` on the last layer's
   * value as a logit (needs the `sigmoid` output activation). Runs without it used `mse`.
   */
  loss?: PointLossName;
  /**
   * Share of each step's points at the 32^3 and 64^3 levels taken from the 16^3 samples (one per
   * block of the whole box) instead of the level's near-surface samples. 0 (IM-NET, and runs without
   * it): the finer levels see only points near the surface.
   */
  farFraction?: number;
}

/** The settings a new run takes unless told otherwise (the `imnet train` flags' defaults come from here). */
export type TrainDefaults = Omit<TrainConfig, 'datasetDir' | 'preset' | 'architecture'> & { preset: PresetName; latentInit: LatentInit; loss: PointLossName; farFraction: number };

/** The defaults of IM-NET where they apply; CPU-friendly ones (documented) elsewhere. */
export const TRAIN_DEFAULTS: Readonly<TrainDefaults> = {
  preset: 'web32',
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
  encodeSteps: 1000,
  latentInit: 'pca',
  encoderWidth: 32,
  loss: 'mse',
  farFraction: 0,
  // 0: what `imnet train` has always used (the shipped categories' runs).
  seed: 0,
};

/** A run's configuration: {@link TRAIN_DEFAULTS} with `overrides`. */
export function defaultTrainConfig(overrides: Partial<TrainConfig> & Pick<TrainConfig, 'preset' | 'architecture' | 'datasetDir'>): TrainConfig {
  const { preset: _preset, ...defaults } = TRAIN_DEFAULTS;
  return { ...defaults, stages: defaults.stages.map((s) => ({ ...s })), ...overrides };
}

/** The parts of a run's configuration that shape the model and its optimizer. */
export type ModelConfig = Pick<TrainConfig, 'architecture' | 'mode' | 'encoderWidth' | 'seed' | 'learningRate' | 'beta1' | 'beta2' | 'latentLearningRate' | 'latentRegularization' | 'loss'>;

/**
 * How held-out and new shapes are encoded (fitLatents.ts): rounds of `stepsPerRound` steps, stopping
 * when a round's mean loss has not beaten the best round by `minImprovement` for `patience` rounds,
 * or at `maxSteps`; each step every shape of a group with `pointsPerShape` of its samples.
 */
export const FIT_DEFAULTS = {
  maxSteps: 600,
  stepsPerRound: 25,
  minImprovement: 0.01,
  patience: 2,
  pointsPerShape: 2048,
  // A fifth of the points from the whole box, as the shipped runs train. Measured against 0 on 16 held-out
  // shapes each (weights/README): IoU +0.003-0.004 and Chamfer 3-7% lower on vases and airplanes; the
  // shapes with floaters stayed the same ones, so those come from the decoder, not from the fit.
  farFraction: 0.2,
  learningRate: 1e-2,
  regularization: 1e-4,
} as const;

/**
 * Points in one step of an encoding group, at most (what the encoding after training used before):
 * 245k points per step (60 shapes x 4096) crashed tfjs-wasm ("table index is out of bounds").
 */
export const FIT_POINTS_PER_STEP = 32768;
