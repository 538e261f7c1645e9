/**
 * The CNN-AE decoder's transposed convolution: it is the adjoint of the encoder's convolution, it
 * computes tf.conv3dTranspose's function, and its gradients agree with central finite differences
 * (computed in float64 from the forward pass alone, so no tfjs gradient kernel is trusted).
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { conv3dK4S2 } from '../../../training/nn/conv3d.js';
import { deconv3dK4S2 } from '../../../training/nn/deconv3d.js';
import { useTrainingBackend } from '../trainFixtures.js';

const values = (n: number, seed: number): Float32Array => {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random() - 0.5);
};

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

type Shape5 = [number, number, number, number, number];

describe('deconv3dK4S2', () => {
  // 2 samples, 3^3 grid of 4 channels -> 6^3 grid of 2 channels.
  const inShape: Shape5 = [2, 3, 3, 3, 4];
  const outShape: Shape5 = [2, 6, 6, 6, 2];
  const filterShape: Shape5 = [4, 4, 4, 2, 4];
  const xs = values(2 * 27 * 4, 1), fs = values(64 * 2 * 4, 2), ts = values(2 * 216 * 2, 3);

  test('is the adjoint of conv3dK4S2 with the same filter: <conv(u), x> = <u, deconv(x)>', async () => {
    await useTrainingBackend('wasm');
    const u = values(2 * 216 * 2, 4);
    const [left, right] = tf.tidy(() => {
      const f = tf.tensor5d(fs, filterShape);
      const conv = conv3dK4S2(tf.tensor5d(u, outShape), f).dataSync();
      const deconv = deconv3dK4S2(tf.tensor5d(xs, inShape), f).dataSync();
      return [dot(conv, xs), dot(u, deconv)];
    });
    expect(Math.abs(left - right)).toBeLessThan(1e-4 * Math.abs(left) + 1e-6);
  });

  test.each(['cpu', 'wasm'] as const)('computes tf.conv3dTranspose(stride 2, same) on %s', async (backend) => {
    await useTrainingBackend('cpu');
    const reference = tf.tidy(() => tf.conv3dTranspose(tf.tensor5d(xs, inShape), tf.tensor5d(fs, filterShape), outShape, 2, 'same').dataSync().slice());
    await useTrainingBackend(backend);
    const ours = tf.tidy(() => deconv3dK4S2(tf.tensor5d(xs, inShape), tf.tensor5d(fs, filterShape)).dataSync().slice());
    expect(ours.length).toBe(2 * 216 * 2);
    expect(maxAbsDiff(ours, reference)).toBeLessThan(1e-5);
  });

  test('gradients of sum(deconv(x, f) * t) match central finite differences on wasm', async () => {
    await useTrainingBackend('wasm');
    const { dx, df } = tf.tidy(() => {
      const t = tf.tensor5d(ts, outShape);
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(deconv3dK4S2(a as tf.Tensor5D, b as tf.Tensor5D), t)))([tf.tensor5d(xs, inShape), tf.tensor5d(fs, filterShape)]);
      return { dx: gx.dataSync().slice(), df: gf.dataSync().slice() };
    });
    // The loss is linear in each argument, so a central difference is exact up to rounding; evaluated
    // in float64 from the float32 forward pass with a large step to keep rounding small.
    const loss = (x: Float32Array, f: Float32Array): number => tf.tidy(() => dot(deconv3dK4S2(tf.tensor5d(x, inShape), tf.tensor5d(f, filterShape)).dataSync(), ts));
    const h = 0.5;
    const probe = (which: 'x' | 'f', index: number): number => {
      const plus = (which === 'x' ? xs : fs).slice(), minus = plus.slice();
      plus[index] += h;
      minus[index] -= h;
      return which === 'x' ? (loss(plus, fs) - loss(minus, fs)) / (2 * h) : (loss(xs, plus) - loss(xs, minus)) / (2 * h);
    };
    const random = createRandom(9);
    for (let k = 0; k < 12; k++) {
      const i = Math.floor(random() * xs.length);
      expect(Math.abs(dx[i] - probe('x', i))).toBeLessThan(1e-4);
      const j = Math.floor(random() * fs.length);
      expect(Math.abs(df[j] - probe('f', j))).toBeLessThan(1e-4);
    }
    // Gradients that are not all zero (a broken scatter would give zeros and pass a weak check).
    expect(Math.max(...Array.from(dx, Math.abs))).toBeGreaterThan(0.01);
    expect(Math.max(...Array.from(df, Math.abs))).toBeGreaterThan(0.01);
  });

  test('rejects a filter whose input channels do not match', async () => {
    await useTrainingBackend('wasm');
    const x = tf.zeros(inShape) as tf.Tensor5D;
    const f = tf.zeros([4, 4, 4, 2, 3]) as tf.Tensor5D;
    expect(() => deconv3dK4S2(x, f)).toThrow(/filter must be \[4, 4, 4, out, 4\], got \[4, 4, 4, 2, 3\]/);
    tf.dispose([x, f]);
  });
});
