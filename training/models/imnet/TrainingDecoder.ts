/**
 * The IM-NET decoder as trainable tfjs variables, built from the one architecture definition in
 * `src/decoder/architecture.ts`. Kernels keep the stored layout (rows `[previous; xyz; latent]`), so
 * training reads and writes exactly what `ImNetDecoder.load` reads. `forward` is the plain form
 * (every point carries its shape's latent), the reference the training step (foldedDecoderLoss.ts,
 * latents folded per shape as the runtime does) is tested against.
 */
import * as tf from '@tensorflow/tfjs';
import { decoderLayerShapes, kernelRows, pointSizeOf, type DenseLayerShape, type ImNetArchitecture, randomDecoderWeights, validateDecoderWeights, type DecoderWeights } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import type { NamedVariable } from '../../nn/Adam.js';

/** One dense layer: its row split and its variables (kernel `[rows, units]` in the stored row order). */
export interface TrainableLayer {
  readonly shape: DenseLayerShape;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

/** IM-NET-pytorch's leaky clip `max(min(h, 0.01h + 0.99), 0.01h)`, and the other output activations. */
export function outputActivation(h: tf.Tensor, activation: ImNetArchitecture['outputActivation']): tf.Tensor {
  switch (activation) {
    case 'leakyClip': return tf.maximum(tf.minimum(h, tf.add(tf.mul(h, 0.01), 0.99)), tf.mul(h, 0.01));
    case 'clip': return tf.clipByValue(h, 0, 1);
    case 'sigmoid': return tf.sigmoid(h);
  }
}

/** How much the output layer's He-normal kernel is shrunk at initialisation. */
const OUTPUT_KERNEL_SCALE = 0.1;

/** Standard deviation of the kernel rows fed by the coordinates: twice He-normal's for a fan-in of the point size (3, or 2 in 2D). */
const pointRowsStd = (pointSize: number): number => 2 * Math.sqrt(2 / pointSize);

/**
 * Initial decoder weights: the runtime's He-normal weights (output bias 0.5), with two changes that
 * make the first hundred steps count (measured on 8 vases, auto-decoder, 96 steps of 6 x 256 points):
 *  - the output kernel shrunk 10x, so every point starts near 0.5, inside leaky clip's slope-1 range
 *    (with the full kernel many points start in the slope-0.01 tails and the loss sat at the
 *    constant-field plateau for 150 steps);
 *  - the xyz rows drawn as if xyz were the layer's only input (x2): He-normal over all `3 + latent`
 *    rows makes xyz's part of a unit's input ~10x smaller than the latent's, and the loss then stays
 *    on the plateau (IoU 0 at 32^3 after 96 steps); with these rows it fell 0.169 -> 0.034 (IoU 0.49;
 *    x1: 0.28, x4: 0.46, x8: 0.36).
 * Only the starting point changes: the architecture and the stored layout are the runtime's.
 */
export function initialDecoderWeights(architecture: ImNetArchitecture, seed: number): DecoderWeights {
  // The output starts at the iso level 0.5: a bias of 0.5 through leaky clip or clip, 0 through a sigmoid.
  const weights = randomDecoderWeights(architecture, seed, architecture.outputActivation === 'sigmoid' ? 0 : 0.5);
  const output = weights.layers[weights.layers.length - 1].kernel;
  const pointStd = pointRowsStd(pointSizeOf(architecture));
  for (let i = 0; i < output.length; i++) output[i] *= OUTPUT_KERNEL_SCALE;
  decoderLayerShapes(architecture).forEach((shape, l) => {
    if (shape.pointRows === 0) return;
    // He-normal drew these rows with std sqrt(2 / rows); rescale to the coordinates' own std.
    const scale = pointStd / Math.sqrt(2 / kernelRows(shape));
    const kernel = weights.layers[l].kernel;
    for (let r = shape.previousRows; r < shape.previousRows + shape.pointRows; r++) {
      for (let j = 0; j < shape.units; j++) kernel[r * shape.units + j] *= scale;
    }
  });
  return weights;
}

export class TrainingDecoder {
  readonly architecture: ImNetArchitecture;
  /** The dense layers, hidden first, the 1-unit output last. */
  readonly layers: readonly TrainableLayer[];

  /** Uploads `weights` as variables; their stable names are the weights-file names `decoder/dense{i}/{kernel,bias}`. */
  constructor(weights: DecoderWeights) {
    validateDecoderWeights(weights, 'TrainingDecoder');
    this.architecture = { ...weights.architecture, hiddenSizes: [...weights.architecture.hiddenSizes] };
    this.layers = decoderLayerShapes(this.architecture).map((shape, i) => ({
      shape,
      kernel: tf.tidy(() => tf.variable(tf.tensor2d(weights.layers[i].kernel, [kernelRows(shape), shape.units]))),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(weights.layers[i].bias))),
    }));
  }

  /** Trainable variables with their weights-file names, in manifest order (kernel, bias per layer). */
  get variables(): NamedVariable[] {
    return this.layers.flatMap((l, i) => [
      { name: `decoder/dense${i}/kernel`, variable: l.kernel },
      { name: `decoder/dense${i}/bias`, variable: l.bias },
    ]);
  }

  /**
   * Occupancy for points `[n, pointSize]` (xyz, or xy for a 2D decoder) with their shapes' latents
   * `[n, latentSize]`, as `[n]`. Layer inputs are `concat([previous, point, latent])` in the stored row order.
   */
  forward(points: tf.Tensor2D, latents: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => {
      const pointAndLatent = tf.concat([points, latents], 1) as tf.Tensor2D;
      let h: tf.Tensor2D | null = null;
      this.layers.forEach((layer, l) => {
        const { previousRows, pointRows } = layer.shape;
        let input: tf.Tensor2D;
        if (previousRows === 0) input = pointAndLatent;
        else if (pointRows > 0) input = tf.concat([h!, pointAndLatent], 1) as tf.Tensor2D;
        else input = h!;
        const pre = tf.add(matMulFastGrad(input, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
        h = l === this.layers.length - 1 ? pre : (tf.leakyRelu(pre, this.architecture.leakySlope) as tf.Tensor2D);
      });
      return tf.reshape(outputActivation(h!, this.architecture.outputActivation), [-1]) as tf.Tensor1D;
    });
  }

  /** The current weights as typed arrays (what `encodeModel` writes). */
  async read(): Promise<DecoderWeights> {
    const layers = await Promise.all(this.layers.map(async (l) => ({
      kernel: (await l.kernel.data()) as Float32Array,
      bias: (await l.bias.data()) as Float32Array,
    })));
    return { architecture: { ...this.architecture, hiddenSizes: [...this.architecture.hiddenSizes] }, layers };
  }

  dispose(): void {
    for (const { variable } of this.variables) variable.dispose();
  }
}
