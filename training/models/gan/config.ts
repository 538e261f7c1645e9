/** The latent GAN's settings and their defaults, apart from the networks so that `imnet --help` needs no tfjs. */

/** Everything that decides a GAN run's result. */
export interface GanConfig {
  /** Length of the generator's noise input. IM-GAN: 128. */
  noiseSize: number;
  /** Generator hidden widths. IM-GAN: [2048, 2048]. */
  generatorHidden: number[];
  /** Critic hidden widths. IM-GAN: [2048, 2048]. */
  criticHidden: number[];
  leakySlope: number;
  /** Gradient-penalty weight. WGAN-GP: 10. */
  lambda: number;
  /** Critic updates per generator update. WGAN-GP: 5. */
  criticSteps: number;
  /** Latents per batch. */
  batchSize: number;
  /** Adam; WGAN-GP's defaults are 1e-4, 0, 0.9. */
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Epochs; one epoch is ceil(latents / batchSize) generator updates. */
  epochs: number;
  seed: number;
}

/** IM-GAN's and WGAN-GP's settings (the `imnet gan` flags' defaults come from here); seed 0 is what `imnet gan` has always used. */
export const DEFAULT_GAN_CONFIG: Readonly<GanConfig> = {
  noiseSize: 128, generatorHidden: [2048, 2048], criticHidden: [2048, 2048], leakySlope: 0.02,
  lambda: 10, criticSteps: 5, batchSize: 64, learningRate: 1e-4, beta1: 0, beta2: 0.9, epochs: 200, seed: 0,
};
