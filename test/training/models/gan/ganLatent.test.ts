/**
 * IM-GAN's latent WGAN-GP: the written-out critic input gradient is the true one, the trained
 * generator is the network the runtime evaluates, it learns where the latents are, and a resumed
 * run repeats an uninterrupted one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { generateLatent, noiseForSeed, createRandom, gaussian } from '#core';
import { criticInputGradient, DEFAULT_GAN_CONFIG, denseStack, forwardStack, trainLatentGan, type GanConfig } from '../../../../training/models/gan/latentGan.js';
import { AbortError } from '../../../../training/util/abort.js';
import { useTrainingBackend } from '../../trainFixtures.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-gan-'));

/** 24 latents of size 8 in two clusters, around 0.25 and 0.75 in the first four values. */
function clusteredLatents(): Float32Array[] {
  const random = createRandom(11);
  return Array.from({ length: 24 }, (_, i) => Float32Array.from({ length: 8 }, (_, j) => {
    const centre = j < 4 ? (i % 2 ? 0.75 : 0.25) : 0.5;
    return Math.min(1, Math.max(0, centre + 0.03 * gaussian(random)));
  }));
}

const config: GanConfig = {
  ...DEFAULT_GAN_CONFIG, noiseSize: 8, generatorHidden: [64, 64], criticHidden: [64, 64], batchSize: 24,
  learningRate: 2e-3, epochs: 150, seed: 3,
};

beforeAll(() => useTrainingBackend('wasm'));

test('the critic gradient written as ops equals autodiff of the critic', () => {
  const critic = denseStack('critic', [8, 16, 16, 1], createRandom(1));
  const x = tf.tensor2d(Float32Array.from({ length: 5 * 8 }, (_, i) => Math.sin(i)), [5, 8]);
  const ours = tf.tidy(() => criticInputGradient(critic.layers, forwardStack(critic.layers, x, 0.02).pre, 0.02).dataSync().slice());
  const autodiff = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(forwardStack(critic.layers, input as tf.Tensor2D, 0.02).out))(x).dataSync().slice());
  ours.forEach((v, i) => expect(v).toBeCloseTo(autodiff[i], 5));
  critic.named.forEach(({ variable }) => variable.dispose());
  x.dispose();
});

test('learns where the latents are, as the network the runtime samples from', async () => {
  const latents = clusteredLatents();
  const tensorsBefore = tf.memory().numTensors;
  const { generator, rows } = await trainLatentGan({ latents, config, dir: join(root, 'learn') });
  expect(tf.memory().numTensors).toBe(tensorsBefore);
  expect(rows).toHaveLength(150);
  expect(generator.layers.map((l) => l.bias.length)).toEqual([64, 64, 8]);
  // Sampled through the runtime's float64 generator: a sample's first four values fall on the same
  // side of 0.5, as in the two clusters (independent values would agree 1 time in 8; an untrained
  // generator, 120 updates in, agreed 18% of the time); the other four stay near 0.5.
  const samples = Array.from({ length: 200 }, (_, s) => generateLatent(generator, noiseForSeed(8, s)));
  const oneCluster = samples.filter((z) => {
    const high = Array.from(z.subarray(0, 4), (v) => v > 0.5);
    return high.every((h) => h === high[0]);
  }).length / samples.length;
  expect(oneCluster).toBeGreaterThan(0.75);
  const secondHalf = samples.flatMap((z) => Array.from(z.subarray(4)));
  const meanSecond = secondHalf.reduce((a, b) => a + b, 0) / secondHalf.length;
  expect(Math.abs(meanSecond - 0.5)).toBeLessThan(0.1);
});

test('a run stopped at update 13 and resumed from update 10 ends with the same generator', async () => {
  const latents = clusteredLatents();
  const short = { ...config, generatorHidden: [16, 16], criticHidden: [16, 16], epochs: 20 };
  const straight = await trainLatentGan({ latents, config: short, dir: join(root, 'straight') });
  const controller = new AbortController();
  await expect(trainLatentGan({
    latents, config: short, dir: join(root, 'killed'), checkpointEverySteps: 5, signal: controller.signal,
    onProgress: (p) => { if (p.iteration === 13) controller.abort(); },
  })).rejects.toThrow(AbortError);
  const resumed = await trainLatentGan({ latents, config: short, dir: join(root, 'killed'), resume: true });
  resumed.generator.layers.forEach((l, i) => {
    expect(Buffer.compare(Buffer.from(l.kernel.buffer), Buffer.from(straight.generator.layers[i].kernel.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(l.bias.buffer), Buffer.from(straight.generator.layers[i].bias.buffer))).toBe(0);
  });
  expect(resumed.rows.map((r) => r.loss)).toEqual(straight.rows.map((r) => r.loss));
});
