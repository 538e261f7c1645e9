/**
 * The digit models on small real data: the 2D training decoder computes the runtime's decoder (the
 * one architecture), the WGAN critic's written-out input gradient is tfjs's own, every model's loss
 * moves the right way in a few steps on the one Trainer, and a resumed run ends bit-identical to an
 * uninterrupted one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { referenceDecode } from '#core';
import { DIGIT_PIXELS, DIGIT_SIZE, loadMnist, pixelCentres, type DigitSet } from '../../../../training/data/mnist/mnistDigits.js';
import { ConvEncoder } from '../../../../training/models/digits/ConvEncoder.js';
import { DigitBatches } from '../../../../training/models/digits/DigitBatches.js';
import { defaultDigitConfig, implicitDigitArchitecture, type DigitModelName, type DigitNetworks } from '../../../../training/models/digits/digitsConfig.js';
import { createDigitModel } from '../../../../training/models/digits/digitRuns.js';
import { ImplicitDigitDecoder } from '../../../../training/models/digits/ImplicitDigitDecoder.js';
import { Trainer } from '../../../../training/trainer/Trainer.js';
import { AbortError } from '../../../../training/util/abort.js';
import { useTrainingBackend } from '../../trainFixtures.js';

/** Networks small enough for tests. */
const TINY: DigitNetworks = { codeSize: 6, encoderWidths: [4, 4, 8, 8], implicitHidden: [32, 16, 8, 8, 4], latentGanHidden: [16, 16], latentGanNoise: 4, leakySlope: 0.02 };

let digits: DigitSet;

beforeAll(async () => {
  await useTrainingBackend('wasm');
  const { train } = loadMnist();
  digits = { images: train.images.subarray(0, 200 * DIGIT_PIXELS), labels: train.labels.subarray(0, 200), count: 200 };
});

test('the implicit digit decoder is the runtime decoder with two coordinates (float64 reference)', async () => {
  const decoder = new ImplicitDigitDecoder(implicitDigitArchitecture(TINY), 3);
  const code = Float32Array.from([0.1, 0.9, 0.3, 0.5, 0.7, 0.2]);
  const image = tf.tidy(() => decoder.decodeImages(tf.tensor2d(code, [1, 6]), 8).dataSync());
  const want = referenceDecode(await decoder.decoder.read(), code, pixelCentres(8));
  expect(image.length).toBe(64);
  for (let i = 0; i < 64; i++) expect(Math.abs(image[i] - want[i])).toBeLessThan(1e-5);
  decoder.dispose();
});

test("the WGAN critic's written-out input gradient equals tfjs's gradient of its output", () => {
  const critic = new ConvEncoder({ prefix: 'critic', widths: [2, 3, 4, 4], headUnits: 1, batchNorm: false, leakySlope: 0.2, seed: 5 });
  const x = tf.tensor4d(digits.images.subarray(0, 2 * DIGIT_PIXELS), [2, DIGIT_SIZE, DIGIT_SIZE, 1]);
  const ours = tf.tidy(() => critic.inputGradient(critic.forwardWithActivations(x).preActivations).dataSync());
  const theirs = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(critic.forward(input as tf.Tensor4D)))(x).dataSync());
  let scale = 0, diff = 0;
  for (let i = 0; i < ours.length; i++) { scale = Math.max(scale, Math.abs(theirs[i])); diff = Math.max(diff, Math.abs(ours[i] - theirs[i])); }
  expect(scale).toBeGreaterThan(0);
  expect(diff / scale).toBeLessThan(1e-5);
  x.dispose();
  critic.dispose();
});

test('an epoch of batches visits every digit once, in an order fixed by seed and epoch', () => {
  const data = new DigitBatches(digits, 'x', 2, 20, 2, 9);
  expect(data.steps()).toBe(5);
  const firstPixels = (epoch: number) => Array.from({ length: 5 }, (_, step) => data.batch({ stage: 0, epoch, step }).real.flatMap((r) => Array.from({ length: 20 }, (_, b) => r.slice(b * DIGIT_PIXELS, (b + 1) * DIGIT_PIXELS).join()))).flat();
  const epoch0 = firstPixels(0);
  expect(new Set(epoch0).size).toBe(new Set(Array.from({ length: 200 }, (_, i) => digits.images.slice(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS).join())).size);
  expect(firstPixels(0)).toEqual(epoch0);
  expect(firstPixels(1)).not.toEqual(epoch0);
});

