/**
 * The encoder's convolution and instance norm: the JS-patches path computes tf.conv3d's function and
 * gradients (checked against the cpu backend's Conv3D, whose gradients are right; wasm's are not for
 * stride 2 'same', which is why the patches path exists).
 */
import * as tf from '@tensorflow/tfjs';
import { col2imK4S2, conv3dK4S2, im2colK4S2 } from '../../../training/nn/conv3d.js';
import { instanceNorm, VoxelEncoder } from '../../../training/models/imnet/VoxelEncoder.js';
import { createRandom } from '#core';
import { useTrainingBackend } from '../trainFixtures.js';

const values = (n: number, seed: number): Float32Array => {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random() - 0.5);
};

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** Value and gradients (x, filter) of sum(conv(x, f) * t) on the current backend. */
function convAndGrads(conv: (x: tf.Tensor5D, f: tf.Tensor5D) => tf.Tensor5D, xs: Float32Array, fs: Float32Array, ts: Float32Array, shape: number[], filterShape: number[]) {
  return tf.tidy(() => {
    const x = tf.tensor5d(xs, shape as [number, number, number, number, number]);
    const f = tf.tensor5d(fs, filterShape as [number, number, number, number, number]);
    const out = conv(x, f);
    const t = tf.tensor(ts, out.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor5D, b as tf.Tensor5D), t)))([x, f]);
    return { y: out.dataSync().slice(), dx: dx.dataSync().slice(), df: df.dataSync().slice() };
  });
}

describe('conv3dK4S2 (patches + matMul)', () => {
  test('im2col and col2im are adjoint: <im2col(x), p> = <x, col2im(p)>', () => {
    const [b, d, h, w, c] = [2, 4, 6, 4, 3];
    const x = values(b * d * h * w * c, 1);
    const rows = b * (d / 2) * (h / 2) * (w / 2);
    const p = values(rows * 64 * c, 2);
    const cols = im2colK4S2(x, b, d, h, w, c);
    const back = col2imK4S2(p, b, d, h, w, c);
    let left = 0, right = 0;
    for (let i = 0; i < p.length; i++) left += cols[i] * p[i];
    for (let i = 0; i < x.length; i++) right += x[i] * back[i];
    expect(Math.abs(left - right)).toBeLessThan(1e-4 * Math.abs(left) + 1e-6);
  });

  test.each(['cpu', 'wasm'] as const)('matches tf.conv3d(stride 2, same) and its cpu gradients on %s', async (backend) => {
    const shape = [2, 8, 6, 4, 3], filterShape = [4, 4, 4, 3, 5];
    const xs = values(2 * 8 * 6 * 4 * 3, 3), fs = values(64 * 3 * 5, 4), ts = values(2 * 4 * 3 * 2 * 5, 5);
    await useTrainingBackend('cpu');
    const reference = convAndGrads((x, f) => tf.conv3d(x, f, 2, 'same'), xs, fs, ts, shape, filterShape);
    await useTrainingBackend(backend);
    const ours = convAndGrads((x, f) => conv3dK4S2(x, f), xs, fs, ts, shape, filterShape);
    expect(maxAbsDiff(ours.y, reference.y)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours.dx, reference.dx)).toBeLessThan(1e-5);
    expect(maxAbsDiff(ours.df, reference.df)).toBeLessThan(1e-5);
    // The data-input variant gives the same filter gradient.
    const dataOnly = tf.tidy(() => {
      const x = tf.tensor5d(xs, shape as [number, number, number, number, number]);
      const t = tf.tensor5d(ts, [2, 4, 3, 2, 5]);
      return tf.grad((f: tf.Tensor) => tf.sum(tf.mul(conv3dK4S2(x, f as tf.Tensor5D, 'patches', true), t)))(tf.tensor5d(fs, filterShape as [number, number, number, number, number])).dataSync().slice();
    });
    expect(maxAbsDiff(dataOnly, reference.df)).toBeLessThan(1e-5);
  });
});

describe('VoxelEncoder', () => {
  test('instance norm gives each sample and channel zero mean and unit variance over space', async () => {
    await useTrainingBackend('wasm');
    const x = tf.tensor5d(values(2 * 4 * 4 * 4 * 3, 6).map((v, i) => v * (1 + (i % 3)) + (i % 3)), [2, 4, 4, 4, 3]);
    const y = instanceNorm(x);
    const { mean, variance } = tf.moments(y, [1, 2, 3]);
    expect(maxAbsDiff(mean.dataSync(), new Float32Array(6))).toBeLessThan(1e-5);
    expect(maxAbsDiff(variance.dataSync(), new Float32Array(6).fill(1))).toBeLessThan(1e-3);
    tf.dispose([x, y, mean, variance]);
  });

  test('maps 64^3 voxels to latents in (0, 1), different for different shapes', async () => {
    await useTrainingBackend('wasm');
    const encoder = new VoxelEncoder({ latentSize: 16, width: 2, seed: 3 });
    const voxels = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([2, 64, 64, 64, 1], 0, 1, 'float32', 7), 0.6), 'float32')) as tf.Tensor5D;
    const z = encoder.forward(voxels);
    expect(z.shape).toEqual([2, 16]);
    const v = z.dataSync();
    expect(Math.min(...v)).toBeGreaterThan(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(maxAbsDiff(v.slice(0, 16), v.slice(16))).toBeGreaterThan(1e-4);
    tf.dispose([voxels, z]);
    encoder.dispose();
  });
});
