/**
 * IM-NET's encoder convolution (kernel 4, stride 2, padding 1) as patch extraction + one matMul.
 *
 * Why not `tf.conv3d`: in tfjs 4.22's wasm backend, Conv3D is a naive loop (~0.6 GFLOP/s here) and its
 * backprop kernels (Conv3DBackpropInputV2, Conv3DBackpropFilterV2) return wrong gradients for stride 2
 * with 'same' padding (test/training/nn/trainConv3d.test.ts pins the right ones against the cpu backend).
 * tfjs ops for the patches (slices of a padded tensor) are slow on wasm too (a 5-D slice took 280 ms),
 * so the patches are gathered in plain JS and their gradient scattered back in plain JS; the matMuls
 * run untransposed (wasm's fast path).
 *
 * The filter keeps tfjs's `[kd, kh, kw, in, out]` layout, so `tf.conv3d(x, filter, 2, 'same')`
 * computes the same function on backends where it is trusted (tfjs-node).
 */
import * as tf from '@tensorflow/tfjs';

const KERNEL = 4;
const TAPS = KERNEL * KERNEL * KERNEL;

/**
 * Patch rows of a k4 s2 p1 convolution: `[batch * od * oh * ow, 64 * channels]`, columns in filter
 * order `[kd, kh, kw, channel]`, zeros where a tap falls in the padding.
 *
 * The input is copied into a grid padded by one voxel first, so that the four `kw` taps of a row are
 * one contiguous run of `4 * channels` values with no bounds checks (measured against testing every
 * tap, same output bits: 2.5x faster on 8 x 32^3 x 8 channels, 1.15x on the encoder's 8 x 64^3 x 1 input).
 */
export function im2colK4S2(x: Float32Array, batch: number, d: number, h: number, w: number, channels: number): Float32Array {
  const od = d / 2, oh = h / 2, ow = w / 2;
  const rowSize = TAPS * channels;
  const run = KERNEL * channels;
  const out = new Float32Array(batch * od * oh * ow * rowSize);
  const pw = (w + 2) * channels, ph = (h + 2) * pw;
  const padded = new Float32Array((d + 2) * ph);
  let col = 0;
  for (let b = 0; b < batch; b++) {
    padGrid(x, b * d * h * w * channels, padded, d, h, w, channels);
    for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let xo = 0; xo < ow; xo++) {
      for (let kd = 0; kd < KERNEL; kd++) {
        for (let kh = 0; kh < KERNEL; kh++, col += run) {
          const src = (2 * z + kd) * ph + (2 * y + kh) * pw + 2 * xo * channels;
          for (let k = 0; k < run; k++) out[col + k] = padded[src + k];
        }
      }
    }
  }
  return out;
}

/** Copies sample grid `x[offset..]` into the interior of `padded` (one voxel of zeros around it). */
function padGrid(x: Float32Array, offset: number, padded: Float32Array, d: number, h: number, w: number, channels: number): void {
  const pw = (w + 2) * channels, ph = (h + 2) * pw, line = w * channels;
  for (let z = 0; z < d; z++) for (let y = 0; y < h; y++) {
    const from = offset + (z * h + y) * line;
    padded.set(x.subarray(from, from + line), (z + 1) * ph + (y + 1) * pw + channels);
  }
}

/**
 * The adjoint of {@link im2colK4S2}: adds each patch entry back onto the input element it came from
 * (into a padded grid, whose border is then dropped; every element receives its terms in the same
 * order as a bounds-checked scatter would add them, so the sums are the same floats).
 */
export function col2imK4S2(patches: Float32Array, batch: number, d: number, h: number, w: number, channels: number): Float32Array {
  const od = d / 2, oh = h / 2, ow = w / 2;
  const run = KERNEL * channels;
  const out = new Float32Array(batch * d * h * w * channels);
  const pw = (w + 2) * channels, ph = (h + 2) * pw, line = w * channels;
  const padded = new Float32Array((d + 2) * ph);
  let col = 0;
  for (let b = 0; b < batch; b++) {
    if (b > 0) padded.fill(0);
    for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let xo = 0; xo < ow; xo++) {
      for (let kd = 0; kd < KERNEL; kd++) {
        for (let kh = 0; kh < KERNEL; kh++, col += run) {
          const dst = (2 * z + kd) * ph + (2 * y + kh) * pw + 2 * xo * channels;
          for (let k = 0; k < run; k++) padded[dst + k] += patches[col + k];
        }
      }
    }
    const base = b * d * h * w * channels;
    for (let z = 0; z < d; z++) for (let y = 0; y < h; y++) {
      const from = (z + 1) * ph + (y + 1) * pw + channels;
      out.set(padded.subarray(from, from + line), base + (z * h + y) * line);
    }
  }
  return out;
}

