/**
 * The decoder as tfjs ops, with the latent folded away: every hidden layer's latent rows multiply the
 * same vector for all points of a shape, so `bias + latent · W_latent` is computed once per shape (in
 * float64, on the CPU) and the per-point work is `h · W_previous + xyz · W_xyz + foldedBias`.
 * For `web32` this removes 128 of 387 rows from layer 1, ~9% of the FLOPs per point.
 */
import * as tf from '@tensorflow/tfjs';
import { decoderLayerShapes, type DenseLayerShape, type ImNetArchitecture } from '../decoder/architecture.js';
import type { DecoderWeights } from '../decoder/weights.js';

interface LayerTensors {
  shape: DenseLayerShape;
  /** `[previousRows, units]`, or null for the first layer. */
  previous: tf.Tensor2D | null;
  /** `[pointSize, units]`, or null when this layer does not see the point's coordinates. */
  point: tf.Tensor2D | null;
}

/** Per-shape state: the folded biases of every layer, one tensor each. */
export class FoldedLatent {
  /**
   * @internal
   * @param biases one `[units]` tensor per layer: its bias plus the latent's contribution.
   */
  constructor(readonly biases: tf.Tensor1D[]) {}
  /** Frees the bias tensors. */
  dispose(): void {
    for (const b of this.biases) b.dispose();
    this.biases.length = 0;
  }
}

/** The decoder's weights uploaded as tensors; `decode` runs one batch of points for one folded latent. */
export class TfDecoder {
  /** The architecture of the uploaded weights. */
  readonly architecture: ImNetArchitecture;
  private readonly layers: LayerTensors[];
  private readonly weights: DecoderWeights;
  private disposed = false;

  constructor(weights: DecoderWeights) {
    this.weights = weights;
    this.architecture = weights.architecture;
    this.layers = decoderLayerShapes(weights.architecture).map((shape, i) => {
      const { kernel } = weights.layers[i];
      const rowsOf = (from: number, rows: number) =>
        rows === 0 ? null : tf.tensor2d(kernel.subarray(from * shape.units, (from + rows) * shape.units), [rows, shape.units]);
      return {
        shape,
        previous: rowsOf(0, shape.previousRows),
        point: rowsOf(shape.previousRows, shape.pointRows),
      };
    });
  }

  /** Folds a latent into per-layer biases (float64 accumulation, then float32 tensors). */
  fold(latent: Float32Array): FoldedLatent {
    this.assertAlive();
    const biases = decoderLayerShapes(this.architecture).map((shape, l) => {
      const { kernel, bias } = this.weights.layers[l];
      const folded = new Float64Array(bias);
      const firstLatentRow = shape.previousRows + shape.pointRows;
      for (let i = 0; i < shape.latentRows; i++) {
        const value = latent[i];
        if (value === 0) continue;
        const rowStart = (firstLatentRow + i) * shape.units;
        for (let j = 0; j < shape.units; j++) folded[j] += value * kernel[rowStart + j];
      }
      return tf.tensor1d(Float32Array.from(folded));
    });
    return new FoldedLatent(biases);
  }

  /** Occupancy for `points` (`[n, pointSize]`: xyz, or xy for a 2D decoder) as a `[n]` tensor; call inside `tf.tidy` or dispose the result. */
  decode(points: tf.Tensor2D, folded: FoldedLatent): tf.Tensor1D {
    this.assertAlive();
    return this.forward(points, (l, input, rows) => this.layer(l, input, rows, folded.biases[l]));
  }

