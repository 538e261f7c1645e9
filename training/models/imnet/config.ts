/** What decides an IM-NET training run's result (saved in run.json; a resumed run uses it, not new flags), and its defaults. */
import type { ImNetArchitecture, PresetName } from '#core';
import type { Stage } from './schedule.js';

/** How latents are obtained: IM-AE's voxel encoder, or a learned table (auto-decoder). */
export type TrainMode = 'autoencoder' | 'autodecoder';

/** How an auto-decoder's codes start. */
export type LatentInit = 'noise' | 'pca';

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
  /** Auto-decoder: steps to optimise each test shape's code. */
  encodeSteps: number;
  /** Auto-decoder: starting codes, seeded noise around 0.5 or the voxel grids' principal components (pcaLatents.ts). Runs without it used noise. */
  latentInit?: LatentInit;
  /** Encoder: channels of its first convolution (IM-NET's ef_dim). */
  encoderWidth: number;
  seed: number;
}

/** The settings a new run takes unless told otherwise (the `imnet train` flags' defaults come from here). */
export type TrainDefaults = Omit<TrainConfig, 'datasetDir' | 'preset' | 'architecture'> & { preset: PresetName; latentInit: LatentInit };

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
  encodeSteps: 300,
  latentInit: 'pca',
  encoderWidth: 32,
  seed: 1,
};

/** A run's configuration: {@link TRAIN_DEFAULTS} with `overrides`. */
export function defaultTrainConfig(overrides: Partial<TrainConfig> & Pick<TrainConfig, 'preset' | 'architecture' | 'datasetDir'>): TrainConfig {
  const { preset: _preset, ...defaults } = TRAIN_DEFAULTS;
  return { ...defaults, stages: defaults.stages.map((s) => ({ ...s })), ...overrides };
}

/** The parts of a run's configuration that shape the model and its optimizer. */
export type ModelConfig = Pick<TrainConfig, 'architecture' | 'mode' | 'encoderWidth' | 'seed' | 'learningRate' | 'beta1' | 'beta2' | 'latentLearningRate' | 'latentRegularization'>;
