/**
 * The paper's 2D experiments (IM-NET supplementary, MNIST): which models exist, the network sizes of
 * each preset, and the settings that decide a digit run's result (persisted with the run).
 *
 * Networks, as in the supplementary:
 *  - encoder (CNN-AE, IM-AE, VAE, discriminators): 4x4 convolutions, widths w0 (stride 1), w1, w2, w3
 *    (stride 2: 28 -> 14 -> 7 -> 4), batch norm + LeakyReLU(0.02), then a 4x4 -> 1x1 head (a dense layer
 *    over the 4 x 4 x w3 block): the code through a sigmoid, a VAE's mean and log-variance, or a
 *    discriminator's one logit (sigmoid for DCGAN, none for a WGAN critic);
 *  - CNN decoder: the encoder mirrored with 4x4 transposed convolutions, sigmoid output;
 *  - implicit decoder: `[code, x, y]` through fully connected layers with `[code, x, y]` concatenated
 *    into layers 2-5, sigmoid output: the one IM-NET architecture with `pointSize: 2`;
 *  - latent GAN (CNN-GAN, IM-GAN): generator and critic 2048 -> 2048, WGAN-GP, penalty 10.
 */
import type { ImNetArchitecture } from '#core';

/** The nine trainable models: the seven of the paper's comparison and the two auto-encoders two of them build on. */
export const DIGIT_MODELS = ['cnn-ae', 'im-ae', 'cnn-gan', 'im-gan', 'vae', 'vae-im', 'dcgan', 'wgan', 'wgan-im'] as const;
export type DigitModelName = (typeof DIGIT_MODELS)[number];

/** The seven models compared by their samples (the auto-encoders only reconstruct). */
export const GENERATIVE_DIGIT_MODELS: readonly DigitModelName[] = ['dcgan', 'cnn-gan', 'im-gan', 'vae', 'vae-im', 'wgan', 'wgan-im'];

/** The paper's name of each model, for sheets and tables. */
export const DIGIT_MODEL_TITLES: Readonly<Record<DigitModelName, string>> = {
  'cnn-ae': 'CNN-AE', 'im-ae': 'IM-AE', 'cnn-gan': 'CNN-GAN', 'im-gan': 'IM-GAN', vae: 'VAE', 'vae-im': 'VAE_IM', dcgan: 'DCGAN', wgan: 'WGAN', 'wgan-im': 'WGAN_IM',
};

/** The auto-encoder whose codes a latent GAN learns. */
export const LATENT_GAN_BASE: Readonly<Partial<Record<DigitModelName, DigitModelName>>> = { 'cnn-gan': 'cnn-ae', 'im-gan': 'im-ae' };

/** Models whose images come from the implicit decoder (so they can be decoded at any resolution). */
export function isImplicitModel(model: DigitModelName): boolean {
  return model === 'im-ae' || model === 'im-gan' || model === 'vae-im' || model === 'wgan-im';
}

/** True when `name` is one of {@link DIGIT_MODELS}. */
export function isDigitModel(name: string): name is DigitModelName {
  return (DIGIT_MODELS as readonly string[]).includes(name);
}

/** Names of the built-in network sizes (see {@link DIGIT_PRESETS}). */
export const DIGIT_PRESET_NAMES = ['narrow', 'paper'] as const;
export type DigitPresetName = (typeof DIGIT_PRESET_NAMES)[number];

/** The sizes of every network of the 2D experiments. */
export interface DigitNetworks {
  /** Code length: the auto-encoders' code, the VAEs' latent, the GAN generators' noise. Paper: 100. */
  codeSize: number;
  /** Encoder convolution widths, stride 1 then three stride-2 layers. Paper: 16, 32, 64, 128. */
  encoderWidths: [number, number, number, number];
  /** Hidden widths of the implicit decoder. Paper: 1024, 512, 256, 128, 64. */
  implicitHidden: number[];
  /** Hidden widths of the latent GAN's generator and critic. Paper: 2048, 2048. */
  latentGanHidden: number[];
  /** Noise length of the latent GAN's generator. */
  latentGanNoise: number;
  leakySlope: number;
}

