/**
 * The training step's hand-written backward pass (latents folded per shape) gives the gradients that
 * tfjs autodiff gives for the plain decoder (every point carrying its latent, concatenated as stored),
 * for every layer, the latents, skip connections, each output activation and both losses.
 */
import * as tf from '@tensorflow/tfjs';
import { type ImNetArchitecture, randomDecoderWeights } from '#core';
import { foldedDecoderLoss, foldedDecoderValues } from '../../../../training/models/imnet/foldedDecoderLoss.js';
import { latentPerPoint } from '../../../../training/models/imnet/latents.js';
import { activate, type PointLossName } from '../../../../training/models/imnet/pointLoss.js';
import { TrainingDecoder } from '../../../../training/models/imnet/TrainingDecoder.js';
import { randomLatents, randomPoints } from '../../../support/fixtures.js';
import { useTrainingBackend } from '../../trainFixtures.js';

const base: ImNetArchitecture = { latentSize: 6, hiddenSizes: [32, 24, 24, 16, 16, 8], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const SHAPES = 3;
const POINTS = 50;

beforeAll(() => useTrainingBackend('wasm'));

/** The reference: plain forward, loss and gradients by tfjs autodiff. */
function referenceGradients(decoder: TrainingDecoder, z: tf.Tensor2D, xyz: Float32Array, targets: Float32Array, loss: PointLossName): { loss: number; grads: Map<string, Float32Array> } {
  let result: { loss: number; grads: Map<string, Float32Array> } | undefined;
  tf.tidy(() => {
    const p = tf.tensor2d(xyz, [SHAPES * POINTS, 3]);
    const t = tf.tensor1d(targets);
    const xs = [z, ...decoder.variables.map((v) => v.variable)];
    const { value, grads } = tf.valueAndGrads((...inputs: tf.Tensor[]) => {
      const out = decoder.forward(p, latentPerPoint(inputs[0] as tf.Tensor2D, POINTS));
      if (loss === 'mse') return tf.mean(tf.square(tf.sub(out, t))) as tf.Scalar;
      return tf.neg(tf.mean(tf.add(tf.mul(t, tf.log(out)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, out)))))) as tf.Scalar;
    })(xs);
    result = { loss: value.dataSync()[0], grads: new Map(['latents', ...decoder.variables.map((v) => v.name)].map((name, i) => [name, grads[i].dataSync() as Float32Array])) };
  });
  return result!;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  // float32 sums in another order: errors of a few ulps of the largest entry.
  if (worst > 1e-4 * scale + 1e-9) throw new Error(`${what}: max difference ${worst} against entries up to ${scale}`);
  expect(scale).toBeGreaterThan(0);
}

describe('foldedDecoderLoss', () => {
  test.each([
    ['leakyClip, no skips, MSE', base, 'mse'],
    ['clip, CVPR skips, MSE', { ...base, outputActivation: 'clip', skipConnections: true }, 'mse'],
    ['sigmoid, CVPR skips, MSE', { ...base, outputActivation: 'sigmoid', skipConnections: true }, 'mse'],
    ['sigmoid, no skips, BCE on logits', { ...base, outputActivation: 'sigmoid' }, 'bce'],
  ] as [string, ImNetArchitecture, PointLossName][])('gradients equal autodiff of the plain decoder (%s)', (_, architecture, loss) => {
    const decoder = new TrainingDecoder(randomDecoderWeights(architecture, 11, 0.5));
    const latents = randomLatents(SHAPES, architecture.latentSize, 12);
    const xyz = randomPoints(SHAPES * POINTS, 13);
    // Targets: a sphere per shape of a different radius, so the loss has gradient everywhere.
    const targets = Float32Array.from({ length: SHAPES * POINTS }, (_, i) => (Math.hypot(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]) < 0.2 + 0.05 * Math.floor(i / POINTS) ? 1 : 0));
    const z = tf.tensor2d(Float32Array.from(latents.flatMap((l) => Array.from(l))), [SHAPES, architecture.latentSize]);
    const expected = referenceGradients(decoder, z, xyz, targets, loss);

    const xs = [z, ...decoder.variables.map((v) => v.variable)];
    const folded = tf.tidy(() => {
      const { value, grads } = tf.valueAndGrads((...inputs: tf.Tensor[]) => foldedDecoderLoss(decoder, inputs[0] as tf.Tensor2D, { points: xyz, targets, pointsPerShape: POINTS }, { loss }))(xs);
      return { loss: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
    });
    expect(folded.loss).toBeCloseTo(expected.loss, 5);
    ['latents', ...decoder.variables.map((v) => v.name)].forEach((name, i) => expectClose(folded.grads[i], expected.grads.get(name)!, name));
    z.dispose();
    decoder.dispose();
  });

  test('with the decoder frozen, only the latents get a gradient, the same one', () => {
    const decoder = new TrainingDecoder(randomDecoderWeights(base, 21, 0.5));
    const xyz = randomPoints(SHAPES * POINTS, 22);
    const targets = Float32Array.from({ length: SHAPES * POINTS }, (_, i) => (xyz[3 * i + 1] < 0 ? 1 : 0));
    const z = tf.tensor2d(Float32Array.from(randomLatents(SHAPES, base.latentSize, 23).flatMap((l) => Array.from(l))), [SHAPES, base.latentSize]);
    const expected = referenceGradients(decoder, z, xyz, targets, 'mse');
    const dz = tf.tidy(() => tf.grad((x: tf.Tensor) => foldedDecoderLoss(decoder, x as tf.Tensor2D, { points: xyz, targets, pointsPerShape: POINTS }, { trainDecoder: false }))(z).dataSync() as Float32Array);
    expectClose(dz, expected.grads.get('latents')!, 'latents');
    z.dispose();
    decoder.dispose();
  });

  test('its forward pass alone gives the plain decoder\'s values', () => {
    const architecture: ImNetArchitecture = { ...base, skipConnections: true };
    const decoder = new TrainingDecoder(randomDecoderWeights(architecture, 31, 0.5));
    const xyz = randomPoints(SHAPES * POINTS, 32);
    const z = tf.tensor2d(Float32Array.from(randomLatents(SHAPES, architecture.latentSize, 33).flatMap((l) => Array.from(l))), [SHAPES, architecture.latentSize]);
    const expected = tf.tidy(() => decoder.forward(tf.tensor2d(xyz, [SHAPES * POINTS, 3]), latentPerPoint(z, POINTS)).dataSync());
    const values = foldedDecoderValues(decoder, z, xyz, POINTS);
    expect(values).toHaveLength(SHAPES * POINTS);
    values.forEach((v, i) => expect(activate(v, architecture.outputActivation)).toBeCloseTo(expected[i], 5));
    z.dispose();
    decoder.dispose();
  });
});
