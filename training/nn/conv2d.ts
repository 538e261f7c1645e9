/**
 * 2D convolution and its transpose (the "deconvolution" of DCGAN-style decoders) as patch extraction
 * + one matMul, with gradients, for any square kernel, stride and TensorFlow 'same' padding.
 *
 * Why not `tf.conv2d`: tfjs 4.22's wasm backend has no Conv2DBackpropFilter kernel (a filter gradient
 * throws "not registered for backend 'wasm'"), and WGAN-GP's penalty needs the critic's input
 * gradient written as differentiable ops, which `conv2dTranspose` below is. Patches are gathered and
 * scattered in plain JS (as `conv3d.ts` does for the voxel encoder); the matMuls put the large patch
 * matrix first, untransposed where possible (wasm's fast path).
 *
 * Layouts are tfjs's: images `[batch, height, width, channels]`, filters `[k, k, in, out]`, so on a
 * backend with every kernel `tf.conv2d(x, filter, stride, 'same')` computes the same function.
 */
import * as tf from '@tensorflow/tfjs';

/** Sizes of one convolution: input, output and the padding 'same' gives. */
export interface Conv2dGeometry {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  kernel: number;
  stride: number;
  /** Zero rows above and columns left of the input (TensorFlow puts the odd one of 'same' below/right). */
  padTop: number;
  padLeft: number;
}

/** TensorFlow 'same' geometry: output `ceil(in / stride)`, total padding `max((out - 1) stride + k - in, 0)`, the smaller half first. */
export function sameGeometry(inHeight: number, inWidth: number, inChannels: number, kernel: number, stride: number): Conv2dGeometry {
  const outHeight = Math.ceil(inHeight / stride), outWidth = Math.ceil(inWidth / stride);
  const padH = Math.max((outHeight - 1) * stride + kernel - inHeight, 0);
  const padW = Math.max((outWidth - 1) * stride + kernel - inWidth, 0);
  return { inHeight, inWidth, inChannels, outHeight, outWidth, kernel, stride, padTop: Math.floor(padH / 2), padLeft: Math.floor(padW / 2) };
}

/**
 * Patch rows `[batch * outHeight * outWidth, k * k * inChannels]`, columns in filter order
 * `[kh, kw, channel]`, zeros where a tap falls in the padding.
 */
export function im2col(x: Float32Array, batch: number, g: Conv2dGeometry): Float32Array {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, kernel: k, stride: s, padTop, padLeft } = g;
  const rowSize = k * k * c;
  const out = new Float32Array(batch * oh * ow * rowSize);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < oh; y++) for (let xo = 0; xo < ow; xo++, row++) {
      let col = row * rowSize;
      for (let kh = 0; kh < k; kh++) {
        const iy = y * s - padTop + kh;
        for (let kw = 0; kw < k; kw++, col += c) {
          const ix = xo * s - padLeft + kw;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
          const src = base + (iy * w + ix) * c;
          for (let ch = 0; ch < c; ch++) out[col + ch] = x[src + ch];
        }
      }
    }
  }
  return out;
}

/** The adjoint of {@link im2col}: adds every patch entry back onto the input element it came from, `[batch, h, w, c]`. */
export function col2im(patches: Float32Array, batch: number, g: Conv2dGeometry): Float32Array {
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, kernel: k, stride: s, padTop, padLeft } = g;
  const rowSize = k * k * c;
  const out = new Float32Array(batch * h * w * c);
  let row = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * h * w * c;
    for (let y = 0; y < oh; y++) for (let xo = 0; xo < ow; xo++, row++) {
      let col = row * rowSize;
      for (let kh = 0; kh < k; kh++) {
        const iy = y * s - padTop + kh;
        for (let kw = 0; kw < k; kw++, col += c) {
          const ix = xo * s - padLeft + kw;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
          const dst = base + (iy * w + ix) * c;
          for (let ch = 0; ch < c; ch++) out[dst + ch] += patches[col + ch];
        }
      }
    }
  }
  return out;
}

const patchesOf = (x: tf.Tensor, g: Conv2dGeometry): tf.Tensor2D => {
  const batch = x.shape[0];
  return tf.tensor2d(im2col(x.dataSync() as Float32Array, batch, g), [batch * g.outHeight * g.outWidth, g.kernel * g.kernel * g.inChannels]);
};

const imageOf = (patches: tf.Tensor, batch: number, g: Conv2dGeometry): tf.Tensor4D =>
  tf.tensor4d(col2im(patches.dataSync() as Float32Array, batch, g), [batch, g.inHeight, g.inWidth, g.inChannels]);

