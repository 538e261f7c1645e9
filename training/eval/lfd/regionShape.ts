/**
 * The region descriptor of a silhouette: the MPEG-7 angular radial transform that 3DRetrieval_v1.8
 * calls Zernike moments (`RegionShape.c`): 12 angular x 3 radial basis functions tabulated on a
 * 101 x 101 grid, sampled bilinearly at every silhouette pixel, magnitudes of the pixel means.
 */
import type { SilhouetteCentre } from './silhouetteShape.js';

/** Angular orders p = 0..11. */
export const ART_ANGULAR = 12;
/** Radial orders r = 0..2. */
export const ART_RADIAL = 3;
/** Stored coefficients per view: all (p, r) but (0, 0), which is 1 by construction. */
export const ART_COEFFICIENTS = ART_ANGULAR * ART_RADIAL - 1;
/** The basis table's radius in cells; the table spans 0..2R around (R, R). */
export const ART_LUT_RADIUS = 50;
/** The reference code's value of pi (its basis table is built with it). */
const PI = 3.141592653;
/** Table side with one extra row/column of zeros, so a lookup at exactly 100 may read cell 101. */
const STRIDE = 2 * ART_LUT_RADIUS + 2;
const CELLS = STRIDE * STRIDE;

/**
 * The basis table, interleaved per grid cell `x * STRIDE + y` (first index from x, as in the C): the 35
 * stored (p, r) in stored order, real then imaginary, so one pass over the cells feeds all sums.
 */
const PER_CELL = 2 * ART_COEFFICIENTS;
const _basis = new Float64Array(CELLS * PER_CELL);
(function generateBasisTable(): void {
  const R = ART_LUT_RADIUS;
  for (let x = 0; x <= 2 * R; x++) {
    for (let y = 0; y <= 2 * R; y++) {
      const radius = Math.hypot(x - R, y - R);
      if (!(radius < R)) continue;
      const angle = Math.atan2(y - R, x - R);
      let k = (x * STRIDE + y) * PER_CELL;
      for (let p = 0; p < ART_ANGULAR; p++) {
        for (let r = 0; r < ART_RADIAL; r++) {
          if (p === 0 && r === 0) continue;
          const radial = Math.cos((radius * PI * r) / R);
          _basis[k++] = radial * Math.cos(angle * p);
          _basis[k++] = radial * Math.sin(angle * p);
        }
      }
    }
  }
})();

/** Bilinear weights of all silhouette pixels, splatted onto the table grid, and the sums (module scratch). */
const _weights = new Float64Array(CELLS);
const _sums = new Float64Array(PER_CELL);

/**
 * The 35 region values of one silhouette (before quantization), in the stored order (p = 0, r = 1),
 * (0, 2), then p = 1..11 x r = 0..2, written to `out` at `offset`. `scale` = ART_LUT_RADIUS / the light
 * field's radius; `centre` gives the view's centre and bounding box. All zero for an empty image.
 *
 * Bilinear interpolation is linear in the table values, so instead of 72 lookups per pixel (the C loop)
 * the pixels' four corner weights are summed per grid cell once and each coefficient becomes one dot
 * product with its table: the same sums, in a different order (differences ~1e-13). The (0, 0) sum is
 * not needed: the C's normalization by it divides by 1 (see below).
 */
export function regionShapeValues(out: Float64Array, offset: number, image: Uint8Array, size: number, centre: SilhouetteCentre, scale: number): void {
  _weights.fill(0);
  let count = 0;
  for (let y = centre.minY; y <= centre.maxY; y++) {
    const row = y * size;
    const ty = (y - centre.y) * scale + ART_LUT_RADIUS;
    const iy = Math.trunc(ty), fy = ty - iy;
    for (let x = centre.minX; x <= centre.maxX; x++) {
      if (image[row + x] === 0) continue;
      const tx = (x - centre.x) * scale + ART_LUT_RADIUS;
      const ix = Math.trunc(tx), fx = tx - ix;
      const at = ix * STRIDE + iy;
      _weights[at] += (1 - fx) * (1 - fy);
      _weights[at + STRIDE] += fx * (1 - fy);
      _weights[at + 1] += (1 - fx) * fy;
      _weights[at + STRIDE + 1] += fx * fy;
      count++;
    }
  }
  if (count === 0) {
    out.fill(0, offset, offset + ART_COEFFICIENTS);
    return;
  }
  _sums.fill(0);
  for (let c = 0; c < CELLS; c++) {
    const w = _weights[c];
    if (w === 0) continue;
    const base = c * PER_CELL;
    for (let k = 0; k < PER_CELL; k++) _sums[k] += w * _basis[base + k];
  }
  // The C divides every coefficient by coefficient[0][0] in place, starting with [0][0] itself, so the
  // divisor is 1 by the time the others are divided: the stored values are the plain magnitudes.
  // (The C subtracts the imaginary parts; the sign does not change a magnitude.)
  for (let k = 0; k < ART_COEFFICIENTS; k++) out[offset + k] = Math.hypot(_sums[2 * k] / count, _sums[2 * k + 1] / count);
}
