/**
 * The decoder in float64 JavaScript, layer by layer with no folding: the ground truth that every
 * evaluator (webgl, wasm, cpu, ...) is tested against.
 */
import { decoderLayerShapes, pointSizeOf } from './architecture.js';
import { applyOutputActivation } from './activations.js';
import type { DecoderWeights } from './weights.js';

/** Occupancy of each point in `points` (xyz triples, or xy pairs for a 2D decoder) for `latent`, in float64. */
export function referenceDecode(weights: DecoderWeights, latent: ArrayLike<number>, points: ArrayLike<number>): Float64Array {
  const { architecture } = weights;
  const shapes = decoderLayerShapes(architecture);
  const pointSize = pointSizeOf(architecture);
  const count = Math.floor(points.length / pointSize);
  const out = new Float64Array(count);
  const widest = Math.max(...architecture.hiddenSizes, 1);
  let current = new Float64Array(widest);
  let next = new Float64Array(widest);
  for (let p = 0; p < count; p++) {
    for (let l = 0; l < shapes.length; l++) {
      const shape = shapes[l];
      const { kernel, bias } = weights.layers[l];
      const isOutput = l === shapes.length - 1;
      for (let j = 0; j < shape.units; j++) {
        let sum = bias[j];
        let row = 0;
        for (let i = 0; i < shape.previousRows; i++, row++) sum += current[i] * kernel[row * shape.units + j];
        for (let i = 0; i < shape.pointRows; i++, row++) sum += points[p * pointSize + i] * kernel[row * shape.units + j];
        for (let i = 0; i < shape.latentRows; i++, row++) sum += latent[i] * kernel[row * shape.units + j];
        next[j] = isOutput ? applyOutputActivation(architecture.outputActivation, sum) : sum > 0 ? sum : sum * architecture.leakySlope;
      }
      const swap = current;
      current = next;
      next = swap;
    }
    out[p] = current[0];
  }
  return out;
}
