/**
 * A matMul whose gradient transposes explicitly. In tfjs 4.22's wasm backend, matMul with
 * transposeA/transposeB (what autodiff of a plain matMul uses) runs ~10x slower than a plain matMul
 * of pre-transposed operands; this keeps training steps on the fast path with identical math
 * (measured here: ~4.7x faster auto-decoder steps).
 */
import * as tf from '@tensorflow/tfjs';

const fastGradMatMul = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sw] = saved as tf.Tensor2D[];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)];
    },
  };
}) as Parameters<typeof tf.customGrad>[0]);

/** `x @ w` for `[n, k] x [k, m]`, with a wasm-friendly gradient. */
export function matMulFastGrad(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return fastGradMatMul(x, w) as tf.Tensor2D;
}
