/**
 * IM-GAN's latent GAN: a WGAN-GP (Gulrajani et al. 2017) trained on the latent codes of a trained
 * decoder's training shapes. Generator: noise -> hidden (LeakyReLU) -> latent (sigmoid), exactly the
 * network `src/decoder/generator.ts` evaluates at runtime; critic: latent -> hidden (LeakyReLU) -> 1.
 *
 * The gradient penalty needs the critic's gradient with respect to its input inside the loss. Rather
 * than nesting tfjs gradients, the input gradient is written out as ops (back through the layers,
 * `dLeakyReLU = step(a) (1 - slope) + slope`), whose own gradient tfjs then takes as usual; LeakyReLU's
 * second derivative is zero almost everywhere, so this is the exact penalty gradient.
 *
 * Every random draw (real batch, noise, interpolation weights) derives from `(seed, step)`, so a
 * resumed run repeats the uninterrupted one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { generatorLayerShapes, type GeneratorWeights, createRandom, gaussian } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import { readCheckpointState } from '../../trainer/checkpoint.js';
import type { LossRow } from '../../trainer/lossLog.js';
import { Trainer } from '../../trainer/Trainer.js';
import type { BatchSource, Gradients, StageSpec, TrainingModule, TrainingPosition } from '../../trainer/TrainingModule.js';
import { mixSeed } from '../../util/seeds.js';

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

export const DEFAULT_GAN_CONFIG: Readonly<Omit<GanConfig, 'epochs'>> = {
  noiseSize: 128, generatorHidden: [2048, 2048], criticHidden: [2048, 2048], leakySlope: 0.02,
  lambda: 10, criticSteps: 5, batchSize: 64, learningRate: 1e-4, beta1: 0, beta2: 0.9, seed: 1,
};

/** A dense stack as variables. */
export interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

export function denseStack(prefix: string, widths: number[], random: () => number): { layers: Dense[]; named: NamedVariable[] } {
  const layers = widths.slice(1).map((units, i) => {
    const rows = widths[i];
    // He-normal for LeakyReLU layers.
    const std = Math.sqrt(2 / rows);
    return {
      kernel: tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: rows * units }, () => gaussian(random) * std), [rows, units]))),
      bias: tf.tidy(() => tf.variable(tf.zeros([units]))),
    };
  });
  return { layers, named: layers.flatMap((l, i) => [{ name: `${prefix}/dense${i}/kernel`, variable: l.kernel }, { name: `${prefix}/dense${i}/bias`, variable: l.bias }]) };
}

/** Pre-activations and activations of a LeakyReLU stack (last layer linear). */
export function forwardStack(layers: Dense[], x: tf.Tensor2D, slope: number): { pre: tf.Tensor2D[]; out: tf.Tensor2D } {
  const pre: tf.Tensor2D[] = [];
  let h = x;
  layers.forEach((l, i) => {
    const a = tf.add(matMulFastGrad(h, l.kernel as tf.Tensor2D), l.bias) as tf.Tensor2D;
    pre.push(a);
    h = i < layers.length - 1 ? (tf.leakyRelu(a, slope) as tf.Tensor2D) : a;
  });
  return { pre, out: h };
}

/** Gradient of the (linear-output, 1-unit) critic with respect to its input, per sample: `[batch, latentSize]`. */
export function criticInputGradient(layers: Dense[], pre: tf.Tensor2D[], slope: number): tf.Tensor2D {
  const batch = pre[0].shape[0];
  // d out / d h_last = W_last^T, the same for every sample.
  let g = tf.mul(tf.ones([batch, 1]), tf.reshape(layers[layers.length - 1].kernel, [1, -1])) as tf.Tensor2D;
  for (let i = layers.length - 2; i >= 0; i--) {
    const slopeMask = tf.add(tf.mul(tf.step(pre[i]), 1 - slope), slope);
    g = tf.mul(g, slopeMask) as tf.Tensor2D;
    g = matMulFastGrad(g, tf.transpose(layers[i].kernel as tf.Tensor2D));
  }
  return g;
}

/** Progress after each generator update. */
export interface GanProgress {
  epoch: number;
  epochs: number;
  iteration: number;
  iterations: number;
  criticLoss: number;
  generatorLoss: number;
}