  /**
   * One dense layer: `input · W_previous + points · W_xyz + bias`, LeakyReLU unless it is the output.
   * Fused where it can be (one kernel, one output tensor: tfjs's fused matMul takes a rank-1 bias and
   * the activation); a layer that sees both the previous layer and xyz (skip connections) adds the
   * xyz product separately.
   */
  private layer(l: number, input: tf.Tensor2D | null, points: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
    const { previous, point } = this.layers[l];
    const activation = l === this.layers.length - 1 ? 'linear' : 'leakyrelu';
    const leakyreluAlpha = this.architecture.leakySlope;
    if (previous && input && point) {
      const z = tf.add(tf.fused.matMul({ a: input, b: previous, bias }), tf.matMul(points, point)) as tf.Tensor2D;
      return activation === 'linear' ? z : tf.leakyRelu(z, leakyreluAlpha);
    }
    const [a, b] = previous && input ? [input, previous] : [points, point!];
    return tf.fused.matMul({ a, b, bias, activation, leakyreluAlpha }) as tf.Tensor2D;
  }

  /**
   * Runs the layers, each in its own `tidy`: a tidy frees its intermediates only when it ends, so one
   * around the whole network kept every layer's activations alive until the output. With that and
   * unfused ops, a 65536-point web32 call peaked near 300 MB of WebGL textures and set off tfjs-webgl's
   * "High memory usage in GPU ... most likely due to a memory leak" warning (its threshold is 600
   * bytes per screen pixel, ~275 MB on an 800x600 screen); now at most two activations are alive.
   */
  private forward(points: tf.Tensor2D, layer: (l: number, input: tf.Tensor2D | null, points: tf.Tensor2D) => tf.Tensor2D): tf.Tensor1D {
    let h: tf.Tensor2D | null = null;
    for (let l = 0; l < this.layers.length; l++) {
      const input: tf.Tensor2D | null = h;
      h = tf.tidy(() => layer(l, input, points));
      input?.dispose();
    }
    const last = h!;
    const result = tf.tidy(() => {
      const out = tf.reshape(last, [-1]) as tf.Tensor1D;
      switch (this.architecture.outputActivation) {
        case 'leakyClip': return tf.maximum(tf.minimum(out, tf.add(tf.mul(out, 0.01), 0.99)), tf.mul(out, 0.01));
        case 'clip': return tf.clipByValue(out, 0, 1);
        case 'sigmoid': return tf.sigmoid(out);
      }
    });
    last.dispose();
    return result as tf.Tensor1D;
  }

  /**
   * Occupancy for the points of several shapes in one call. The batch is a run of spans, each a
   * contiguous block of one shape's points. Layers with latent rows (for the standard architecture
   * only the first) run per span with that span's folded bias and are concatenated; the rest of the
   * network runs on the whole batch. Spans rather than a per-point gather: tfjs-wasm's gather made the
   * shared call ~1.7x slower per point than single-shape calls (measured by the `scene` bench).
   */
  decodeMany(points: tf.Tensor2D, spans: { start: number; count: number; folded: FoldedLatent }[]): tf.Tensor1D {
    if (spans.length === 1 && spans[0].start === 0 && spans[0].count === points.shape[0]) return this.decode(points, spans[0].folded);
    this.assertAlive();
    const covered = spans.reduce((n, span) => n + span.count, 0);
    return this.forward(points, (l, input, all) => {
      if (this.layers[l].shape.latentRows === 0) return this.layer(l, input, all, spans[0].folded.biases[l]);
      const rows = (t: tf.Tensor2D | null, start: number, count: number) => (t ? tf.slice(t, [start, 0], [count, -1]) : null);
      const parts = spans.map((span) => this.layer(l, rows(input, span.start, span.count), rows(all, span.start, span.count)!, span.folded.biases[l]));
      // Padding rows (beyond the spans) take the first span's bias; their outputs are discarded.
      if (covered < all.shape[0]) {
        const rest = all.shape[0] - covered;
        parts.push(this.layer(l, rows(input, covered, rest), rows(all, covered, rest)!, spans[0].folded.biases[l]));
      }
      return tf.concat(parts, 0);
    });
  }

  /** Frees every tensor this decoder uploaded. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const layer of this.layers) {
      layer.previous?.dispose();
      layer.point?.dispose();
    }
  }

  /** True once {@link TfDecoder.dispose} ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('TfDecoder: used after dispose()');
  }
}
