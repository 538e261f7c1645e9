/**
 * Reconstruction metrics of IM-NET's evaluation: voxel MSE and IoU, and Chamfer distance between
 * point sets sampled on two surfaces (squared nearest-neighbour distance, mean in each direction,
 * both directions summed; IM-NET reports it x1000). Plain functions over typed arrays.
 */
import { createRandom, type TriangleMesh } from '#core';

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

/** Mean over `from`'s points of the squared distance to the nearest point of `to` (brute force: 4096^2 pairs take ~30 ms). */
function meanSquaredNearest(from: Float32Array, to: Float32Array): number {
  const n = from.length / 3, m = to.length / 3;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = from[3 * i], y = from[3 * i + 1], z = from[3 * i + 2];
    let best = Infinity;
    for (let j = 0; j < m; j++) {
      const dx = to[3 * j] - x, dy = to[3 * j + 1] - y, dz = to[3 * j + 2] - z;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) best = d;
    }
    sum += best;
  }
  return sum / n;
}

/**
 * Chamfer distance (IM-NET's protocol): mean squared nearest-neighbour distance from `a` to `b` plus
 * from `b` to `a`. Infinity when exactly one set is empty (a reconstruction with no surface), 0 when both are.
 */
export function chamferDistance(a: Float32Array, b: Float32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  if (a.length === 0 || b.length === 0) return Infinity;
  return meanSquaredNearest(a, b) + meanSquaredNearest(b, a);
}