/** Options of {@link trainLatentGan} that do not change the result. */
export interface GanRunArgs {
  /** The training latents. */
  latents: Float32Array[];
  config: GanConfig;
  /** Folder for checkpoint.bin and the loss log. */
  dir: string;
  /** Continue from `dir`'s checkpoint (its config wins). */
  resume?: boolean;
  checkpointMinutes?: number;
  /** Also checkpoint every this many generator updates (0: off). */
  checkpointEverySteps?: number;
  /** Stop after the current update with an `AbortError`, without writing anything, as a kill would. */
  signal?: AbortSignal;
  onProgress?: (progress: GanProgress) => void;
  log?: (line: string) => void;
}

/** One update's seeded draws: per critic pass real latents (with replacement), noise and interpolation weights; then the generator's noise. */
export interface GanBatch {
  critic: { real: Float32Array; noise: Float32Array; epsilon: Float32Array }[];
  generatorNoise: Float32Array;
}

/** The generator and critic networks and their optimizers; a step is `criticSteps` critic passes, then a generator pass. */
export class LatentGan implements TrainingModule<GanBatch> {
  readonly generator: { layers: Dense[]; named: NamedVariable[] };
  readonly critic: { layers: Dense[]; named: NamedVariable[] };
  readonly generatorAdam: Adam;
  readonly criticAdam: Adam;
  readonly passes: readonly string[];

  constructor(readonly config: GanConfig, readonly latentSize: number) {
    const random = createRandom(mixSeed(config.seed, 0x6a4));
    this.generator = denseStack('generator', [config.noiseSize, ...config.generatorHidden, latentSize], random);
    this.critic = denseStack('critic', [latentSize, ...config.criticHidden, 1], random);
    const adamArgs = { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 };
    this.generatorAdam = new Adam(this.generator.named, adamArgs);
    this.criticAdam = new Adam(this.critic.named, adamArgs);
    this.passes = [...Array.from({ length: config.criticSteps }, () => 'critic'), 'generator'];
  }

  get variables(): readonly NamedVariable[] {
    return [...this.generator.named, ...this.critic.named];
  }

  get optimizers(): readonly Adam[] {
    return [this.generatorAdam, this.criticAdam];
  }

  private generate(noise: tf.Tensor2D): tf.Tensor2D {
    return tf.sigmoid(forwardStack(this.generator.layers, noise, this.config.leakySlope).out) as tf.Tensor2D;
  }

  private criticOf(x: tf.Tensor2D): { pre: tf.Tensor2D[]; out: tf.Tensor2D } {
    return forwardStack(this.critic.layers, x, this.config.leakySlope);
  }

