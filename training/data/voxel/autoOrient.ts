/**
 * `--orient auto`: turns each shape of a set by the quarter turn that makes it look like the rest of the
 * set, so that mixed sources (some files z-up, a few lying on their side or upside down) end up
 * consistent.
 *
 * The heuristic, stated so that a user can predict it:
 *  1. Each mesh is summarized by where its surface area lies: a 6 x 6 x 6 grid over its bounding box
 *     (centred, longest side 1, as prepare normalizes it), each cell holding its share of the area
 *     (about 20,000 area-weighted points on the triangles, spread trilinearly). Quarter turns map this
 *     grid onto itself, so every orientation of every shape is a reordering of the same numbers. The
 *     grid carries the extents (for the axis-aligned models people make, the principal axes) and the
 *     layout (a chair's back above and behind its seat, a table's top above its legs).
 *  2. A shape's score in an orientation: the mean L1 distance between its grid turned that way and the
 *     grids of its 3 nearest other shapes as they are currently oriented (at first as `--up` and
 *     orient.json say). Nearest neighbours rather than the set's mean, so that sets with sub-kinds
 *     (pendant lamps among table lamps) keep them.
 *  3. Each shape not pinned by orient.json takes, of the 24 quarter turns, the one with the best score,
 *     but only when it is clearly better than its current one (at most 0.7 times). Symmetric shapes (a
 *     vase turned about its axis) and ambiguous ones stay as they were.
 *  4. Steps 2-3 repeat until no shape turns (at most 8 rounds).
 * The majority decides: a set that mostly lies on its side becomes consistent but stays on its side
 * (say `--up` for the majority). Measured on procedural sets (6 categories x 20 shapes, three seeds of
 * random turns): with a sixth of each set turned by random quarter turns, 119-120 of 120 shapes end up
 * right side up (102-108 before); with a quarter turned, 118-119 (90-96 before), no upright shape
 * turned over; a third of the set turned one and the same way (z-up) partly keeps it, matching
 * itself: 104 of 120 (84 before). Turns other than quarter turns are not corrected; a single shape
 * never turns.
 */
import { allOrientations, orientationAxes, sameOrientation, type Orientation } from './normalize.js';

/** Cells per axis of the area grid. */
export const DESCRIPTOR_CELLS = 6;
const CELLS = DESCRIPTOR_CELLS ** 3;
/** Area-weighted points per mesh (plus one per triangle at least). */
const DESCRIPTOR_SAMPLES = 20000;

/**
 * The area grid of a mesh in its source axes: DESCRIPTOR_CELLS^3 shares summing to 1 (all 0 for a
 * mesh without area), index x + G*(y + G*z). Each triangle is cut into k^2 equal triangles (k from its
 * share of the area), whose centroids carry their area into the 8 nearest cell centres (trilinear).
 */
