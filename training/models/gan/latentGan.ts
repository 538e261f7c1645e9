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
import { readCheckpoint, writeCheckpoint, type CheckpointTensor } from '../../trainer/checkpoint.js';
import { writeLossLog, type LossRow } from '../../trainer/lossLog.js';
import { mixSeed } from '../imnet/schedule.js';

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
  /** Stop after the current update without writing anything, as a kill would. */
  signal?: AbortSignal;
  onProgress?: (progress: GanProgress) => void;
  log?: (line: string) => void;
}

interface GanState {
  config: GanConfig;
  /** Generator updates done. */
  iteration: number;
  criticAdamStep: number;
  generatorAdamStep: number;
  epochCriticSum: number;
  epochGeneratorSum: number;
  epochIterations: number;
  rows: LossRow[];
  elapsedSeconds: number;
}

/** Thrown when `signal` stops a GAN run. */
export class GanAborted extends Error {
  override readonly name = 'GanAborted';
}

/** Trains the latent WGAN-GP; returns the generator in the runtime's form. */
export async function trainLatentGan(args: GanRunArgs): Promise<{ generator: GeneratorWeights; rows: LossRow[] }> {
  const { latents, dir, signal, onProgress } = args;
  const log = args.log ?? (() => {});
  const checkpointFile = join(dir, 'checkpoint.bin');
  mkdirSync(dir, { recursive: true });
  const resumed = args.resume ? readCheckpoint<GanState>(checkpointFile) : null;
  const config = resumed?.state.config ?? args.config;
  if (latents.length === 0) throw new RangeError('trainLatentGan: no latents to learn from');
  const latentSize = latents[0].length;
  const random = createRandom(mixSeed(config.seed, 0x6a4));
  const generator = denseStack('generator', [config.noiseSize, ...config.generatorHidden, latentSize], random);
  const critic = denseStack('critic', [latentSize, ...config.criticHidden, 1], random);
  const adamArgs = { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 };
  const generatorAdam = new Adam(generator.named, adamArgs);
  const criticAdam = new Adam(critic.named, adamArgs);
  const all = [...generator.named, ...critic.named];

  let state: GanState = resumed?.state ?? { config, iteration: 0, criticAdamStep: 0, generatorAdamStep: 0, epochCriticSum: 0, epochGeneratorSum: 0, epochIterations: 0, rows: [], elapsedSeconds: 0 };
  if (resumed) {
    for (const { name, variable } of all) {
      const saved = resumed.tensors.get(name);
      if (!saved) throw new Error(`${checkpointFile}: missing tensor ${name}`);
      tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
    }
    const moments = new Map([...resumed.tensors].map(([k, t]) => [k, t.values]));
    generatorAdam.restore(state.generatorAdamStep, moments);
    criticAdam.restore(state.criticAdamStep, moments);
    log(`gan: resumed at update ${state.iteration}`);
  }

  const table = new Float32Array(latents.length * latentSize);
  latents.forEach((z, i) => table.set(z, i * latentSize));
  const batch = config.batchSize;
  const perEpoch = Math.max(1, Math.ceil(latents.length / batch));
  const total = perEpoch * config.epochs;
  const sessionStart = performance.now();
  const elapsed = (): number => state.elapsedSeconds + (performance.now() - sessionStart) / 1000;
  let lastCheckpoint = performance.now();
  const checkpointMs = (args.checkpointMinutes ?? 5) * 60_000;

  const save = async (): Promise<void> => {
    const tensors: CheckpointTensor[] = [];
    for (const { name, variable } of all) tensors.push({ name, shape: variable.shape, values: (await variable.data()) as Float32Array });
    for (const { name, tensor } of [...generatorAdam.stateTensors(), ...criticAdam.stateTensors()]) tensors.push({ name, shape: tensor.shape, values: (await tensor.data()) as Float32Array });
    state.generatorAdamStep = generatorAdam.step;
    state.criticAdamStep = criticAdam.step;
    writeCheckpoint(checkpointFile, { ...state, elapsedSeconds: elapsed() }, tensors);
    lastCheckpoint = performance.now();
  };

  /** Seeded draws for one update: real latents (with replacement), noise, interpolation weights. */
  const draw = (iteration: number, k: number): { real: Float32Array; noise: Float32Array; epsilon: Float32Array } => {
    const r = createRandom(mixSeed(config.seed, iteration, k));
    const real = new Float32Array(batch * latentSize);
    for (let b = 0; b < batch; b++) {
      const i = Math.floor(r() * latents.length);
      real.set(table.subarray(i * latentSize, (i + 1) * latentSize), b * latentSize);
    }
    const noise = Float32Array.from({ length: batch * config.noiseSize }, () => gaussian(r));
    const epsilon = Float32Array.from({ length: batch }, () => r());
    return { real, noise, epsilon };
  };
  const generate = (noise: tf.Tensor2D): tf.Tensor2D => tf.sigmoid(forwardStack(generator.layers, noise, config.leakySlope).out) as tf.Tensor2D;
  const criticOf = (x: tf.Tensor2D) => forwardStack(critic.layers, x, config.leakySlope);

  try {
    while (state.iteration < total) {
      let criticLoss = 0;
      for (let k = 0; k < config.criticSteps; k++) {
        const { real, noise, epsilon } = draw(state.iteration, k);
        const value = tf.tidy(() => {
          const realT = tf.tensor2d(real, [batch, latentSize]);
          const fake = generate(tf.tensor2d(noise, [batch, config.noiseSize]));
          const eps = tf.tensor2d(epsilon, [batch, 1]);
          const { value: v, grads } = tf.variableGrads(() => {
            const mixed = tf.add(tf.mul(eps, realT), tf.mul(tf.sub(1, eps), fake)) as tf.Tensor2D;
            const { pre } = criticOf(mixed);
            const g = criticInputGradient(critic.layers, pre, config.leakySlope);
            const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1), 1e-12));
            const penalty = tf.mul(config.lambda, tf.mean(tf.square(tf.sub(norm, 1))));
            const wasserstein = tf.sub(tf.mean(criticOf(fake).out), tf.mean(criticOf(realT).out));
            return tf.add(wasserstein, penalty) as tf.Scalar;
          }, critic.named.map((n) => n.variable));
          criticAdam.apply(grads);
          return v;
        });
        criticLoss = (await value.data())[0];
        value.dispose();
      }
      const { noise } = draw(state.iteration, config.criticSteps);
      const gValue = tf.tidy(() => {
        const z = tf.tensor2d(noise, [batch, config.noiseSize]);
        const { value: v, grads } = tf.variableGrads(() => tf.neg(tf.mean(criticOf(generate(z)).out)) as tf.Scalar, generator.named.map((n) => n.variable));
        generatorAdam.apply(grads);
        return v;
      });
      const generatorLoss = (await gValue.data())[0];
      gValue.dispose();
      if (!Number.isFinite(criticLoss) || !Number.isFinite(generatorLoss)) throw new Error(`gan diverged at update ${state.iteration + 1} (critic ${criticLoss}, generator ${generatorLoss}); try a lower --lr`);
      state.iteration++;
      state.epochCriticSum += criticLoss;
      state.epochGeneratorSum += generatorLoss;
      state.epochIterations++;
      const epoch = Math.ceil(state.iteration / perEpoch);
      onProgress?.({ epoch, epochs: config.epochs, iteration: state.iteration, iterations: total, criticLoss, generatorLoss });
      if (signal?.aborted) throw new GanAborted(`gan stopped at update ${state.iteration}`);
      if (state.iteration % perEpoch === 0) {
        state.rows.push({
          epoch, stage: 'gan', stageEpoch: epoch, step: state.iteration,
          loss: state.epochCriticSum / state.epochIterations,
          extra: { generator: state.epochGeneratorSum / state.epochIterations }, seconds: elapsed(),
        });
        state.epochCriticSum = state.epochGeneratorSum = state.epochIterations = 0;
        writeLossLog(dir, 'loss', state.rows, 'imnet gan: WGAN-GP critic and generator loss per epoch', ['loss', 'generator']);
      }
      const every = args.checkpointEverySteps ?? 0;
      if ((every > 0 && state.iteration % every === 0) || performance.now() - lastCheckpoint > checkpointMs) await save();
    }
    await save();
    const layers = await Promise.all(generator.layers.map(async (l) => ({ kernel: (await l.kernel.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array })));
    const shapes = generatorLayerShapes(config.noiseSize, config.generatorHidden, latentSize);
    layers.forEach((l, i) => {
      if (l.kernel.length !== shapes[i][0] * shapes[i][1]) throw new Error(`generator layer ${i}: ${l.kernel.length} values; expected ${shapes[i].join('x')}`);
    });
    return { generator: { noiseSize: config.noiseSize, hiddenSizes: [...config.generatorHidden], leakySlope: config.leakySlope, layers }, rows: state.rows };
  } finally {
    generatorAdam.dispose();
    criticAdam.dispose();
    for (const { variable } of all) variable.dispose();
  }
}
