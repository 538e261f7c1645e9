/**
 * The transposed convolution of IM-NET's CNN-AE decoder (kernel 4, stride 2, padding 1: PyTorch's
 * `ConvTranspose3d(kernel_size=4, stride=2, padding=1)`, tfjs's `conv3dTranspose(x, f, 2x, 2, 'same')`),
 * built as the exact adjoint of {@link conv3dK4S2}: one matMul to patch rows, then the patches added
 * back onto the output grid by `col2imK4S2`. Its gradients are the same two pieces the other way
 * round (`im2colK4S2` of the output gradient, then matMuls), so no tfjs Conv3D kernel is involved:
 * tfjs-wasm's strided Conv3D backprop kernels are wrong (see conv3d.ts) and its Conv3D is a naive loop.
 *
 * The filter keeps tfjs's conv3dTranspose layout `[kd, kh, kw, out, in]`, so `tf.conv3dTranspose`
 * computes the same function on backends where it is trusted (tfjs-node).
 */
import * as tf from '@tensorflow/tfjs';
import { col2imK4S2, im2colK4S2, type Conv3dPath } from './conv3d.js';

const KERNEL = 4;
const TAPS = KERNEL * KERNEL * KERNEL;

/**
 * `y @ k^T` scattered onto the doubled grid. `y`: `[batch * n^3, in]` rows of the input grid;
 * `kernelT`: `[in, 64 * out]` (the filter's transpose). Gradients: `dPatches = im2col(dOut)`,
 * `dy = dPatches k` and `dKernelT = y^T dPatches`, with explicit transposes (wasm's transposed matMul is slow).
 */
function deconvFromRows(batch: number, n: number, out: number) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [y, kernelT, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([y, kernelT]);
    const patches = tf.matMul(y, kernelT);
    const grid = col2imK4S2(patches.dataSync() as Float32Array, batch, 2 * n, 2 * n, 2 * n, out);
    patches.dispose();
    return {
      value: tf.tensor5d(grid, [batch, 2 * n, 2 * n, 2 * n, out]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sy, sk] = saved as tf.Tensor2D[];
        const rows = batch * n * n * n;
        const dPatches = tf.tensor2d(im2colK4S2(dy.dataSync() as Float32Array, batch, 2 * n, 2 * n, 2 * n, out), [rows, TAPS * out]);
        const dRows = tf.matMul(dPatches, tf.transpose(sk));
        const dKernelT = tf.matMul(tf.transpose(sy), dPatches);
        return [dRows, dKernelT];
      },
    };
  }) as (y: tf.Tensor2D, kernelT: tf.Tensor2D) => tf.Tensor5D;
}

/**
 * `conv3dTranspose(x, filter, [batch, 2n, 2n, 2n, out], 2, 'same')` for a 4x4x4 filter on a cubic grid:
 * the adjoint of `conv3dK4S2` with the same filter, which doubles each spatial size.
 *
 * @param x - `[batch, n, n, n, in]`.
 * @param filter - `[4, 4, 4, out, in]` (tfjs's conv3dTranspose layout).
 * @returns `[batch, 2n, 2n, 2n, out]`.
 */
export function deconv3dK4S2(x: tf.Tensor5D, filter: tf.Tensor5D, path: Conv3dPath = 'patches'): tf.Tensor5D {
  const [batch, d, h, w, channels] = x.shape;
  if (d !== h || h !== w) throw new RangeError(`deconv3dK4S2: expected a cubic grid, got ${d}x${h}x${w}`);
  const [fd, fh, fw, out, fin] = filter.shape;
  if (fd !== KERNEL || fh !== KERNEL || fw !== KERNEL || fin !== channels) {
    throw new RangeError(`deconv3dK4S2: filter must be [4, 4, 4, out, ${channels}], got [${filter.shape.join(', ')}]`);
  }
  if (path === 'native') return tf.conv3dTranspose(x, filter, [batch, 2 * d, 2 * h, 2 * w, out], 2, 'same');
  return tf.tidy(() => {
    // [4,4,4,out,in] viewed as [64 * out, in] is the conv filter of the adjoint convolution; its transpose is small.
    const kernelT = tf.transpose(tf.reshape(filter, [TAPS * out, channels])) as tf.Tensor2D;
    const rows = tf.reshape(x, [batch * d * h * w, channels]) as tf.Tensor2D;
    return deconvFromRows(batch, d, out)(rows, kernelT);
  });
}
