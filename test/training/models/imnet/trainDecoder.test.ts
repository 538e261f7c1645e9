/**
 * Training uses the one decoder definition: the trainable decoder computes what the float64
 * reference (and so the runtime) computes from the same stored weights, skip connections and output
 * activations included, and gives the weights back in the stored layout.
 */
import * as tf from '@tensorflow/tfjs';
import { type ImNetArchitecture, referenceDecode, randomDecoderWeights } from '#core';
import { latentPerPoint } from '../../../../training/models/imnet/latents.js';
import { initialDecoderWeights, TrainingDecoder } from '../../../../training/models/imnet/TrainingDecoder.js';
import { randomLatents, randomPoints } from '../../../support/fixtures.js';
import { useTrainingBackend } from '../../trainFixtures.js';

const base: ImNetArchitecture = { latentSize: 6, hiddenSizes: [16, 12, 12, 8, 8, 4], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };

beforeAll(() => useTrainingBackend('wasm'));

describe('TrainingDecoder', () => {
  test.each([
    ['leakyClip, no skips', base],
    ['clip, CVPR skips', { ...base, outputActivation: 'clip', skipConnections: true }],
    ['sigmoid, CVPR skips', { ...base, outputActivation: 'sigmoid', skipConnections: true }],
  ] as [string, ImNetArchitecture][])('matches the float64 reference (%s)', async (_, architecture) => {
    const weights = randomDecoderWeights(architecture, 5);
    const decoder = new TrainingDecoder(weights);
    // Small codes keep the outputs off the leaky clip's rails (slope 0.01 there would damp every
    // difference 100x): most fall inside (0, 1), where the comparison sees them at full size.
    const [latentA, latentB] = randomLatents(2, architecture.latentSize, 6).map((l) => l.map((v) => 0.2 * v));
    const points = randomPoints(40, 7);
    // Two shapes, 20 points each, every point carrying its shape's latent.
    const out = tf.tidy(() => {
      const z = latentPerPoint(tf.tensor2d([...latentA, ...latentB], [2, architecture.latentSize]), 20);
      return decoder.forward(tf.tensor2d(points, [40, 3]), z).dataSync().slice();
    });
    const expected = [...referenceDecode(weights, latentA, points.subarray(0, 60)), ...referenceDecode(weights, latentB, points.subarray(60))];
    expect(expected.filter((v) => v > 0 && v < 1).length).toBeGreaterThanOrEqual(20);
    for (let i = 0; i < 40; i++) expect(out[i]).toBeCloseTo(expected[i], 5);
    const read = await decoder.read();
    read.layers.forEach((l, i) => {
      expect(Array.from(l.kernel)).toEqual(Array.from(weights.layers[i].kernel));
      expect(Array.from(l.bias)).toEqual(Array.from(weights.layers[i].bias));
    });
    expect(decoder.variables.map((v) => v.name)).toEqual(weights.layers.flatMap((_, i) => [`decoder/dense${i}/kernel`, `decoder/dense${i}/bias`]));
    decoder.dispose();
  });

  test('initial weights put every point near 0.5, in leaky clip\'s slope-1 range', () => {
    const architecture = { ...base, latentSize: 32, hiddenSizes: [64, 64, 32] };
    const weights = initialDecoderWeights(architecture, 1);
    const [latent] = randomLatents(1, 32, 2);
    const values = referenceDecode(weights, latent, randomPoints(500, 3));
    for (const v of values) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
  });
});
