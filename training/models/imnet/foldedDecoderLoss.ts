/**
 * The decoder's training loss as one differentiable op with a hand-written backward pass, the hot
 * path of every IM-NET step (auto-decoder, IM-AE, encoding new shapes).
 *
 * Same math as `TrainingDecoder.forward` + the loss under tfjs autodiff, arranged for tfjs-wasm:
 * - The latent rows are folded per shape, as the runtime does: `z @ W_latent + bias` is computed once
 *   per shape (`[shapes, units]`), and each point's layer input is `[xyz, one-hot(shape)]` against
 *   `[W_xyz; folded]`, a matMul with 3 + shapes rows instead of 3 + latentSize (layer 0, and layers
 *   1-4 with skip connections). The per-point `[n, latentSize]` latent copy and its concats are gone,
 *   and the layer's gradient `[xyz, one-hot]^T @ dpre` needs no transpose (the transposed input is
 *   written by JS).
 * - LeakyReLU is `pre * step(pre, slope)`; the step is kept as the backward mask. tfjs-wasm's
 *   LeakyRelu, Greater and Select kernels are scalar loops (~15 ms each on [4096, 256], measured)
 *   where Step and Multiply take ~0.3 ms.
 * - Bias gradients are `ones[1, n] @ dpre` (wasm's Sum over axis 0 transposes first: ~25 ms there).
 * - The loss and its gradient come from `pointLoss` in JS on the last layer's `n` pre-activations.
 * - Weight gradients transpose the layer input once and use plain matMuls (transposed matMuls are
 *   ~10x slower on wasm, see nn/dense.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { DenseLayerShape } from '#core';
import type { TrainableLayer, TrainingDecoder } from './TrainingDecoder.js';
import { pointLoss, type PointLossName } from './pointLoss.js';

/** The points of one step: `shapes` consecutive groups of `pointsPerShape` points (shape-major). */
export interface PointBatch {
  /** xyz, `3 * n` floats (longer arrays are read up to `n`). */
  points: Float32Array;
  /** 0/1 targets, `n` values. */
  targets: Float32Array;
  pointsPerShape: number;
}

/** Options of {@link foldedDecoderLoss}. */
export interface FoldedDecoderLossOptions {
  /** The loss (pointLoss.ts). Default `mse`. */
  loss?: PointLossName;
  /**
   * Whether gradients flow to the decoder's variables (training) or only to the latents (encoding
   * with the decoder frozen, which skips every weight-gradient matMul). Default true.
   */
  trainDecoder?: boolean;
}

/** `[xyz, one-hot(shape)]` per point, `[n, 3 + shapes]`, and its transpose, written directly. */
function pointInputs(points: Float32Array, shapes: number, pointsPerShape: number): { input: Float32Array; inputT: Float32Array } {
  const n = shapes * pointsPerShape;
  const width = 3 + shapes;
  const input = new Float32Array(n * width);
  const inputT = new Float32Array(width * n);
  for (let s = 0, i = 0; s < shapes; s++) {
    for (let k = 0; k < pointsPerShape; k++, i++) {
      for (let c = 0; c < 3; c++) {
        input[i * width + c] = points[3 * i + c];
        inputT[c * n + i] = points[3 * i + c];
      }
      input[i * width + 3 + s] = 1;
      inputT[(3 + s) * n + i] = 1;
    }
  }
  return { input, inputT };
}

/** A layer's kernel split by what its rows multiply (views are slices: copies of the small parts only). */
function kernelParts(layer: TrainableLayer): { previous: tf.Tensor2D | null; xyz: tf.Tensor2D | null; latent: tf.Tensor2D | null } {
  const { previousRows: p, pointRows: x, latentRows: l, units } = layer.shape;
  const kernel = layer.kernel as tf.Tensor2D;
  if (x === 0 && l === 0) return { previous: kernel, xyz: null, latent: null };
  return {
    previous: p > 0 ? tf.slice(kernel, [0, 0], [p, units]) : null,
    xyz: tf.slice(kernel, [p, 0], [x, units]),
    latent: tf.slice(kernel, [p + x, 0], [l, units]),
  };
}

