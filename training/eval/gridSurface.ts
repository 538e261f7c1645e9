/**
 * The surface of values sampled at voxel centres, meshed by the runtime's marching cubes
 * (`marchGrid` from src/extract): how `imnet eval` turns both the dataset's 64^3 voxels and a model's
 * 64^3 predictions into surfaces, so the two go through the same mesher on the same grid.
 */
import { marchGrid, type TriangleMesh } from '#core';

/**
 * Meshes `values` (n^3, x fastest, value of voxel (x, y, z) at its centre `(i + 0.5) / n - 0.5`) at
 * `isoLevel`. The grid is padded with one layer of outside values, so a shape that fills the box is
 * closed at the box's faces (half a voxel beyond the outer centres), not at the outer centres.
 */
export function gridSurface(values: ArrayLike<number>, n: number, isoLevel = 0.5): TriangleMesh {
  if (!(isoLevel > 0)) throw new RangeError(`gridSurface: isoLevel ${isoLevel}; the padding value 0 must be outside (isoLevel > 0)`);
  if (values.length !== n * n * n) throw new RangeError(`gridSurface: ${values.length} values; expected ${n}^3 = ${n ** 3}`);
  const m = n + 2;
  // 0 is outside for occupancies (iso 0.5) and finite, so edge interpolation stays finite.
  const padded = new Float32Array(m * m * m);
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) {
    const from = n * (y + n * z);
    const to = 1 + m * (y + 1 + m * (z + 1));
    for (let x = 0; x < n; x++) padded[to + x] = values[from + x];
  }
  const mesh = marchGrid(padded, m - 1, isoLevel);
  // marchGrid puts corner i at -0.5 + i / (n + 1); padded corner i is voxel i - 1's centre.
  const scale = (n + 1) / n;
  const positions = mesh.positions;
  for (let i = 0; i < positions.length; i++) positions[i] = (positions[i] + 0.5) * scale - 0.5 / n - 0.5;
  return mesh;
}

/** Voxel-centre coordinates of an n^3 grid, x fastest (the order of `voxels64`). */
export function voxelCentres(n: number): Float32Array {
  const points = new Float32Array(3 * n * n * n);
  let k = 0;
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    points[k++] = (x + 0.5) / n - 0.5;
    points[k++] = (y + 0.5) / n - 0.5;
    points[k++] = (z + 0.5) / n - 0.5;
  }
  return points;
}

/** 64^3 voxels reduced to n^3 (n dividing 64): a coarse voxel is inside when at least half its sub-voxels are. */
export function downsampleVoxels(voxels64: Uint8Array, n: number): Uint8Array {
  if (n === 64) return voxels64;
  const f = 64 / n;
  if (!Number.isInteger(f)) throw new RangeError(`downsampleVoxels: ${n} does not divide 64`);
  const out = new Uint8Array(n * n * n);
  const half = (f * f * f) / 2;
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    let count = 0;
    for (let dz = 0; dz < f; dz++) for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) {
      count += voxels64[(x * f + dx) + 64 * ((y * f + dy) + 64 * (z * f + dz))];
    }
    out[x + n * (y + n * z)] = count >= half ? 1 : 0;
  }
  return out;
}
