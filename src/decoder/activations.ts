/** Scalar forms of the decoder's activations; the tfjs forms live in the evaluators. */
import type { OutputActivation } from './architecture.js';

/** IM-NET-pytorch's "leaky clip": identity on [0, 1], slope 0.01 outside, so gradients never die. */
export function leakyClip(h: number): number {
  return Math.max(Math.min(h, 0.01 * h + 0.99), 0.01 * h);
}

/** The decoder's output activation applied to the last layer's value `h`. */
export function applyOutputActivation(activation: OutputActivation, h: number): number {
  switch (activation) {
    case 'leakyClip': return leakyClip(h);
    case 'clip': return Math.min(Math.max(h, 0), 1);
    case 'sigmoid': return 1 / (1 + Math.exp(-h));
  }
}