/**
 * The convolution as one differentiable op: patches (JS) times the filter's `[64 * in, out]` view.
 * Gradient: `dFilter = patches^T dy` and `dPatches = dy filter^T`, scattered back by
 * {@link col2imK4S2}. wasm's matMul repacks its second operand whenever that tensor is new, so the
 * large patch matrix goes first (transposed) and the smaller `dy` second: measured 57-76 ms against
 * 100-270 ms for `(dy^T patches)^T` at the encoder's first layer (196608 x 64 patches).
 */
const convPatches = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, kernel, save] = args as [tf.Tensor5D, tf.Tensor2D, tf.GradSaveFunc];
  const [batch, d, h, w, channels] = x.shape;
  const rows = batch * (d / 2) * (h / 2) * (w / 2);
  const patches = tf.tensor2d(im2colK4S2(x.dataSync() as Float32Array, batch, d, h, w, channels), [rows, TAPS * channels]);
  save([patches, kernel]);
  return {
    value: tf.matMul(patches, kernel as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [p, k] = saved as tf.Tensor2D[];
      const dKernel = tf.matMul(tf.transpose(p), dy as tf.Tensor2D);
      const dPatches = tf.matMul(dy as tf.Tensor2D, tf.transpose(k));
      const dx = tf.tensor5d(col2imK4S2(dPatches.dataSync() as Float32Array, batch, d, h, w, channels), [batch, d, h, w, channels]);
      dPatches.dispose();
      return [dx, dKernel];
    },
  };
}) as (x: tf.Tensor5D, kernel: tf.Tensor2D) => tf.Tensor2D;

/** {@link convPatches} for an input that needs no gradient (the voxels): skips the scatter back. */
function convPatchesOfData(x: tf.Tensor5D, kernel: tf.Tensor2D): tf.Tensor2D {
  const [batch, d, h, w, channels] = x.shape;
  const patches = tf.tensor2d(im2colK4S2(x.dataSync() as Float32Array, batch, d, h, w, channels), [batch * (d / 2) * (h / 2) * (w / 2), TAPS * channels]);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [k, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    save([patches]);
    return {
      value: tf.matMul(patches, k as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
    };
  }) as (k: tf.Tensor2D) => tf.Tensor2D;
  return op(kernel);
}

/** How the k4 s2 convolution is computed: JS patches + matMul (any backend), or the backend's Conv3D. */
export type Conv3dPath = 'patches' | 'native';

/**
 * The path to use on a tfjs backend: `native` only where Conv3D and its gradients are trusted and
 * fast (tfjs-node's `tensorflow`); `patches` elsewhere (wasm's gradients are wrong, cpu's are slow).
 */
export function conv3dPathFor(backend: string): Conv3dPath {
  return backend === 'tensorflow' ? 'native' : 'patches';
}

/**
 * `conv3d(x, filter, strides 2, 'same')` for a 4x4x4 filter and even spatial sizes (which is PyTorch's
 * `Conv3d(kernel_size=4, stride=2, padding=1)`, IM-NET's encoder layer).
 *
 * @param x - `[batch, d, h, w, in]`, d/h/w even.
 * @param filter - `[4, 4, 4, in, out]`.
 * @param inputIsData - true when no gradient flows into `x` (the encoder's first layer): saves the
 *   scatter of the input gradient.
 * @returns `[batch, d/2, h/2, w/2, out]`.
 */
export function conv3dK4S2(x: tf.Tensor5D, filter: tf.Tensor5D, path: Conv3dPath = 'patches', inputIsData = false): tf.Tensor5D {
  const [batch, d, h, w, channels] = x.shape;
  if (d % 2 || h % 2 || w % 2) throw new RangeError(`conv3dK4S2: spatial sizes must be even, got ${d}x${h}x${w}`);
  const [fd, fh, fw, fin, units] = filter.shape;
  if (fd !== KERNEL || fh !== KERNEL || fw !== KERNEL || fin !== channels) {
    throw new RangeError(`conv3dK4S2: filter must be [4, 4, 4, ${channels}, out], got [${filter.shape.join(', ')}]`);
  }
  if (path === 'native') return tf.conv3d(x, filter, 2, 'same');
  return tf.tidy(() => {
    const kernel = tf.reshape(filter, [TAPS * channels, units]) as tf.Tensor2D;
    const y = inputIsData ? convPatchesOfData(x, kernel) : convPatches(x, kernel);
    return tf.reshape(y, [batch, d / 2, h / 2, w / 2, units]) as tf.Tensor5D;
  });
}
