/**
 * The per-point loss of a training batch, computed on the CPU from the decoder's last pre-activation
 * (one value per point, a few thousand floats): the loss and its gradient with respect to those
 * pre-activations, in float64. Doing this in JS replaces a dozen tiny tensor kernels per step, and it
 * is where losses differ, so each lives here:
 *
 * - `mse`: IM-NET's loss, the mean squared error of the output activation (leaky clip by default)
 *   against the 0/1 targets. Leaky clip's slope is 0.01 outside [0, 1], so points predicted far on
 *   the wrong side get 1% of the gradient they would inside.
 * - `bce`: binary cross-entropy on the pre-activation read as a logit (`sigmoid(h)` is the occupancy
 *   during training); its gradient `sigmoid(h) - target` does not saturate on the wrong side.
 */
import type { ImNetArchitecture } from '#core';

/** Which loss a run trains with. */
export type PointLossName = 'mse' | 'bce';
export const POINT_LOSSES: readonly PointLossName[] = ['mse', 'bce'];

/** Mean loss over the points and its gradient with respect to each pre-activation. */
export interface PointLossResult {
  loss: number;
  /** d(loss)/d(pre-activation), one per point, already divided by the point count. */
  gradient: Float32Array;
}

/** Leaky clip's slope: IM-NET-pytorch's `max(min(h, 0.01h + 0.99), 0.01h)`. */
const LEAKY_CLIP_SLOPE = 0.01;

/** The output activation in float64, as `outputActivation` in TrainingDecoder.ts computes it in float32. */
export function activate(h: number, activation: ImNetArchitecture['outputActivation']): number {
  switch (activation) {
    case 'leakyClip': return Math.max(Math.min(h, LEAKY_CLIP_SLOPE * h + 0.99), LEAKY_CLIP_SLOPE * h);
    case 'clip': return Math.min(Math.max(h, 0), 1);
    case 'sigmoid': return 1 / (1 + Math.exp(-h));
  }
}

/** The output activation's derivative (tfjs's autodiff conventions at the kinks: slope 1 on the closed [0, 1]). */
function activationSlope(h: number, activation: ImNetArchitecture['outputActivation']): number {
  switch (activation) {
    case 'leakyClip': return h >= 0 && h <= 1 ? 1 : LEAKY_CLIP_SLOPE;
    case 'clip': return h >= 0 && h <= 1 ? 1 : 0;
    case 'sigmoid': { const s = 1 / (1 + Math.exp(-h)); return s * (1 - s); }
  }
}

/**
 * The loss of pre-activations `pre` against `targets` (both `n` long). `gradient` receives
 * d(loss)/d(pre) (allocated when omitted).
 */
export function pointLoss(
  name: PointLossName, activation: ImNetArchitecture['outputActivation'],
  pre: ArrayLike<number>, targets: ArrayLike<number>, gradient = new Float32Array(pre.length),
): PointLossResult {
  const n = pre.length;
  if (targets.length < n) throw new RangeError(`pointLoss: ${n} predictions but ${targets.length} targets`);
  let sum = 0;
  if (name === 'mse') {
    for (let i = 0; i < n; i++) {
      const h = pre[i];
      const error = activate(h, activation) - targets[i];
      sum += error * error;
      gradient[i] = (2 * error * activationSlope(h, activation)) / n;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const h = pre[i];
      const t = targets[i];
      // log(1 + e^-|h|) + max(h, 0) - h t: the stable form of -t log s(h) - (1 - t) log(1 - s(h)).
      sum += Math.log1p(Math.exp(-Math.abs(h))) + Math.max(h, 0) - h * t;
      gradient[i] = (1 / (1 + Math.exp(-h)) - t) / n;
    }
  }
  return { loss: sum / n, gradient };
}
