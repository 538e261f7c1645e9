/**
 * Area-weighted vertex normals of an indexed triangle mesh.
 *
 * The unnormalised cross product of a triangle's edges is twice its area times its normal, so
 * summing it per vertex weights large triangles more: marching cubes emits slivers whose own
 * normals are noisy, and area weighting keeps them from tilting the shading.
 */

import type { Checkpoints } from './checkpoints.js';

// Alias: a global lookup costs ~20x more inside vm contexts (jest's ESM runner).
const sqrt = Math.sqrt;

/** Triangles (or vertices) per chunk of {@link computeVertexNormalsSliced}: ~0.2 ms under jest. */
const TRIANGLES_PER_CHUNK = 8192;

/**
 * @param positions - xyz per vertex.
 * @param indices - three vertex indices per triangle, counter-clockwise seen from the side the
 *   normals should face.
 * @returns unit xyz per vertex; (0,0,0) for a vertex whose triangles all have zero area.
 */
export function computeVertexNormals(positions: Float32Array, indices: Uint32Array): Float32Array {
  // float64 accumulation: a vertex can gather many tiny cross products.
  const sum = new Float64Array(positions.length);
  addTriangleNormals(sum, positions, indices, 0, indices.length / 3);
  const normals = new Float32Array(positions.length);
  normalizeSums(normals, sum, 0, positions.length / 3);
  return normals;
}

/** {@link computeVertexNormals} in chunks, a checkpoint between them; the same normals. */
export async function computeVertexNormalsSliced(
  positions: Float32Array,
  indices: Uint32Array,
  checkpoints: Checkpoints,
): Promise<Float32Array> {
  const sum = new Float64Array(positions.length);
  await checkpoints.forEachChunk(indices.length / 3, TRIANGLES_PER_CHUNK, (from, to) =>
    addTriangleNormals(sum, positions, indices, from, to),
  );
  const normals = new Float32Array(positions.length);
  await checkpoints.forEachChunk(positions.length / 3, TRIANGLES_PER_CHUNK, (from, to) =>
    normalizeSums(normals, sum, from, to),
  );
  return normals;
}

/** Adds the area-weighted normal of triangles from..to-1 to the sums of their vertices. */
function addTriangleNormals(
  sum: Float64Array,
  positions: Float32Array,
  indices: Uint32Array,
  from: number,
  to: number,
): void {
  for (let t = 3 * from; t < 3 * to; t += 3) {
    const a = 3 * indices[t];
    const b = 3 * indices[t + 1];
    const c = 3 * indices[t + 2];
    const abx = positions[b] - positions[a];
    const aby = positions[b + 1] - positions[a + 1];
    const abz = positions[b + 2] - positions[a + 2];
    const acx = positions[c] - positions[a];
    const acy = positions[c + 1] - positions[a + 1];
    const acz = positions[c + 2] - positions[a + 2];
    const nx = aby * acz - abz * acy;
    const ny = abz * acx - abx * acz;
    const nz = abx * acy - aby * acx;
    sum[a] += nx;
    sum[a + 1] += ny;
    sum[a + 2] += nz;
    sum[b] += nx;
    sum[b + 1] += ny;
    sum[b + 2] += nz;
    sum[c] += nx;
    sum[c + 1] += ny;
    sum[c + 2] += nz;
  }
}

/** normals of vertices from..to-1: their sums scaled to unit length (left 0 where a sum is 0). */
function normalizeSums(normals: Float32Array, sum: Float64Array, from: number, to: number): void {
  for (let v = 3 * from; v < 3 * to; v += 3) {
    const length = sqrt(sum[v] * sum[v] + sum[v + 1] * sum[v + 1] + sum[v + 2] * sum[v + 2]);
    if (length === 0) continue;
    normals[v] = sum[v] / length;
    normals[v + 1] = sum[v + 1] / length;
    normals[v + 2] = sum[v + 2] / length;
  }
}