/**
 * `paper`: the supplementary's sizes. `narrow`: what fits the 2-core CPU budget of this repository
 * (about 60 core-minutes for all nine models): a quarter of the implicit decoder's widths and half of
 * the encoder's, a 32-value code. See docs/digits.md for what each was run with.
 *
 * Code size: the supplementary gives the VAE a 128-d mean and sigma but the implicit decoder a 102-d
 * input (`[code, x, y]`); we use one code size per preset for every model (100 in `paper`), so VAE_IM's
 * decoder is the paper's 102-d one and VAE and VAE_IM differ only in their decoder.
 */
export const DIGIT_PRESETS: Readonly<Record<DigitPresetName, Readonly<DigitNetworks>>> = {
  paper: { codeSize: 100, encoderWidths: [16, 32, 64, 128], implicitHidden: [1024, 512, 256, 128, 64], latentGanHidden: [2048, 2048], latentGanNoise: 100, leakySlope: 0.02 },
  narrow: { codeSize: 32, encoderWidths: [8, 16, 32, 64], implicitHidden: [256, 128, 64, 32, 16], latentGanHidden: [256, 256], latentGanNoise: 32, leakySlope: 0.02 },
};

/** The implicit decoder of a preset: IM-NET's architecture with two coordinates, CVPR skips and a sigmoid. */
export function implicitDigitArchitecture(networks: DigitNetworks): ImNetArchitecture {
  return {
    latentSize: networks.codeSize, hiddenSizes: [...networks.implicitHidden], outputActivation: 'sigmoid',
    skipConnections: true, leakySlope: networks.leakySlope, pointSize: 2,
  };
}

/** Everything that decides a digit run's result (saved with the run; a resumed run uses it, not new flags). */
export interface DigitTrainConfig {
  model: DigitModelName;
  preset: DigitPresetName;
  networks: DigitNetworks;
  /** Images per optimizer step. Paper: 50. */
  batchSize: number;
  /** Pixels per image and step for implicit decoders (a fresh random subset each step); 784 is the paper's all. */
  pointsPerImage: number;
  /** Adam. Paper: 5e-5, beta1 0.5. */
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Passes over the 5,000 training digits (for latent GANs: over the codes, as `imnet gan` counts). */
  epochs: number;
  /** WGANs: critic updates per generator update, and the gradient-penalty weight. */
  criticSteps: number;
  penaltyWeight: number;
  /** VAEs: weight of the KL term against the summed squared error per image. */
  klWeight: number;
  seed: number;
}

/** Training settings a preset gives each model (the command line may override any). */
export type DigitTrainingDefaults = Pick<DigitTrainConfig, 'batchSize' | 'pointsPerImage' | 'learningRate' | 'beta1' | 'beta2' | 'epochs' | 'criticSteps'>;

/** The supplementary's settings: Adam 5e-5, beta1 0.5, batch 50, all 784 pixels, WGAN-GP's 5 critic steps. */
const PAPER_TRAINING: DigitTrainingDefaults = { batchSize: 50, pointsPerImage: 784, learningRate: 5e-5, beta1: 0.5, beta2: 0.999, epochs: 200, criticSteps: 5 };

/**
 * The CPU schedule of the narrow preset, sized so all nine models train in about 60 core-minutes
 * (measured per step on one tfjs-wasm thread; docs/digits.md has the table): higher learning rates
 * than the paper's (DCGAN's 2e-4 for the GANs, 5e-4 for the CNN auto-encoders, 1e-3 for the implicit
 * ones: 60 steps of IM-AE reached MSE 0.081 at 5e-4, 0.068 at 2e-3), a quarter of the pixels per step
 * for implicit auto-encoders, and WGAN-GP with 2 critic steps of 32 digits.
 */