/** `y = im2col(x) W`, `x` the input image, `W` the filter as `[k k in, out]`; rows of `y` are output pixels. */
function convOp(g: Conv2dGeometry): (x: tf.Tensor4D, kernel: tf.Tensor2D) => tf.Tensor2D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, kernel, save] = args as [tf.Tensor4D, tf.Tensor2D, tf.GradSaveFunc];
    const patches = patchesOf(x, g);
    save([patches, kernel]);
    return {
      value: tf.matMul(patches, kernel),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, k] = saved as tf.Tensor2D[];
        const dPatches = tf.matMul(dy as tf.Tensor2D, tf.transpose(k));
        const dx = imageOf(dPatches, x.shape[0], g);
        dPatches.dispose();
        return [dx, tf.matMul(tf.transpose(p), dy as tf.Tensor2D)];
      },
    };
  }) as (x: tf.Tensor4D, kernel: tf.Tensor2D) => tf.Tensor2D;
}

/** `y = col2im(r Wᵀ)`, `r` the output-pixel rows `[rows, out]`: the adjoint of {@link convOp} in its input. */
function convTransposeOp(g: Conv2dGeometry, batch: number): (rows: tf.Tensor2D, kernel: tf.Tensor2D) => tf.Tensor4D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [rows, kernel, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save([rows, kernel]);
    const patches = tf.matMul(rows, tf.transpose(kernel));
    const value = imageOf(patches, batch, g);
    patches.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [r, k] = saved as tf.Tensor2D[];
        // <dy, col2im(r Wᵀ)> = <im2col(dy), r Wᵀ>: dr = im2col(dy) W, dW = im2col(dy)ᵀ r.
        const p = patchesOf(dy, g);
        return [tf.matMul(p, k), tf.matMul(tf.transpose(p), r)];
      },
    };
  }) as (rows: tf.Tensor2D, kernel: tf.Tensor2D) => tf.Tensor4D;
}

function checkFilter(what: string, filter: tf.Tensor4D, inChannels: number): void {
  const [kh, kw, fin] = filter.shape;
  if (kh !== kw || fin !== inChannels) throw new RangeError(`${what}: filter must be [k, k, ${inChannels}, out], got [${filter.shape.join(', ')}]`);
}

/**
 * `tf.conv2d(x, filter, stride, 'same')` with gradients for `x` and `filter` on every backend.
 * @param x - `[batch, h, w, in]`.
 * @param filter - `[k, k, in, out]`.
 * @returns `[batch, ceil(h / stride), ceil(w / stride), out]`.
 */
export function conv2dSame(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number): tf.Tensor4D {
  const [batch, h, w, c] = x.shape;
  checkFilter('conv2dSame', filter, c);
  const [k, , , units] = filter.shape;
  const g = sameGeometry(h, w, c, k, stride);
  return tf.tidy(() => tf.reshape(convOp(g)(x, tf.reshape(filter, [k * k * c, units]) as tf.Tensor2D), [batch, g.outHeight, g.outWidth, units]) as tf.Tensor4D);
}

/**
 * The transpose of {@link conv2dSame} with respect to its input (`tf.conv2dTranspose(x, filter,
 * [batch, outHeight, outWidth, in], stride, 'same')`): maps a `[batch, h', w', out]` image back to the
 * `[batch, outHeight, outWidth, in]` image a `stride` convolution with `filter` would have read. A
 * decoder's "deconvolution"; also the backward pass of a critic's convolution, as differentiable ops.
 * @param filter - `[k, k, in, out]` (the convolution's filter; `in` is this op's output channels).
 */
export function conv2dTransposeSame(x: tf.Tensor4D, filter: tf.Tensor4D, outHeight: number, outWidth: number, stride: number): tf.Tensor4D {
  const [batch, h, w, units] = x.shape;
  const [k, , inChannels, fout] = filter.shape;
  if (fout !== units || filter.shape[1] !== k) throw new RangeError(`conv2dTransposeSame: filter must be [k, k, in, ${units}], got [${filter.shape.join(', ')}]`);
  const g = sameGeometry(outHeight, outWidth, inChannels, k, stride);
  if (g.outHeight !== h || g.outWidth !== w) {
    throw new RangeError(`conv2dTransposeSame: a stride-${stride} convolution of ${outHeight}x${outWidth} gives ${g.outHeight}x${g.outWidth}, not the input's ${h}x${w}`);
  }
  return tf.tidy(() => convTransposeOp(g, batch)(tf.reshape(x, [batch * h * w, units]) as tf.Tensor2D, tf.reshape(filter, [k * k * inChannels, units]) as tf.Tensor2D));
}
