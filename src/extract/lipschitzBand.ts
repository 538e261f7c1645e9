/**
 * The guard band of the adaptive extractor: where, judging by the samples' values, a cell could hold
 * a piece of surface even though its corners agree.
 *
 * The values are read as a Lipschitz field h (recovered through the output activation): with L a
 * bound on |grad h|, a known point c with |h(c) - iso| = d has no crossing within distance d / L of
 * it (the exclusion ball of c). A region covered by exclusion balls is surface-free, and on the side
 * of the ball centres that cover it. That is the whole rule; the rest is how to test it cheaply and
 * where L comes from (see `adaptive.ts`).
 */

import type { FieldActivation } from './types.js';

// Aliases of the globals used in hot loops: inside vm contexts (jest's ESM runner, some sandboxes)
// every global lookup costs ~20x more, and these loops run millions of times per extraction.
const { abs, max } = Math;
const NOT_A_NUMBER = Number.NaN;

/**
 * (3 + 3 sqrt 2 + sqrt 3) / 8: the largest mean distance from a point of the unit cube to its 8
 * corners (reached at a corner). A cell of size s holding a crossing p has |h(c) - iso| <= L |c - p|
 * for every corner c, so the mean of |h(c) - iso| is at most BAND_MEAN * L * s: a cheap necessary
 * condition checked before the balls.
 */
export const BAND_MEAN = (3 + 3 * Math.SQRT2 + Math.sqrt(3)) / 8;

/**
 * h recovered from an occupancy value, or NaN when the value is saturated (carries no distance):
 * exactly 0 or 1 for every activation except identity (what a binary field returns), and at or
 * beyond them for clip and sigmoid.
 */
export function fieldOf(activation: FieldActivation, v: number): number {
  if (activation === 'identity') return v;
  if (activation === 'leakyClip' ? v === 0 || v === 1 : v <= 0 || v >= 1) return NOT_A_NUMBER;
  return inverseActivation(activation, v);
}

/** h such that activation(h) = v; IM-NET's leaky clip is the identity on [0, 1] with slope 0.01 beyond. */
export function inverseActivation(activation: FieldActivation, v: number): number {
  switch (activation) {
    case 'leakyClip':
      return v < 0 ? 100 * v : v > 1 ? 100 * (v - 0.99) : v;
    case 'sigmoid':
      return Math.log(v / (1 - v));
    case 'clip':
    case 'identity':
      return v;
  }
}

/** Corner pairs of a cell (28) and 1 / their distance in cell units. */
const PAIR_A = new Uint8Array(28);
const PAIR_B = new Uint8Array(28);
const PAIR_INVERSE_DISTANCE = new Float64Array(28);
for (let a = 0, p = 0; a < 8; a++) {
  for (let b = a + 1; b < 8; b++, p++) {
    PAIR_A[p] = a;
    PAIR_B[p] = b;
    let differing = 0;
    for (let bit = 0; bit < 3; bit++) differing += ((a ^ b) >> bit) & 1;
    PAIR_INVERSE_DISTANCE[p] = 1 / Math.sqrt(differing);
  }
}

const _h = new Float64Array(8);

/**
 * Largest |h(a) - h(b)| / |a - b| over the corner pairs (edges, face and body diagonals) of cells
 * from..to-1, in box units: a proven lower bound on L. Pairs with a saturated end are skipped.
 *
 * @param corners - 8 values per cell (corner c at offset (c & 1, (c >> 1) & 1, c >> 2)).
 * @param r - cells per axis of the grid these cells belong to (cell size 1 / r).
 */
export function largestSlope(
  corners: Float32Array,
  from: number,
  to: number,
  r: number,
  activation: FieldActivation,
): number {
  const h = _h;
  let largest = 0;
  for (let i = from; i < to; i++) {
    for (let c = 0; c < 8; c++) h[c] = fieldOf(activation, corners[8 * i + c]);
    for (let p = 0; p < 28; p++) {
      // NaN (saturated) fails the comparison and drops out.
      const slope = abs(h[PAIR_A[p]] - h[PAIR_B[p]]) * PAIR_INVERSE_DISTANCE[p];
      if (slope > largest) largest = slope;
    }
  }
  return largest * r;
}

/** Most balls one cell gathers: its 4^3 block of lattice points. */
const MAX_BALLS = 64;

/**
 * Exclusion balls around known points near one cell, in that cell's units (its corners at 0 and 1),
 * and the covering test for boxes inside it. One instance is reused cell after cell.
 */
export class ExclusionBalls {
  private readonly x = new Float64Array(MAX_BALLS);
  private readonly y = new Float64Array(MAX_BALLS);
  private readonly z = new Float64Array(MAX_BALLS);
  private readonly radiusSquared = new Float64Array(MAX_BALLS);
  private readonly inside = new Uint8Array(MAX_BALLS);
  private count = 0;
  /** Forgets all balls. */
  clear(): void {
    this.count = 0;
  }

  /**
   * Adds the ball of a known point at (x, y, z) (cell units) of radius `radius` (cell units), unless
   * it cannot reach the cell [0,1]^3.
   */
  add(x: number, y: number, z: number, radius: number, inside: boolean): void {
    const dx = x < 0 ? -x : x > 1 ? x - 1 : 0;
    const dy = y < 0 ? -y : y > 1 ? y - 1 : 0;
    const dz = z < 0 ? -z : z > 1 ? z - 1 : 0;
    const r2 = radius * radius;
    if (!(r2 > dx * dx + dy * dy + dz * dz)) return;
    const i = this.count++;
    this.x[i] = x;
    this.y[i] = y;
    this.z[i] = z;
    this.radiusSquared[i] = r2;
    this.inside[i] = inside ? 1 : 0;
  }

  /**
   * Proves the box [x0, x0+size] x [y0, ...] x [z0, ...] surface-free: every point of it lies in
   * some ball (one ball holding the whole box, else each of its 8 halves, up to `depth` halvings).
   * @returns the box's side (1 inside, 0 outside) when proven, -1 when not.
   */
  coveredSide(x0: number, y0: number, z0: number, size: number, depth: number): number {
    const x1 = x0 + size;
    const y1 = y0 + size;
    const z1 = z0 + size;
    for (let i = 0; i < this.count; i++) {
      // Farthest point of the box from the centre, per axis.
      const dx = max(abs(x0 - this.x[i]), abs(x1 - this.x[i]));
      const dy = max(abs(y0 - this.y[i]), abs(y1 - this.y[i]));
      const dz = max(abs(z0 - this.z[i]), abs(z1 - this.z[i]));
      if (dx * dx + dy * dy + dz * dz < this.radiusSquared[i]) return this.inside[i];
    }
    if (depth === 0) return -1;
    const half = size / 2;
    let side = -1;
    for (let c = 0; c < 8; c++) {
      const part = this.coveredSide(x0 + (c & 1) * half, y0 + ((c >> 1) & 1) * half, z0 + (c >> 2) * half, half, depth - 1);
      // Halves on different sides would mean overlapping balls of opposite sides: samples steeper
      // than L. Nothing is proven then.
      if (part < 0 || (side >= 0 && part !== side)) return -1;
      side = part;
    }
    return side;
  }
}
