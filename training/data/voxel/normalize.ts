/**
 * Puts a mesh into the decoder's box: the bounding box is centred at the origin and its longest side
 * scaled to `longestSide` (1 by default, so the shape spans [-0.5, 0.5] along it), y up.
 */

/** How a shape was normalized: `normalized = (oriented - center) * scale`. */
export interface Normalization {
  center: [number, number, number];
  scale: number;
}

/** Which source axis points up; z-up sources (common for STL/OFF/CAD) are turned to y up. */
export type UpAxis = 'y' | 'z';

/** The source positions turned to y up (z-up: (x, y, z) -> (x, z, -y), a rotation about x). */
export function orientYUp(positions: Float32Array, upAxis: UpAxis): Float64Array {
  const out = Float64Array.from(positions);
  if (upAxis === 'z') {
    for (let i = 0; i < out.length; i += 3) {
      const y = out[i + 1];
      out[i + 1] = out[i + 2];
      out[i + 2] = -y;
    }
  }
  return out;
}

/** Centre and scale that map the positions' bounding box into the box; throws for a flat-out point. */
export function normalizationOf(positions: Float64Array, longestSide = 1): Normalization {
  if (!(longestSide > 0 && longestSide <= 1)) throw new RangeError(`longestSide: expected a number in (0, 1], got ${longestSide}`);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(extent > 0)) throw new RangeError(`the mesh's bounding box has size ${extent}; expected a positive extent`);
  return {
    center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2],
    scale: longestSide / extent,
  };
}

/** Applies a normalization in place and returns the same array. */
export function applyNormalization(positions: Float64Array, { center, scale }: Normalization): Float64Array {
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = (positions[i] - center[0]) * scale;
    positions[i + 1] = (positions[i + 1] - center[1]) * scale;
    positions[i + 2] = (positions[i + 2] - center[2]) * scale;
  }
  return positions;
}
