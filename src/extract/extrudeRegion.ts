/**
 * A planar region (from `marchSquares`) extruded into a closed slab: the region's triangles as the top
 * cap (z = +depth/2) and, reversed, the bottom cap (z = -depth/2), and a wall quad on every outline
 * segment. The caps share their outline vertices with the walls, so the mesh is closed and
 * edge-manifold whenever the region is; triangles are counter-clockwise seen from outside.
 */
import type { PlanarRegion } from './marchingSquares.js';
import type { ExtractedMesh } from './types.js';
import { computeVertexNormals } from './vertexNormals.js';

/**
 * @param depth - the slab's thickness, centred on z = 0.
 * @throws RangeError for a depth that is not a positive finite number.
 */
export function extrudeRegion(region: PlanarRegion, depth: number): ExtractedMesh {
  if (!(depth > 0 && Number.isFinite(depth))) throw new RangeError(`extrudeRegion: depth is ${depth}; expected a positive finite number`);
  const count = region.positions.length / 2;
  const half = depth / 2;
  // Top vertices 0..count-1, bottom vertices count..2count-1.
  const positions = new Float32Array(6 * count);
  for (let v = 0; v < count; v++) {
    const x = region.positions[2 * v], y = region.positions[2 * v + 1];
    positions.set([x, y, half], 3 * v);
    positions.set([x, y, -half], 3 * (count + v));
  }
  const t = region.triangles, o = region.outline;
  const indices = new Uint32Array(2 * t.length + 3 * o.length);
  let k = 0;
  for (let i = 0; i < t.length; i += 3) {
    indices[k++] = t[i]; indices[k++] = t[i + 1]; indices[k++] = t[i + 2];
  }
  for (let i = 0; i < t.length; i += 3) {
    indices[k++] = count + t[i]; indices[k++] = count + t[i + 2]; indices[k++] = count + t[i + 1];
  }
  for (let i = 0; i < o.length; i += 2) {
    // The inside is left of a -> b, so outside is to the right: seen from there, a is left of b.
    const aTop = o[i], bTop = o[i + 1], aBottom = count + aTop, bBottom = count + bTop;
    indices[k++] = aBottom; indices[k++] = bBottom; indices[k++] = bTop;
    indices[k++] = aBottom; indices[k++] = bTop; indices[k++] = aTop;
  }
  return { positions, normals: computeVertexNormals(positions, indices), indices };
}
