/**
 * The float64 reference decoder is what every evaluator is tested against, so it is itself checked
 * against arithmetic done by hand: a network small enough to evaluate on paper, with a CVPR skip
 * connection, its kernels written out row by row in the stored layout (README "Weights format":
 * row-major `[inputs, units]`, rows `[previous layer; xyz; latent]`, layer 0 `[xyz; latent]`).
 * Nothing here asks the implementation for layer shapes or activations.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImNetArchitecture, OutputActivation } from '../../src/decoder/architecture.js';
import { referenceDecode } from '../../src/decoder/reference.js';
import type { DecoderWeights } from '../../src/decoder/weights.js';
import { activateBackend } from '../../src/evaluate/backend.js';
import { TfDecoder } from '../../src/evaluate/tfDecoder.js';
import { quietTf } from '../support/backends.js';

quietTf();

/**
 * latent size 1, hidden widths [2, 2], skips on: hidden layer 1 (the second) also sees xyz and the
 * latent, so its kernel has 2 + 3 + 1 = 6 rows.
 */
function handNetwork(outputActivation: OutputActivation): DecoderWeights {
  const architecture: ImNetArchitecture = { latentSize: 1, hiddenSizes: [2, 2], outputActivation, skipConnections: true, leakySlope: 0.02 };
  return {
    architecture,
    layers: [
      {
        // rows x, y, z, latent; columns u0, u1
        kernel: Float32Array.of(
          1, -1,
          2, 0,
          0, 4,
          0.5, -1),
        bias: Float32Array.of(0.25, 0),
      },
      {
        // rows u0, u1 (previous layer), x, y, z, latent; columns v0, v1
        kernel: Float32Array.of(
          1, 0.5,
          10, 0,
          0, 2,
          4, 0,
          0, -2,
          0.25, 1),
        bias: Float32Array.of(-0.5, 0.125),
      },
      {
        // rows v0, v1; one output
        kernel: Float32Array.of(-20, 0.5),
        bias: Float32Array.of(0),
      },
    ],
  };
}

const POINT = Float32Array.of(0.5, -0.25, 0.25);
const LATENT = Float32Array.of(2);

/*
 * By hand, at (x, y, z) = (0.5, -0.25, 0.25) with latent 2:
 *   u0 = 0.25 + 0.5*1 + (-0.25)*2 + 0.25*0 + 2*0.5    = 1.25   -> LeakyReLU 1.25
 *   u1 = 0    + 0.5*(-1) + (-0.25)*0 + 0.25*4 + 2*(-1) = -1.5   -> LeakyReLU -0.03
 *   v0 = -0.5 + 1.25*1 + (-0.03)*10 + 0.5*0 + (-0.25)*4 + 0.25*0 + 2*0.25     = -0.05  -> -0.001
 *   v1 = 0.125 + 1.25*0.5 + (-0.03)*0 + 0.5*2 + (-0.25)*0 + 0.25*(-2) + 2*1   = 3.25   -> 3.25
 *   h  = (-0.001)*(-20) + 3.25*0.5 + 0 = 1.645
 * leaky clip: max(min(h, 0.01 h + 0.99), 0.01 h) = min(1.645, 1.00645) = 1.00645
 * clip: 1; sigmoid: 1 / (1 + e^-1.645)
 */
const H = 1.645;
const EXPECTED: [OutputActivation, number][] = [
  ['leakyClip', 1.00645],
  ['clip', 1],
  ['sigmoid', 1 / (1 + Math.exp(-H))],
];

test.each(EXPECTED)('the reference gives the hand-computed value (%s output)', (activation, expected) => {
  const [value] = referenceDecode(handNetwork(activation), LATENT, POINT);
  expect(Math.abs(value - expected)).toBeLessThan(1e-6);
});

test('the leaky clip\'s lower rail and a latent of 0, by hand', () => {
  // At the origin with latent 0: u = (0.25, 0) -> (0.25, 0); v0 = -0.5 + 0.25 = -0.25 -> -0.005,
  // v1 = 0.125 + 0.125 = 0.25; h = 0.1 + 0.125 = 0.225 (inside [0, 1], the identity).
  expect(Math.abs(referenceDecode(handNetwork('leakyClip'), [0], [0, 0, 0])[0] - 0.225)).toBeLessThan(1e-6);
  // At (-0.5, 0.5, 0) with latent 0: u0 = 0.25 - 0.5 + 1 = 0.75, u1 = 0.5 -> 0.5;
  // v0 = -0.5 + 0.75 + 5 + 2 = 7.25, v1 = 0.125 + 0.375 - 1 = -0.5 -> -0.01;
  // h = -145 - 0.005 = -145.005 -> leaky clip 0.01 h = -1.45005.
  expect(Math.abs(referenceDecode(handNetwork('leakyClip'), [0], [-0.5, 0.5, 0])[0] - -1.45005)).toBeLessThan(1e-6);
});

test('the tfjs evaluator gives the same hand-computed value (cpu)', async () => {
  expect(await activateBackend('cpu')).toBe('cpu');
  const decoder = new TfDecoder(handNetwork('leakyClip'));
  const folded = decoder.fold(LATENT);
  const [value] = tf.tidy(() => decoder.decode(tf.tensor2d(POINT, [1, 3]), folded).dataSync());
  folded.dispose();
  decoder.dispose();
  expect(Math.abs(value - 1.00645)).toBeLessThan(1e-5);
});
