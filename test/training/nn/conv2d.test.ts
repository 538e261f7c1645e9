/**
 * The 2D convolution and its transpose by patches + matMul compute tf.conv2d's and
 * tf.conv2dTranspose's functions and gradients (checked against the cpu backend, which has every
 * kernel; wasm has no filter gradient at all), for the digit networks' geometries.
 */
import * as tf from '@tensorflow/tfjs';
import { col2im, conv2dSame, conv2dTransposeSame, im2col, sameGeometry } from '../../../training/nn/conv2d.js';
import { createRandom } from '#core';
import { useTrainingBackend } from '../trainFixtures.js';

const values = (n: number, seed: number): Float32Array => {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => random() - 0.5);
};

/** Largest difference relative to the reference's largest magnitude (float32 sums over up to 1,568 products). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  expect(scale).toBeGreaterThan(0);
  return d / scale;
}

type Op = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D;

/** Value and gradients (x, filter) of sum(op(x, f) * t) on the current backend. */
function valueAndGrads(op: Op, xs: Float32Array, xShape: number[], fs: Float32Array, fShape: number[], seed: number) {
  return tf.tidy(() => {
    const x = tf.tensor4d(xs, xShape as [number, number, number, number]);
    const f = tf.tensor4d(fs, fShape as [number, number, number, number]);
    const y = op(x, f);
    const t = tf.tensor(values(y.size, seed), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), t)))([x, f]);
    return { y: y.dataSync().slice(), shape: y.shape, dx: dx.dataSync().slice(), df: df.dataSync().slice() };
  });
}

// The digit encoder's layers: 28 -> 28 (stride 1), 28 -> 14, 14 -> 7, 7 -> 4 (odd 'same' padding).
const GEOMETRIES = [
  { size: 28, stride: 1, c: 1, out: 3 },
  { size: 28, stride: 2, c: 2, out: 3 },
  { size: 7, stride: 2, c: 3, out: 2 },
];

describe('conv2dSame / conv2dTransposeSame (patches + matMul)', () => {
  test('im2col and col2im are adjoint: <im2col(x), p> = <x, col2im(p)>', () => {
    const g = sameGeometry(7, 5, 3, 4, 2);
    const x = values(2 * 7 * 5 * 3, 1);
    const p = values(2 * g.outHeight * g.outWidth * 16 * 3, 2);
    const cols = im2col(x, 2, g), back = col2im(p, 2, g);
    let left = 0, right = 0;
    for (let i = 0; i < p.length; i++) left += cols[i] * p[i];
    for (let i = 0; i < x.length; i++) right += x[i] * back[i];
    expect(Math.abs(left - right)).toBeLessThan(1e-4 * Math.abs(left) + 1e-6);
  });

  test.each(GEOMETRIES)('conv2dSame matches tf.conv2d and its cpu gradients on wasm: $size px, stride $stride', async ({ size, stride, c, out }) => {
    const xShape = [2, size, size, c], fShape = [4, 4, c, out];
    const xs = values(2 * size * size * c, 3), fs = values(16 * c * out, 4);
    await useTrainingBackend('cpu');
    const reference = valueAndGrads((x, f) => tf.conv2d(x, f, stride, 'same'), xs, xShape, fs, fShape, 5);
    await useTrainingBackend('wasm');
    const ours = valueAndGrads((x, f) => conv2dSame(x, f, stride), xs, xShape, fs, fShape, 5);
    expect(ours.shape).toEqual(reference.shape);
    expect(maxRelDiff(ours.y, reference.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(ours.dx, reference.dx)).toBeLessThan(1e-5);
    expect(maxRelDiff(ours.df, reference.df)).toBeLessThan(1e-5);
  });

  test.each(GEOMETRIES)('conv2dTransposeSame matches tf.conv2dTranspose and its cpu gradients on wasm: $size px, stride $stride', async ({ size, stride, c, out }) => {
    const small = Math.ceil(size / stride);
    const xShape = [2, small, small, out], fShape = [4, 4, c, out];
    const xs = values(2 * small * small * out, 6), fs = values(16 * c * out, 7);
    await useTrainingBackend('cpu');
    const reference = valueAndGrads((x, f) => tf.conv2dTranspose(x, f, [2, size, size, c], stride, 'same'), xs, xShape, fs, fShape, 8);
    await useTrainingBackend('wasm');
    const ours = valueAndGrads((x, f) => conv2dTransposeSame(x, f, size, size, stride), xs, xShape, fs, fShape, 8);
    expect(ours.shape).toEqual(reference.shape);
    expect(maxRelDiff(ours.y, reference.y)).toBeLessThan(1e-5);
    expect(maxRelDiff(ours.dx, reference.dx)).toBeLessThan(1e-5);
    expect(maxRelDiff(ours.df, reference.df)).toBeLessThan(1e-5);
  });

  test('a filter of the wrong depth is a RangeError naming the expected shape', () => {
    expect(() => conv2dSame(tf.zeros([1, 4, 4, 2]) as tf.Tensor4D, tf.zeros([4, 4, 3, 1]) as tf.Tensor4D, 1)).toThrow(/\[k, k, 2, out\]/);
  });
});
