/**
 * Marching squares: the inside (`value >= isoLevel`) of a sampled planar field as a triangulated
 * region and its oriented outline, on a grid of (resolution+1)^2 corners over the square
 * [-0.5, 0.5]^2, x fastest. The 2D counterpart of `marchingCubes.ts`, used to extrude 2D decoders'
 * shapes (the paper's digits) into closed meshes.
 *
 * Each cell's inside is one convex polygon (its inside corners and edge crossings in counter-clockwise
 * order), or two triangles for a saddle whose centre (the mean of its corners) is outside. Corners and
 * crossings are shared between cells by index, so the region is an edge-manifold triangulation whose
 * boundary edges are exactly the outline's segments. Corners on the square's border count as outside,
 * so every outline is closed (a shape touching the border is cut one cell in).
 */

/** The inside of a planar field: triangles over shared vertices, and the outline. */
export interface PlanarRegion {
  /** xy per vertex (grid corners and edge crossings), inside [-0.5, 0.5]^2. */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from +z. */
  triangles: Uint32Array;
  /** Two vertex indices per outline segment, directed so the inside is on the left. */
  outline: Uint32Array;
}

/** Crossings nearer a corner than this (in cell units) are moved to it, so no vertex pair coincides. */
const MIN_CROSSING = 1e-3;

/**
 * @param values - (resolution+1)^2 field values at the corners `(-0.5 + i / resolution, -0.5 + j / resolution)`, index `i + (resolution + 1) j`.
 * @throws RangeError when `values` has the wrong length or `resolution` is not an integer >= 2.
 */
export function marchSquares(values: Float32Array, resolution: number, isoLevel = 0.5): PlanarRegion {
  if (!Number.isInteger(resolution) || resolution < 2) throw new RangeError(`marchSquares: resolution is ${resolution}; expected an integer >= 2`);
  const n = resolution + 1;
  if (values.length !== n * n) throw new RangeError(`marchSquares: ${values.length} values; expected (${resolution} + 1)^2 = ${n * n}`);
  const inside = new Uint8Array(n * n);
  for (let j = 1; j < resolution; j++) for (let i = 1; i < resolution; i++) inside[i + n * j] = values[i + n * j] >= isoLevel ? 1 : 0;

  // Vertex ids: corners first (created on use), then crossings of horizontal and vertical edges.
  const vertexOf = new Int32Array(n * n + 2 * resolution * n).fill(-1);
  const xy: number[] = [];
  const triangles: number[] = [];
  const outline: number[] = [];
  const step = 1 / resolution;
  const corner = (i: number, j: number): number => {
    const key = i + n * j;
    if (vertexOf[key] < 0) { vertexOf[key] = xy.length / 2; xy.push(-0.5 + i * step, -0.5 + j * step); }
    return vertexOf[key];
  };
  // Crossing on the edge from corner (i, j) along +x (horizontal) or +y (vertical).
  const crossing = (i: number, j: number, vertical: boolean): number => {
    const key = n * n + (vertical ? resolution * n + i + n * j : i + resolution * j);
    if (vertexOf[key] < 0) {
      const a = values[i + n * j];
      const b = vertical ? values[i + n * (j + 1)] : values[i + 1 + n * j];
      // Border corners count as outside whatever their value: place the crossing as if they were.
      const va = inside[i + n * j] ? a : Math.min(a, isoLevel - 1e-6);
      const bi = vertical ? i + n * (j + 1) : i + 1 + n * j;
      const vb = inside[bi] ? b : Math.min(b, isoLevel - 1e-6);
      let t = (isoLevel - va) / (vb - va);
      t = Math.min(1 - MIN_CROSSING, Math.max(MIN_CROSSING, Number.isFinite(t) ? t : 0.5));
      vertexOf[key] = xy.length / 2;
      xy.push(-0.5 + (i + (vertical ? 0 : t)) * step, -0.5 + (j + (vertical ? t : 0)) * step);
    }
    return vertexOf[key];
  };
  const polygon: number[] = [];
  const isCrossing: boolean[] = [];
  const emit = (): void => {
    for (let k = 1; k + 1 < polygon.length; k++) triangles.push(polygon[0], polygon[k], polygon[k + 1]);
    for (let k = 0; k < polygon.length; k++) {
      const next = (k + 1) % polygon.length;
      if (isCrossing[k] && isCrossing[next]) outline.push(polygon[k], polygon[next]);
    }
    polygon.length = 0;
    isCrossing.length = 0;
  };
  const add = (vertex: number, fromCrossing: boolean): void => { polygon.push(vertex); isCrossing.push(fromCrossing); };

  for (let j = 0; j < resolution; j++) {
    for (let i = 0; i < resolution; i++) {
      // Corners counter-clockwise: (i, j), (i+1, j), (i+1, j+1), (i, j+1).
      const c0 = inside[i + n * j], c1 = inside[i + 1 + n * j], c2 = inside[i + 1 + n * (j + 1)], c3 = inside[i + n * (j + 1)];
      const count = c0 + c1 + c2 + c3;
      if (count === 0) continue;
      const saddle = count === 2 && c0 === c2;
      if (saddle) {
        const centre = (values[i + n * j] + values[i + 1 + n * j] + values[i + 1 + n * (j + 1)] + values[i + n * (j + 1)]) / 4;
        if (centre < isoLevel) {
          // Two separate corner triangles.
          if (c0) { add(corner(i, j), false); add(crossing(i, j, false), true); add(crossing(i, j, true), true); emit(); }
          if (c1) { add(corner(i + 1, j), false); add(crossing(i + 1, j, true), true); add(crossing(i, j, false), true); emit(); }
          if (c2) { add(corner(i + 1, j + 1), false); add(crossing(i, j + 1, false), true); add(crossing(i + 1, j, true), true); emit(); }
          if (c3) { add(corner(i, j + 1), false); add(crossing(i, j, true), true); add(crossing(i, j + 1, false), true); emit(); }
          continue;
        }
      }
      // One convex polygon: walk the cell's boundary counter-clockwise, keeping inside corners and crossings.
      if (c0) add(corner(i, j), false);
      if (c0 !== c1) add(crossing(i, j, false), true);
      if (c1) add(corner(i + 1, j), false);
      if (c1 !== c2) add(crossing(i + 1, j, true), true);
      if (c2) add(corner(i + 1, j + 1), false);
      if (c2 !== c3) add(crossing(i, j + 1, false), true);
      if (c3) add(corner(i, j + 1), false);
      if (c3 !== c0) add(crossing(i, j, true), true);
      emit();
    }
  }
  return { positions: Float32Array.from(xy), triangles: Uint32Array.from(triangles), outline: Uint32Array.from(outline) };
}