  computeGradients(batch: GanBatch, pass: number): Gradients {
    const { batchSize: batch_, noiseSize, lambda, leakySlope } = this.config;
    const latentSize = this.latentSize;
    if (pass < this.config.criticSteps) {
      const { real, noise, epsilon } = batch.critic[pass];
      return tf.tidy(() => {
        const realT = tf.tensor2d(real, [batch_, latentSize]);
        const fake = this.generate(tf.tensor2d(noise, [batch_, noiseSize]));
        const eps = tf.tensor2d(epsilon, [batch_, 1]);
        const { value, grads } = tf.variableGrads(() => {
          const mixed = tf.add(tf.mul(eps, realT), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor2D;
          const { pre } = this.criticOf(mixed);
          const g = criticInputGradient(this.critic.layers, pre, leakySlope);
          const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1), 1e-12));
          const penalty = tf.mul(lambda, tf.mean(tf.square(tf.sub(norm, 1))));
          const wasserstein = tf.sub(tf.mean(this.criticOf(fake).out), tf.mean(this.criticOf(realT).out));
          return tf.add(wasserstein, penalty) as tf.Scalar;
        }, this.critic.named.map((n) => n.variable));
        return { loss: value, grads };
      });
    }
    return tf.tidy(() => {
      const z = tf.tensor2d(batch.generatorNoise, [batch_, noiseSize]);
      const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(this.criticOf(this.generate(z)).out)) as tf.Scalar, this.generator.named.map((n) => n.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap, pass: number): void {
    (pass < this.config.criticSteps ? this.criticAdam : this.generatorAdam).apply(grads);
  }

  /** The generator in the runtime's form (`src/decoder/generator.ts`). */
  async generatorWeights(): Promise<GeneratorWeights> {
    const { noiseSize, generatorHidden, leakySlope } = this.config;
    const layers = await Promise.all(this.generator.layers.map(async (l) => ({ kernel: (await l.kernel.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array })));
    const shapes = generatorLayerShapes(noiseSize, generatorHidden, this.latentSize);
    layers.forEach((l, i) => {
      if (l.kernel.length !== shapes[i][0] * shapes[i][1]) throw new Error(`generator layer ${i}: ${l.kernel.length} values; expected ${shapes[i].join('x')}`);
    });
    return { noiseSize, hiddenSizes: [...generatorHidden], leakySlope, layers };
  }

  dispose(): void {
    this.generatorAdam.dispose();
    this.criticAdam.dispose();
    for (const { variable } of this.variables) variable.dispose();
  }
}

/** The GAN's data: one stage of `epochs` epochs, each ceil(latents / batchSize) updates, every draw seeded by `(seed, update, pass)`. */
export class GanBatches implements BatchSource<GanBatch> {
  readonly stages: StageSpec[];
  readonly perEpoch: number;
  private readonly table: Float32Array;

  constructor(private readonly latents: readonly Float32Array[], private readonly config: GanConfig) {
    const latentSize = latents[0].length;
    this.table = new Float32Array(latents.length * latentSize);
    latents.forEach((z, i) => this.table.set(z, i * latentSize));
    this.perEpoch = Math.max(1, Math.ceil(latents.length / config.batchSize));
    this.stages = [{ name: 'gan', epochs: config.epochs }];
  }

  steps(): number {
    return this.perEpoch;
  }

  batch({ epoch, step }: TrainingPosition): GanBatch {
    const iteration = epoch * this.perEpoch + step;
    const critic = Array.from({ length: this.config.criticSteps }, (_, k) => this.draw(iteration, k));
    return { critic, generatorNoise: this.draw(iteration, this.config.criticSteps).noise };
  }

  sampleCount(): number {
    return this.config.batchSize;
  }

  /** Seeded draws for pass `k` of update `iteration`: real latents (with replacement), noise, interpolation weights. */
  private draw(iteration: number, k: number): { real: Float32Array; noise: Float32Array; epsilon: Float32Array } {
    const { batchSize, noiseSize, seed } = this.config;
    const latentSize = this.latents[0].length;
    const r = createRandom(mixSeed(seed, iteration, k));
    const real = new Float32Array(batchSize * latentSize);
    for (let b = 0; b < batchSize; b++) {
      const i = Math.floor(r() * this.latents.length);
      real.set(this.table.subarray(i * latentSize, (i + 1) * latentSize), b * latentSize);
    }
    const noise = Float32Array.from({ length: batchSize * noiseSize }, () => gaussian(r));
    const epsilon = Float32Array.from({ length: batchSize }, () => r());
    return { real, noise, epsilon };
  }
}

/** Trains the latent WGAN-GP; returns the generator in the runtime's form. */
export async function trainLatentGan(args: GanRunArgs): Promise<{ generator: GeneratorWeights; rows: LossRow[] }> {
  const { latents, dir } = args;
  const log = args.log ?? (() => {});
  const checkpointFile = join(dir, 'checkpoint.bin');
  mkdirSync(dir, { recursive: true });
  // A resumed run keeps the settings it started with.
  const config = args.resume ? readCheckpointState<{ config: GanConfig }>(checkpointFile).config : args.config;
  if (latents.length === 0) throw new RangeError('trainLatentGan: no latents to learn from');
  const gan = new LatentGan(config, latents[0].length);
  const data = new GanBatches(latents, config);
  const total = data.perEpoch * config.epochs;
  const trainer = new Trainer({
    module: gan, data, checkpointFile, name: 'gan',
    checkpointMinutes: args.checkpointMinutes, checkpointEverySteps: args.checkpointEverySteps, signal: args.signal,
    lossLog: { dir, title: 'imnet gan: WGAN-GP critic and generator loss per epoch' },
    extraState: { config },
    callbacks: [{
      onStepEnd: (s) => args.onProgress?.({
        epoch: s.epoch, epochs: s.epochs, iteration: s.globalStep, iterations: total, criticLoss: s.metrics.critic, generatorLoss: s.metrics.generator,
      }),
    }],
  });
  try {
    if (args.resume) {
      trainer.resume();
      log(`gan: resumed at update ${trainer.globalStep}`);
    }
    const { rows } = await trainer.fit();
    return { generator: await gan.generatorWeights(), rows };
  } finally {
    gan.dispose();
  }
}