export function areaDescriptor(positions: Float32Array | Float64Array, indices: Uint32Array): Float64Array {
  const g = DESCRIPTOR_CELLS;
  const out = new Float64Array(CELLS);
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      if (positions[i + a] < min[a]) min[a] = positions[i + a];
      if (positions[i + a] > max[a]) max[a] = positions[i + a];
    }
  }
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(extent > 0)) return out;
  const center = [0, 1, 2].map((a) => (min[a] + max[a]) / 2);
  const areas = new Float64Array(indices.length / 3);
  let total = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const p = 3 * indices[t], q = 3 * indices[t + 1], r = 3 * indices[t + 2];
    const e1x = positions[q] - positions[p], e1y = positions[q + 1] - positions[p + 1], e1z = positions[q + 2] - positions[p + 2];
    const e2x = positions[r] - positions[p], e2y = positions[r + 1] - positions[p + 1], e2z = positions[r + 2] - positions[p + 2];
    const cx = e1y * e2z - e1z * e2y, cy = e1z * e2x - e1x * e2z, cz = e1x * e2y - e1y * e2x;
    areas[t / 3] = 0.5 * Math.sqrt(cx * cx + cy * cy + cz * cz);
    total += areas[t / 3];
  }
  if (!(total > 0)) return out;
  const perSample = total / DESCRIPTOR_SAMPLES;
  const cell = [0, 0, 0];
  for (let t = 0; t < indices.length; t += 3) {
    const area = areas[t / 3];
    if (!(area > 0)) continue;
    const p = 3 * indices[t], q = 3 * indices[t + 1], r = 3 * indices[t + 2];
    const k = Math.max(1, Math.ceil(Math.sqrt(area / perSample)));
    const weight = area / (k * k) / total;
    // Centroids of the regular subdivision: k(k+1)/2 upright and k(k-1)/2 inverted small triangles.
    for (let i = 0; i < k; i++) {
      for (let j = 0; i + j < k; j++) {
        for (let inverted = 0; inverted < 2; inverted++) {
          if (inverted && i + j >= k - 1) continue;
          const b1 = (i + (inverted ? 2 : 1) / 3) / k, b2 = (j + (inverted ? 2 : 1) / 3) / k, b0 = 1 - b1 - b2;
          for (let a = 0; a < 3; a++) {
            const v = b0 * positions[p + a] + b1 * positions[q + a] + b2 * positions[r + a];
            // Cell centres at integers: 0 .. g-1.
            cell[a] = Math.min(g - 1, Math.max(0, ((v - center[a]) / extent + 0.5) * g - 0.5));
          }
          splat(out, cell, weight);
        }
      }
    }
  }
  return out;
}

function splat(out: Float64Array, cell: number[], weight: number): void {
  const g = DESCRIPTOR_CELLS;
  const x0 = Math.min(g - 2, Math.floor(cell[0])), y0 = Math.min(g - 2, Math.floor(cell[1])), z0 = Math.min(g - 2, Math.floor(cell[2]));
  const fx = cell[0] - x0, fy = cell[1] - y0, fz = cell[2] - z0;
  for (let dz = 0; dz < 2; dz++) {
    const wz = dz ? fz : 1 - fz;
    for (let dy = 0; dy < 2; dy++) {
      const wy = dy ? fy : 1 - fy;
      const row = g * (y0 + dy + g * (z0 + dz)) + x0;
      out[row] += weight * wz * wy * (1 - fx);
      out[row + 1] += weight * wz * wy * fx;
    }
  }
}

/** Per orientation (in `allOrientations()` order), the source cell of each target cell. */
let cellMaps: Int32Array[] | null = null;

function cellMapOf(orientationIndex: number): Int32Array {
  if (!cellMaps) {
    const g = DESCRIPTOR_CELLS;
    cellMaps = allOrientations().map((o) => {
      const { axes, signs } = orientationAxes(o);
      const map = new Int32Array(CELLS);
      const target = [0, 0, 0], source = [0, 0, 0];
      for (let z = 0; z < g; z++) {
        for (let y = 0; y < g; y++) {
          for (let x = 0; x < g; x++) {
            target[0] = x; target[1] = y; target[2] = z;
            // The grid is centred on the bounding box, so a negated axis reads its cells backwards.
            for (let a = 0; a < 3; a++) source[axes[a]] = signs[a] > 0 ? target[a] : g - 1 - target[a];
            map[x + g * (y + g * z)] = source[0] + g * (source[1] + g * source[2]);
          }
        }
      }
      return map;
    });
  }
  return cellMaps[orientationIndex];
}

/** A mesh's area grid (from `areaDescriptor`) as it would be after turning the mesh by `orientation`. */
export function orientedDescriptor(descriptor: Float64Array, orientation: Orientation): Float64Array {
  const map = cellMapOf(allOrientations().findIndex((o) => sameOrientation(o, orientation)));
  const out = new Float64Array(CELLS);
  for (let i = 0; i < CELLS; i++) out[i] = descriptor[map[i]];
  return out;
}