const NARROW_TRAINING: Readonly<Record<DigitModelName, DigitTrainingDefaults>> = {
  'cnn-ae': { batchSize: 50, pointsPerImage: 784, learningRate: 5e-4, beta1: 0.5, beta2: 0.999, epochs: 9, criticSteps: 5 },
  'im-ae': { batchSize: 50, pointsPerImage: 196, learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epochs: 9, criticSteps: 5 },
  vae: { batchSize: 50, pointsPerImage: 784, learningRate: 5e-4, beta1: 0.5, beta2: 0.999, epochs: 10, criticSteps: 5 },
  'vae-im': { batchSize: 50, pointsPerImage: 196, learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epochs: 9, criticSteps: 5 },
  dcgan: { batchSize: 50, pointsPerImage: 784, learningRate: 2e-4, beta1: 0.5, beta2: 0.999, epochs: 6, criticSteps: 1 },
  wgan: { batchSize: 32, pointsPerImage: 784, learningRate: 2e-4, beta1: 0.5, beta2: 0.9, epochs: 8, criticSteps: 2 },
  'wgan-im': { batchSize: 32, pointsPerImage: 784, learningRate: 2e-4, beta1: 0.5, beta2: 0.9, epochs: 4, criticSteps: 2 },
  // Latent GANs (WGAN-GP on the auto-encoder's codes, models/gan): 64 codes a batch, 5 critic steps.
  'cnn-gan': { batchSize: 64, pointsPerImage: 784, learningRate: 1e-4, beta1: 0, beta2: 0.9, epochs: 50, criticSteps: 5 },
  'im-gan': { batchSize: 64, pointsPerImage: 784, learningRate: 1e-4, beta1: 0, beta2: 0.9, epochs: 50, criticSteps: 5 },
};

/**
 * The settings every digit run shares, whatever its model (the `imnet digits train` flags' defaults
 * come from here; the rest are per preset and model, {@link defaultDigitConfig}).
 */
export const DIGIT_TRAIN_DEFAULTS = {
  preset: 'narrow',
  /** WGAN-GP's gradient-penalty weight. */
  penaltyWeight: 10,
  /** VAEs: weight of the KL term. */
  klWeight: 1,
  // 0, as every imnet command; the runs of docs/digits.md were made with seed 1 (training/categories/trainDigits.sh passes it).
  seed: 0,
} as const satisfies Pick<DigitTrainConfig, 'preset' | 'penaltyWeight' | 'klWeight' | 'seed'>;

/** Where `imnet digits` keeps runs and writes results, and how often a run checkpoints: per-call knobs, not part of a run's result. */
export const DIGIT_RUN_DEFAULTS = {
  /** Folder of the runs, one subfolder per model. */
  runsDir: 'runs/digits',
  /** `imnet digits sheet`: folder of the sheets, scores.json and tables.md. */
  sheetDir: 'docs/digits',
  /** `imnet digits export`: folder of IM-GAN's runtime weights. */
  weightsDir: 'weights/digits',
  /** Minutes between checkpoints: a digit run is short, so a kill loses little. */
  checkpointMinutes: 2,
} as const;

/**
 * A model's settings under a preset, with `overrides` (from the command line) applied; an override
 * that is `undefined` (a flag not given) keeps the default.
 */
export function defaultDigitConfig(model: DigitModelName, preset: DigitPresetName = DIGIT_TRAIN_DEFAULTS.preset, overrides: Partial<DigitTrainConfig> = {}): DigitTrainConfig {
  const training = preset === 'paper'
    ? { ...PAPER_TRAINING, ...(LATENT_GAN_BASE[model] ? { batchSize: 64, learningRate: 1e-4, beta1: 0, beta2: 0.9 } : {}) }
    : NARROW_TRAINING[model];
  const { penaltyWeight, klWeight, seed } = DIGIT_TRAIN_DEFAULTS;
  const given: Partial<DigitTrainConfig> = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return {
    model, preset, networks: structuredClone(DIGIT_PRESETS[preset]) as DigitNetworks,
    ...training, penaltyWeight, klWeight, seed,
    ...given,
  };
}