const isFoldedLayer = (shape: DenseLayerShape): boolean => shape.latentRows > 0;

/**
 * The mean loss of `decoder` on `batch` with each shape's latent a row of `latents` `[shapes, latentSize]`,
 * as a scalar whose gradient reaches `latents` (and, unless `trainDecoder` is false, the decoder's
 * variables) through tfjs autodiff (`tf.variableGrads`, `tf.grads`). Use it inside the gradient
 * function like any op.
 */
export function foldedDecoderLoss(decoder: TrainingDecoder, latents: tf.Tensor2D, batch: PointBatch, options: FoldedDecoderLossOptions = {}): tf.Scalar {
  const lossName = options.loss ?? 'mse';
  const trainDecoder = options.trainDecoder ?? true;
  const layers = decoder.layers;
  const { architecture } = decoder;
  const shapes = latents.shape[0];
  const { pointsPerShape } = batch;
  const n = shapes * pointsPerShape;
  if (batch.points.length < 3 * n || batch.targets.length < n) {
    throw new RangeError(`foldedDecoderLoss: ${shapes} latents x ${pointsPerShape} points need ${3 * n} coordinates and ${n} targets; got ${batch.points.length} and ${batch.targets.length}`);
  }
  if (latents.shape[1] !== architecture.latentSize) throw new RangeError(`foldedDecoderLoss: latents have ${latents.shape[1]} values each; the decoder expects ${architecture.latentSize}`);
  const { input, inputT } = pointInputs(batch.points, shapes, pointsPerShape);
  const slope = architecture.leakySlope;
  const variables = layers.flatMap((l) => [l.kernel as tf.Tensor, l.bias as tf.Tensor]);

  // tfjs runs this forward inside a tidy: only the value and what save() keeps outlive it.
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const z = args[0] as tf.Tensor2D;
    const pointInput = tf.tensor2d(input, [n, 3 + shapes]);
    // Each hidden layer's output (the next layer's input) and its LeakyReLU mask, for the backward pass.
    const hidden: tf.Tensor2D[] = [];
    const masks: tf.Tensor2D[] = [];
    let h: tf.Tensor2D | null = null;
    let pre: tf.Tensor2D | null = null;
    for (const layer of layers) {
      if (pre) {
        const mask = tf.step(pre, slope) as tf.Tensor2D;
        h = tf.mul(pre, mask) as tf.Tensor2D;
        hidden.push(h);
        masks.push(mask);
      }
      if (!isFoldedLayer(layer.shape)) {
        pre = tf.add(tf.matMul(h!, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
        continue;
      }
      const parts = kernelParts(layer);
      // The latent rows and the bias, once per shape: [shapes, units].
      const folded = tf.add(tf.matMul(z, parts.latent!), layer.bias) as tf.Tensor2D;
      const fromPoints = tf.matMul(pointInput, tf.concat([parts.xyz!, folded], 0) as tf.Tensor2D);
      pre = (parts.previous ? tf.add(fromPoints, tf.matMul(h!, parts.previous)) : fromPoints) as tf.Tensor2D;
    }
    const { loss, gradient } = pointLoss(lossName, architecture.outputActivation, pre!.dataSync(), batch.targets);
    save([z, tf.tensor2d(gradient, [n, 1]), ...hidden, ...masks]);
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => backward(dy, saved)),
    };
  }) as Parameters<typeof tf.customGrad>[0]);

  const backward = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const hiddenCount = layers.length - 1;
    const z = saved[0] as tf.Tensor2D;
    const hidden = saved.slice(2, 2 + hiddenCount) as tf.Tensor2D[];
    const masks = saved.slice(2 + hiddenCount) as tf.Tensor2D[];
    const scale = dy.dataSync()[0];
    let dPre = (scale === 1 ? saved[1] : tf.mul(saved[1], scale)) as tf.Tensor2D;
    const pointInputT = tf.tensor2d(inputT, [3 + shapes, n]);
    let dz: tf.Tensor2D | null = null;
    const grads: tf.Tensor[] = new Array(2 * layers.length);
    for (let l = layers.length - 1; l >= 0; l--) {
      const layer = layers[l];
      const { shape } = layer;
      const parts = kernelParts(layer);
      const below = l > 0 ? hidden[l - 1] : null;
      let dKernelPrevious: tf.Tensor2D | null = null;
      if (trainDecoder && parts.previous) dKernelPrevious = tf.matMul(tf.transpose(below!), dPre) as tf.Tensor2D;
      if (isFoldedLayer(shape)) {
        // Rows: 3 of xyz, then one per shape (the folded latent rows + bias).
        const dPointKernel = tf.matMul(pointInputT, dPre);
        const dFolded = tf.slice(dPointKernel, [3, 0], [shapes, shape.units]) as tf.Tensor2D;
        const dzLayer = tf.matMul(dFolded, tf.transpose(parts.latent!)) as tf.Tensor2D;
        dz = dz ? tf.add(dz, dzLayer) as tf.Tensor2D : dzLayer;
        if (trainDecoder) {
          const dXyz = tf.slice(dPointKernel, [0, 0], [3, shape.units]);
          const dLatent = tf.matMul(tf.transpose(z), dFolded);
          grads[2 * l] = tf.concat([...(dKernelPrevious ? [dKernelPrevious] : []), dXyz, dLatent], 0);
          grads[2 * l + 1] = tf.reshape(tf.matMul(tf.ones([1, shapes]), dFolded), [shape.units]);
        }
      } else if (trainDecoder) {
        grads[2 * l] = dKernelPrevious!;
        grads[2 * l + 1] = tf.reshape(tf.matMul(tf.ones([1, n]), dPre), [shape.units]);
      }
      if (below) dPre = tf.mul(tf.matMul(dPre, tf.transpose(parts.previous!)), masks[l - 1]) as tf.Tensor2D;
    }
    if (!trainDecoder) return [dz!];
    return [dz!, ...grads];
  };

  return (trainDecoder ? op(latents, ...variables) : op(latents)) as tf.Scalar;
}