/** L1 distance between two area grids (0 to 2). */
export function descriptorDistance(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d;
}

/** Knobs of `consensusOrientations`; the defaults are what `--orient auto` uses. */
export interface ConsensusOptions {
  /** Neighbours a shape is compared with. Default 3. */
  neighbours?: number;
  /** A shape turns only when its best turn scores at most this times its current one. Default 0.7. */
  ratio?: number;
  /** Rounds of comparing and turning. Default 8. */
  maxRounds?: number;
  /** Most shapes any shape is compared against (evenly spread over the set), to bound the cost. Default 256. */
  maxReferences?: number;
}

/** What `consensusOrientations` decided. */
export interface ConsensusResult {
  /** Per shape, the orientation to prepare it with. */
  orientations: Orientation[];
  /** Per shape, its score (mean distance to its nearest neighbours) at the end. */
  scores: number[];
  /** Rounds run (1 when nothing turned). */
  rounds: number;
}

/**
 * Steps 2-4 of the module's heuristic: `descriptors[i]` from `areaDescriptor`, `start[i]` the
 * orientation `--up`/orient.json give, `pinned[i]` true for shapes that must keep it. Deterministic:
 * each round compares every shape against the previous round's orientations.
 */
export function consensusOrientations(descriptors: Float64Array[], start: Orientation[], pinned: boolean[] = [], options: ConsensusOptions = {}): ConsensusResult {
  const neighbours = options.neighbours ?? 3, ratio = options.ratio ?? 0.7;
  const maxRounds = options.maxRounds ?? 8, maxReferences = options.maxReferences ?? 256;
  const n = descriptors.length;
  const candidates = allOrientations();
  // Every shape in every orientation, computed once.
  const turned = descriptors.map((d) => candidates.map((c) => orientedDescriptor(d, c)));
  const indexOf = (o: Orientation): number => candidates.findIndex((c) => sameOrientation(c, o));
  let current = start.map(indexOf);
  const step = Math.max(1, n / maxReferences);
  const references: number[] = [];
  for (let k = 0; k < n && references.length < maxReferences; k++) references.push(Math.floor(k * step));
  const nearest = new Float64Array(neighbours);
  // Mean distance of shape i turned by c to its `neighbours` nearest references (others, as they are now).
  const score = (i: number, c: number): number => {
    const q = turned[i][c];
    nearest.fill(Infinity);
    let found = 0;
    for (const j of references) {
      if (j === i) continue;
      const d = descriptorDistance(q, turned[j][current[j]]);
      found++;
      if (d >= nearest[neighbours - 1]) continue;
      let k = neighbours - 1;
      while (k > 0 && nearest[k - 1] > d) {
        nearest[k] = nearest[k - 1];
        k--;
      }
      nearest[k] = d;
    }
    const k = Math.min(neighbours, found);
    let sum = 0;
    for (let m = 0; m < k; m++) sum += nearest[m];
    return k > 0 ? sum / k : 0;
  };
  let rounds = 0;
  while (rounds < maxRounds) {
    rounds++;
    const next = current.slice();
    let anyTurned = false;
    for (let i = 0; i < n; i++) {
      if (pinned[i] || n < 2) continue;
      const now = score(i, current[i]);
      let best = now, bestC = current[i];
      for (let c = 0; c < candidates.length; c++) {
        if (c === current[i]) continue;
        const s = score(i, c);
        if (s < best - 1e-12) {
          best = s;
          bestC = c;
        }
      }
      if (bestC !== current[i] && best <= ratio * now) {
        next[i] = bestC;
        anyTurned = true;
      }
    }
    current = next;
    if (!anyTurned) break;
  }
  return {
    orientations: current.map((c) => ({ ...candidates[c] })),
    scores: current.map((c, i) => score(i, c)),
    rounds,
  };
}
