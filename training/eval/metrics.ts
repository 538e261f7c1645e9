/**
 * Reconstruction metrics of IM-NET's evaluation: voxel MSE and IoU, and Chamfer distance between
 * point sets sampled on two surfaces (squared nearest-neighbour distance, mean in each direction,
 * both directions summed; IM-NET reports it x1000). Plain functions over typed arrays.
 */
import { createRandom, type TriangleMesh } from '#core';
import { meanSquaredNearestDistance } from './nearestPoints.js';

/** Mean squared difference between predicted values and 0/1 targets. */
export function voxelMse(predicted: Float32Array, target: Uint8Array): number {
  if (predicted.length !== target.length) throw new RangeError(`voxelMse: ${predicted.length} predictions for ${target.length} targets`);
  let sum = 0;
  for (let i = 0; i < target.length; i++) {
    const d = predicted[i] - target[i];
    sum += d * d;
  }
  return sum / target.length;
}

/** Intersection over union of `predicted >= isoLevel` and `target`; 1 when both are empty. */
export function voxelIou(predicted: Float32Array, target: Uint8Array, isoLevel = 0.5): number {
  if (predicted.length !== target.length) throw new RangeError(`voxelIou: ${predicted.length} predictions for ${target.length} targets`);
  let intersection = 0, union = 0;
  for (let i = 0; i < target.length; i++) {
    const p = predicted[i] >= isoLevel, t = target[i] !== 0;
    if (p && t) intersection++;
    if (p || t) union++;
  }
  return union === 0 ? 1 : intersection / union;
}

/**
 * `count` points on a triangle mesh, uniformly by area (seeded, so the same on every run). A mesh
 * without area gives no points.
 */
export function sampleSurface(mesh: TriangleMesh, count: number, seed = 1): Float32Array {
  const { positions, indices } = mesh;
  const triangles = indices.length / 3;
  const cumulative = new Float64Array(triangles);
  let total = 0;
  for (let t = 0; t < triangles; t++) {
    const a = 3 * indices[3 * t], b = 3 * indices[3 * t + 1], c = 3 * indices[3 * t + 2];
    const ux = positions[b] - positions[a], uy = positions[b + 1] - positions[a + 1], uz = positions[b + 2] - positions[a + 2];
    const vx = positions[c] - positions[a], vy = positions[c + 1] - positions[a + 1], vz = positions[c + 2] - positions[a + 2];
    const cx = uy * vz - uz * vy, cy = uz * vx - ux * vz, cz = ux * vy - uy * vx;
    total += 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    cumulative[t] = total;
  }
  if (total === 0) return new Float32Array(0);
  const random = createRandom(seed);
  const out = new Float32Array(3 * count);
  for (let k = 0; k < count; k++) {
    const target = random() * total;
    let lo = 0, hi = triangles - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1; else hi = mid;
    }
    // Uniform on the triangle: reflect (r1, r2) into the lower half of the unit square.
    let r1 = random(), r2 = random();
    if (r1 + r2 > 1) { r1 = 1 - r1; r2 = 1 - r2; }
    const a = 3 * indices[3 * lo], b = 3 * indices[3 * lo + 1], c = 3 * indices[3 * lo + 2];
    for (let j = 0; j < 3; j++) out[3 * k + j] = positions[a + j] + r1 * (positions[b + j] - positions[a + j]) + r2 * (positions[c + j] - positions[a + j]);
  }
  return out;
}

/**
 * Chamfer distance (IM-NET's protocol): mean squared nearest-neighbour distance from `a` to `b` plus
 * from `b` to `a`. Infinity when exactly one set is empty (a reconstruction with no surface), 0 when both are.
 */
export function chamferDistance(a: Float32Array, b: Float32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return Infinity;
  return meanSquaredNearestDistance(a, b) + meanSquaredNearestDistance(b, a);
}

/**
 * Surface points per shape for the Chamfer distance of the generation metrics (COV-CD, MMD-CD; issue
 * 10, after Achlioptas et al. 2018): 2,048 points, squared distances, each direction averaged, summed.
 */
export const GENERATION_SURFACE_POINTS = 2048;

/** The points the generation metrics compare a mesh by: GENERATION_SURFACE_POINTS on its surface, seeded. */
export function generationSurfacePoints(mesh: Pick<TriangleMesh, 'positions' | 'indices'>, seed = 1): Float32Array {
  return sampleSurface(mesh, GENERATION_SURFACE_POINTS, seed);
}

/** Which block of a distance matrix to compute. */
export interface DistanceMatrixOptions {
  /** First row (default 0). */
  rowStart?: number;
  /** One past the last row (default: all rows). */
  rowEnd?: number;
}

/**
 * Chamfer distances between point sets `rows` and `cols` (e.g. reference x generated), row-major
 * `(rowEnd - rowStart) x cols.length`; a worker can take a block of rows. At 2,048 points a pair
 * costs 2 x 2048^2 squared distances (brute force).
 */
export function chamferDistanceMatrix(rows: readonly Float32Array[], cols: readonly Float32Array[], options: DistanceMatrixOptions = {}): Float64Array {
  const { rowStart = 0, rowEnd = rows.length } = options;
  if (!(Number.isInteger(rowStart) && Number.isInteger(rowEnd) && rowStart >= 0 && rowStart <= rowEnd && rowEnd <= rows.length)) {
    throw new RangeError(`chamferDistanceMatrix: rows ${rowStart}..${rowEnd}; expected integers with 0 <= rowStart <= rowEnd <= ${rows.length}`);
  }
  const out = new Float64Array((rowEnd - rowStart) * cols.length);
  for (let i = rowStart; i < rowEnd; i++) {
    for (let j = 0; j < cols.length; j++) out[(i - rowStart) * cols.length + j] = chamferDistance(rows[i], cols[j]);
  }
  return out;
}
