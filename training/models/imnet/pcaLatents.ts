/**
 * Principal components of a category's voxel grids, as the auto-decoder's starting codes.
 *
 * Why: an auto-decoder starts every code at the same point, so for its first epochs the decoder
 * cannot tell shapes apart, and each code moves only when its shape is in a batch. On a CPU budget
 * of a few dozen epochs that was the bottleneck (a 300-chair run at 40 code updates stayed at MSE
 * 0.18). PCA codes already separate the shapes (a linear encoder fitted in seconds), so the decoder
 * learns from step one, and a new shape's projection is a good start for its optimised code.
 */
import * as tf from '@tensorflow/tfjs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Voxels per axis of the grids the components span: 64^3 averaged 2x2x2 (occupancy fractions). */
export const PCA_GRID = 32;
/** The largest |code - 0.5| of a training shape: codes keep a margin inside [0, 1]. */
const CODE_HALF_RANGE = 0.45;

/** A fitted linear encoder: code = 0.5 + scale * components (grid - mean). */
export interface PcaEncoder {
  latentSize: number;
  /** Components found (at most the training shape count minus one); the remaining code entries stay 0.5. */
  componentCount: number;
  /** Variance share of each component, largest first. */
  explainedVariance: number[];
  /** Codes of `voxels64` (64^3 grids, 0/1), each `latentSize` long, clipped to [0, 1]. */
  encode(voxels64: readonly Uint8Array[]): Float32Array[];
  dispose(): void;
}

/** The 32^3 occupancy fractions of a 64^3 grid (x fastest). */
export function averagePool64(voxels64: Uint8Array): Float32Array {
  const n = 64;
  if (voxels64.length !== n * n * n) throw new RangeError(`averagePool64: expected ${n ** 3} voxels, got ${voxels64.length}`);
  const m = PCA_GRID;
  const out = new Float32Array(m * m * m);
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      const row = (z * n + y) * n;
      const target = ((z >> 1) * m + (y >> 1)) * m;
      for (let x = 0; x < n; x++) out[target + (x >> 1)] += voxels64[row + x];
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= 8;
  return out;
}

/** Stacks grids into an `[count, 32^3]` tensor. */
function gridMatrix(voxels64: readonly Uint8Array[]): tf.Tensor2D {
  const d = PCA_GRID ** 3;
  const flat = new Float32Array(voxels64.length * d);
  voxels64.forEach((v, i) => flat.set(averagePool64(v), i * d));
  return tf.tensor2d(flat, [voxels64.length, d]);
}

/**
 * Fits the components on the training shapes' grids (Gram matrix on the tfjs backend, its
 * eigenvectors with ml-matrix) and scales all codes by one factor, so the leading components keep
 * their larger spread.
 */
export async function fitPcaEncoder(voxels64: readonly Uint8Array[], latentSize: number): Promise<PcaEncoder> {
  const count = voxels64.length;
  if (count < 2) throw new RangeError(`fitPcaEncoder: needs at least 2 training shapes, got ${count}`);
  const grids = gridMatrix(voxels64);
  const mean = tf.tidy(() => tf.mean(grids, 0, true));
  const centred = tf.tidy(() => tf.sub(grids, mean) as tf.Tensor2D);
  grids.dispose();
  // count x count instead of d x d: the shapes are far fewer than the voxels.
  const gramTensor = tf.tidy(() => tf.matMul(centred, centred, false, true));
  const gram = (await gramTensor.array()) as number[][];
  gramTensor.dispose();
  const evd = new EigenvalueDecomposition(new Matrix(gram), { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((value, index) => ({ value, index })).sort((a, b) => b.value - a.value);
  const total = order.reduce((sum, e) => sum + Math.max(e.value, 0), 0);
  const kept = order.filter((e) => e.value > total * 1e-9).slice(0, latentSize);
  const k = kept.length;
  if (k === 0) {
    centred.dispose();
    mean.dispose();
    throw new RangeError('fitPcaEncoder: all training grids are identical; PCA codes cannot tell them apart');
  }
  // Unit components v_j = X^T u_j / sqrt(lambda_j); a training shape's coefficient is sqrt(lambda_j) u_ij.
  const vectors = evd.eigenvectorMatrix;
  const basis = new Float32Array(count * k);
  kept.forEach((e, j) => {
    for (let i = 0; i < count; i++) basis[i * k + j] = vectors.get(i, e.index) / Math.sqrt(e.value);
  });
  const components = tf.tidy(() => tf.matMul(centred, tf.tensor2d(basis, [count, k]), true, false)); // [d, k]
  centred.dispose();
  let largest = 0;
  for (const e of kept) {
    for (let i = 0; i < count; i++) largest = Math.max(largest, Math.abs(vectors.get(i, e.index) * Math.sqrt(e.value)));
  }
  const scale = CODE_HALF_RANGE / largest;
  return {
    latentSize,
    componentCount: k,
    explainedVariance: kept.map((e) => e.value / total),
    encode(grids64) {
      if (grids64.length === 0) return [];
      const values = tf.tidy(() => {
        const x = gridMatrix(grids64);
        const coefficients = tf.matMul(tf.sub(x, mean), components);
        return tf.clipByValue(tf.add(0.5, tf.mul(scale, coefficients)), 0, 1);
      });
      const flat = values.dataSync() as Float32Array;
      values.dispose();
      return grids64.map((_, i) => {
        const code = new Float32Array(latentSize).fill(0.5);
        code.set(flat.subarray(i * k, (i + 1) * k));
        return code;
      });
    },
    dispose() {
      mean.dispose();
      components.dispose();
    },
  };
}