/**
 * The decoder's last pre-activation (before the output activation) for `shapes` consecutive groups
 * of `pointsPerShape` points, each group with its row of `latents`: the forward pass of
 * {@link foldedDecoderLoss} without the loss, for evaluating many points quickly.
 */
export function foldedDecoderValues(decoder: TrainingDecoder, latents: tf.Tensor2D, points: Float32Array, pointsPerShape: number): Float32Array {
  const shapes = latents.shape[0];
  const n = shapes * pointsPerShape;
  if (points.length < 3 * n) throw new RangeError(`foldedDecoderValues: ${shapes} latents x ${pointsPerShape} points need ${3 * n} coordinates; got ${points.length}`);
  const { input } = pointInputs(points, shapes, pointsPerShape);
  const slope = decoder.architecture.leakySlope;
  return tf.tidy(() => {
    const pointInput = tf.tensor2d(input, [n, 3 + shapes]);
    let h: tf.Tensor2D | null = null;
    let pre: tf.Tensor2D | null = null;
    for (const layer of decoder.layers) {
      if (pre) h = tf.mul(pre, tf.step(pre, slope)) as tf.Tensor2D;
      if (!isFoldedLayer(layer.shape)) {
        pre = tf.add(tf.matMul(h!, layer.kernel as tf.Tensor2D), layer.bias) as tf.Tensor2D;
        continue;
      }
      const parts = kernelParts(layer);
      const folded = tf.add(tf.matMul(latents, parts.latent!), layer.bias) as tf.Tensor2D;
      const fromPoints = tf.matMul(pointInput, tf.concat([parts.xyz!, folded], 0) as tf.Tensor2D);
      pre = (parts.previous ? tf.add(fromPoints, tf.matMul(h!, parts.previous)) : fromPoints) as tf.Tensor2D;
    }
    return pre!.dataSync() as Float32Array;
  });
}
