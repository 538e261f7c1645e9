/**
 * Small parts: the separate pieces of an extracted mesh whose volume is a sliver of the largest
 * piece's. Trained decoders leave such pieces where their field barely crosses the iso-level away
 * from the shape (a blob where other shapes of the category have a handle, a chip off a wing tip);
 * the extraction finds them exactly, and a shape that shows them looks broken.
 *
 * A piece is a connected component of the triangles (sharing vertices; marching cubes shares every
 * vertex between the cells that meet at it). Its volume is the signed volume its closed surface
 * encloses (the divergence theorem over its triangles; extracted meshes are closed, capped at the
 * box, and wound counter-clockwise from outside). A component with negative volume is the inner wall
 * of a cavity and is always kept: removing it would fill the cavity.
 */

import type { ExtractedMesh } from './types.js';

/**
 * The fraction `ImplicitShape` shows pieces from (see `ImplicitShape.DefaultMinPartFraction` for
 * why), and the toolkit's eval counts floaters with.
 */
export const DEFAULT_MIN_PART_FRACTION = 0.03;

/** The result of {@link dropSmallParts}: the mesh without its small parts, and what was dropped. */
export interface SmallPartsResult<M extends ExtractedMesh> {
  /** The mesh without the dropped parts (the input mesh itself when none was dropped). */
  mesh: M;
  /** Parts dropped. */
  dropped: number;
  /** Parts in the mesh before (cavity walls not counted). */
  parts: number;
}

/** Root of `i` in the union-find forest `parent`, halving paths on the way. */
function find(parent: Uint32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/**
 * Drops the parts of `mesh` whose enclosed volume is below `minPartFraction` times the largest
 * part's (0 keeps every part; 1 keeps the largest only, and parts exactly as large).
 *
 * @returns the same mesh object when nothing is dropped; otherwise a new mesh (positions, normals
 *   and indices of the kept parts, in their original order) with the other fields of `mesh`.
 * @throws RangeError when `minPartFraction` is not a number in [0, 1].
 */
export function dropSmallParts<M extends ExtractedMesh>(mesh: M, minPartFraction: number): SmallPartsResult<M> {
  if (!(minPartFraction >= 0 && minPartFraction <= 1)) {
    throw new RangeError(`minPartFraction is ${minPartFraction}; expected a number in [0, 1]`);
  }
  const { positions, normals, indices } = mesh;
  const vertexCount = positions.length / 3;
  const parent = new Uint32Array(vertexCount);
  for (let v = 0; v < vertexCount; v++) parent[v] = v;
  for (let t = 0; t < indices.length; t += 3) {
    const a = find(parent, indices[t]);
    const b = find(parent, indices[t + 1]);
    const c = find(parent, indices[t + 2]);
    parent[b] = a;
    parent[c] = a;
  }
  // Six times the signed volume per component root: sum of a . (b x c) over its triangles.
  const volume = new Float64Array(vertexCount);
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
    volume[find(parent, indices[t])] +=
      positions[a] * (by * cz - bz * cy) + positions[a + 1] * (bz * cx - bx * cz) + positions[a + 2] * (bx * cy - by * cx);
  }
  let largest = 0;
  let parts = 0;
  for (let v = 0; v < vertexCount; v++) {
    if (parent[v] !== v || volume[v] <= 0) continue;
    parts++;
    if (volume[v] > largest) largest = volume[v];
  }
  const limit = minPartFraction * largest;
  const small = (root: number) => volume[root] > 0 && volume[root] < limit;
  let dropped = 0;
  for (let v = 0; v < vertexCount; v++) if (parent[v] === v && small(v)) dropped++;
  if (dropped === 0) return { mesh, dropped, parts };

  const newIndex = new Int32Array(vertexCount).fill(-1);
  let kept = 0;
  for (let v = 0; v < vertexCount; v++) if (!small(find(parent, v))) newIndex[v] = kept++;
  const keptPositions = new Float32Array(3 * kept);
  const keptNormals = new Float32Array(3 * kept);
  for (let v = 0; v < vertexCount; v++) {
    const k = newIndex[v];
    if (k < 0) continue;
    keptPositions.set(positions.subarray(3 * v, 3 * v + 3), 3 * k);
    keptNormals.set(normals.subarray(3 * v, 3 * v + 3), 3 * k);
  }
  let triangles = 0;
  for (let t = 0; t < indices.length; t += 3) if (newIndex[indices[t]] >= 0) triangles++;
  const keptIndices = new Uint32Array(3 * triangles);
  for (let t = 0, o = 0; t < indices.length; t += 3) {
    if (newIndex[indices[t]] < 0) continue;
    keptIndices[o++] = newIndex[indices[t]];
    keptIndices[o++] = newIndex[indices[t + 1]];
    keptIndices[o++] = newIndex[indices[t + 2]];
  }
  return { mesh: { ...mesh, positions: keptPositions, normals: keptNormals, indices: keptIndices }, dropped, parts };
}