/** Mean of each loss over the first and the last `window` steps of `steps` steps. */
async function lossTrend(model: DigitModelName, steps: number, lr: number): Promise<Record<string, [number, number]>> {
  const config = defaultDigitConfig(model, 'narrow', { networks: TINY, batchSize: 10, pointsPerImage: 98, learningRate: lr, epochs: 1 });
  const module = createDigitModel(config);
  const seen: Record<string, number>[] = [];
  try {
    const data = new DigitBatches({ ...digits, count: Math.min(digits.count, steps * 10 * module.realBatchesPerStep) }, model, 1, 10, module.realBatchesPerStep, 1);
    await new Trainer({ module, data, callbacks: [{ onStepEnd: (s) => void seen.push(s.metrics) }] }).fit();
  } finally {
    module.dispose();
  }
  const window = Math.max(1, Math.floor(seen.length / 4));
  const mean = (rows: Record<string, number>[], k: string) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
  return Object.fromEntries(Object.keys(seen[0]).map((k) => [k, [mean(seen.slice(0, window), k), mean(seen.slice(-window), k)]]));
}

test.each(['cnn-ae', 'im-ae', 'vae', 'vae-im'] as const)('%s: the reconstruction loss falls within 20 steps', async (model) => {
  const { loss } = await lossTrend(model, 20, 3e-3);
  expect(loss[1]).toBeLessThan(0.8 * loss[0]);
});

test('dcgan: the discriminator learns to tell real from generated digits (its loss falls below chance, 2 ln 2)', async () => {
  const { discriminator } = await lossTrend('dcgan', 12, 2e-3);
  expect(discriminator[1]).toBeLessThan(2 * Math.log(2));
  expect(discriminator[1]).toBeLessThan(discriminator[0]);
});

test('wgan-im: the critic separates real from generated digits (its loss turns negative)', async () => {
  const { critic } = await lossTrend('wgan-im', 10, 2e-3);
  expect(critic[1]).toBeLessThan(0);
  expect(critic[1]).toBeLessThan(critic[0]);
});

test('a WGAN run resumed after an abort ends bit-identical to an uninterrupted one', async () => {
  const config = defaultDigitConfig('wgan', 'narrow', { networks: TINY, batchSize: 10, epochs: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'imnet-digits-resume-'));
  const run = async (file: string, abortAfter?: number): Promise<Map<string, Float32Array>> => {
    const module = createDigitModel(config);
    const abort = new AbortController();
    const data = new DigitBatches({ ...digits, count: 80 }, 'wgan', 1, 10, module.realBatchesPerStep, 1);
    const trainer = new Trainer({
      module, data, checkpointFile: file, checkpointEverySteps: 1, signal: abort.signal,
      callbacks: [{ onStepEnd: (s) => { if (s.globalStep === abortAfter) abort.abort(); } }],
    });
    try {
      await trainer.fit();
      return new Map(module.variables.map((v) => [v.name, v.variable.dataSync() as Float32Array]));
    } finally {
      module.dispose();
    }
  };
  const straight = await run(join(dir, 'straight.bin'));
  await expect(run(join(dir, 'resumed.bin'), 2)).rejects.toBeInstanceOf(AbortError);
  const module = createDigitModel(config);
  const trainer = new Trainer({ module, data: new DigitBatches({ ...digits, count: 80 }, 'wgan', 1, 10, module.realBatchesPerStep, 1), checkpointFile: join(dir, 'resumed.bin') });
  trainer.resume();
  // The abort came after step 2, before its checkpoint: the run continues from step 1's.
  expect(trainer.globalStep).toBe(1);
  await trainer.fit();
  for (const { name, variable } of module.variables) expect(Array.from(variable.dataSync())).toEqual(Array.from(straight.get(name)!));
  module.dispose();
});

test("the paper preset builds the supplementary's networks: 4x4 convs 16-32-64-128, a 100-d code, the 102-d implicit decoder with skips", () => {
  const shapes = (model: DigitModelName) => {
    const m = createDigitModel(defaultDigitConfig(model, 'paper'));
    const out = new Map(m.variables.map((v) => [v.name, v.variable.shape]));
    m.dispose();
    return out;
  };
  const vaeIm = shapes('vae-im');
  expect([0, 1, 2, 3].map((i) => vaeIm.get(`encoder/conv${i}/filter`))).toEqual([[4, 4, 1, 16], [4, 4, 16, 32], [4, 4, 32, 64], [4, 4, 64, 128]]);
  // The 4x4 -> 1x1 head over the 4 x 4 x 128 block: a 100-d mean and a 100-d log-variance.
  expect(vaeIm.get('encoder/head/kernel')).toEqual([2048, 200]);
  expect([0, 1, 2, 3, 4, 5].map((i) => vaeIm.get(`decoder/dense${i}/kernel`))).toEqual([[102, 1024], [1024 + 102, 512], [512 + 102, 256], [256 + 102, 128], [128 + 102, 64], [64, 1]]);
  const dcgan = shapes('dcgan');
  expect(dcgan.get('generator/dense/kernel')).toEqual([100, 2048]);
  expect(dcgan.get('discriminator/head/kernel')).toEqual([2048, 1]);
  expect(dcgan.has('discriminator/bn1/gamma')).toBe(true);
  expect(shapes('wgan').has('critic/bn1/gamma')).toBe(false);
});
