import * as tf from '@tensorflow/tfjs';
import { NODE_BACKENDS, quietTf } from '../support/backends.js';
import { randomLatents, randomPoints } from '../support/fixtures.js';
import { PRESETS, type ImNetArchitecture, decoderFlopsPerPoint } from '../../src/decoder/architecture.js';
import { randomDecoderWeights } from '../../src/decoder/weights.js';
import { referenceDecode } from '../../src/decoder/reference.js';
import { TfDecoder } from '../../src/evaluate/tfDecoder.js';
import { activateBackend } from '../../src/evaluate/backend.js';

quietTf();

const variants: [string, ImNetArchitecture, number][] = [
  ['web32', PRESETS.web32, 2048],
  ['web64', PRESETS.web64, 1024],
  ['imnet', PRESETS.imnet, 64],
  ['skip connections (CVPR variant)', { latentSize: 16, hiddenSizes: [64, 64, 48, 32, 32, 16], outputActivation: 'leakyClip', skipConnections: true, leakySlope: 0.02 }, 1024],
  ['clip output', { latentSize: 12, hiddenSizes: [40, 24], outputActivation: 'clip', skipConnections: false, leakySlope: 0.02 }, 1024],
  ['sigmoid output', { latentSize: 12, hiddenSizes: [40, 24], outputActivation: 'sigmoid', skipConnections: false, leakySlope: 0.1 }, 1024],
];

describe.each(NODE_BACKENDS)('TfDecoder on %s agrees with the float64 reference', (backend) => {
  beforeAll(async () => {
    expect(await activateBackend(backend)).toBe(backend);
  });

  test.each(variants)('%s: max abs error < 1e-4 on fresh random weights and points', (_, architecture, count) => {
    const weights = randomDecoderWeights(architecture, 7);
    // Small codes keep a clipping output off its rails, so the comparison sees varied values.
    const latent = randomLatents(1, architecture.latentSize, 11)[0].map((v) => v * 0.2);
    const points = randomPoints(count, 13);
    const decoder = new TfDecoder(weights);
    const folded = decoder.fold(latent);
    const got = tf.tidy(() => decoder.decode(tf.tensor2d(points, [count, 3]), folded).dataSync());
    const want = referenceDecode(weights, latent, points);
    let maxError = 0;
    let spread = 0;
    for (let i = 0; i < count; i++) {
      maxError = Math.max(maxError, Math.abs(got[i] - want[i]));
      spread = Math.max(spread, Math.abs(want[i] - want[0]));
    }
    folded.dispose();
    decoder.dispose();
    expect(maxError).toBeLessThan(1e-4);
    expect(spread).toBeGreaterThan(1e-3); // the comparison means something only if outputs vary
  });
});

test('folding the latent removes its rows from the per-point FLOPs', () => {
  const saved = 1 - decoderFlopsPerPoint(PRESETS.web32) / decoderFlopsPerPoint(PRESETS.web32, true);
  expect(saved).toBeGreaterThan(0.05);
});

test('fold, decode and decodeMany after dispose are errors, not reads of freed tensors', async () => {
  expect(await activateBackend('cpu')).toBe('cpu');
  const decoder = new TfDecoder(randomDecoderWeights(PRESETS.web32, 1));
  const folded = decoder.fold(new Float32Array(128));
  const points = tf.tensor2d(randomPoints(4, 1), [4, 3]);
  decoder.dispose();
  expect(() => decoder.fold(new Float32Array(128))).toThrow('TfDecoder: used after dispose()');
  expect(() => decoder.decode(points, folded)).toThrow('TfDecoder: used after dispose()');
  expect(() => decoder.decodeMany(points, [{ start: 0, count: 2, folded }, { start: 2, count: 2, folded }])).toThrow('TfDecoder: used after dispose()');
  points.dispose();
  folded.dispose();
});
