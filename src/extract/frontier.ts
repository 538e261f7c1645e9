/**
 * Surface tracking: where the surface leaves the kept cells of one level, and which cells to add.
 *
 * A kept cell's face whose corners disagree is crossed by the surface, so the cell beyond it holds
 * surface on its own level and on every finer one (the face's finer corners include its own, which
 * disagree). When that cell is not kept, the coarser levels missed a piece there: a part thinner
 * than their cells whose values carry no distance (a binary field, a saturated decoder), or a field
 * steeper than the Lipschitz estimate. The cell beyond is missing; tracking adds it and, to reach
 * the rest of the piece in the same round, cells around it (the growth):
 *
 * - `'block'`: the cells within {@link BLOCK_REACH} of the missing one (the finest level, whose
 *   additions are evaluated in an extra round each).
 * - `'cell'`: the missing cell only.
 * - `'shape'`: follows the surface. The crossings (edges with disagreeing ends) among the known
 *   corners around the cell it leaves are fitted with a plane; when they lie in one (the smallest
 *   principal spread under {@link PLANAR_SPREAD} of the middle one: a thin sheet such as a tilted
 *   plate), the growth is a disc of `diskRadius` cells in that plane through the missing cell, one
 *   cell to either side; when they lie along a line (the middle spread under {@link LINEAR_SPREAD}
 *   of the largest: a rod thinner than the cells), a column of `beamLength` cells along that line,
 *   away from the kept cell, one cell around it; otherwise (a leg, a junction) a column of
 *   `beamLength` cells straight on through the face. The rod's column took the oblique 0.008 rod of
 *   the `thin` field at 256^3 (0/1) from 25 rounds to 9 (16^3 start) and 7 (32^3 start); escalating
 *   after one extra round instead of two, 8 and 6; with {@link FIT_REACH} 3 and a column of
 *   {@link ROD_COLUMN_FACTOR} x `beamLength`, 7 and 5. Measured at 256^3 on 0/1 fields from a 16^3 start (growth on the
 *   64^3 level, disc 5, beam 8): a 0.012-thick tilted plate and a chair with 0.04-wide legs go from
 *   15 and 19 rounds to 5 each, at 0.96x and 0.97x MISE's evaluations. On plates whose tilt leaves
 *   the 16^3 grid only a few corners inside them, discs of 5 reach too little: 7-56 rounds (see
 *   `test/bench/extractBench.ts`, variant `binary`).
 *
 * Escalation: when the last level's tracking still finds missing cells after an extra round (a
 * part the coarse levels barely touched, followed two fine cells per round), each missing cell
 * whose ancestor on the first refined level is not kept also grows that level's frontier, and the
 * caller refines those coarse cells straight to the last level: a round then reaches a disc of 5
 * coarse cells (20 fine ones at 256^3) instead of one fine cell. Measured at 256^3 on the other
 * tilts of the plate and the chair (`THIN_TILTED_VARIANTS`): 7-59 rounds become 7-12 (escalating after two extra rounds and a 3^3 block; 6-12 after one, with
 * a 5^3 block), at 1.0-1.35x
 * the evaluations on the chairs and 1.3-2.3x on the plates (a part found late is refined from 64^3
 * to 256^3 in one step), which then cost 1.4-2.4x MISE's (MISE loses 20-44% of their triangles).
 *
 * Widening: on the finest level a pass's blocks can grow ring by ring around their missing cells
 * (`widenBlocks`, while the caller's budget lasts), so that a part found there is reached whole in
 * one round rather than followed {@link BLOCK_REACH} cells per round. Where the crossings around the
 * kept cell lie in a plane, a ring keeps only its cells within {@link PLANAR_HALF_THICKNESS} of that
 * plane and those straight on through the face: the parts the shipped decoders leave to the finest
 * level are patches of a surface that grazes the lattice (values hovering at the iso-level, crossing
 * it only between the 128^3 corners), 10-20 fine cells across and 2-3 thick, continuing the surface
 * the kept cell holds; a thin part sticking out of it leaves through the face. Full rings reached too
 * little within the same budget (chair GAN sample 2 at 256^3 kept its 6 rounds).
 *
 * What the added cells become is the caller's: evaluated in another round on the finest level, or
 * refined into the next level with the round that refines the level's other cells (so a level's
 * tracking costs no round of its own).
 */

import type { CornerValueMap } from './cornerValueMap.js';
import { clampCell, paddedCells, paddedCorners } from './boxPadding.js';
import type { UintList } from './uintList.js';

// Aliases of the globals used in hot loops: inside vm contexts (jest's ESM runner, some sandboxes)
// every global lookup costs ~20x more.
const { abs, acos, cos, floor, sqrt } = Math;
const isNaN = Number.isNaN;

/** How far tracking reaches from each missing cell in one round; see the file header. */
export type FrontierGrowth = 'block' | 'cell' | 'shape';

/** Below this ratio of the smallest to the middle principal spread, crossings count as one plane. */
export const PLANAR_SPREAD = 0.2;

/**
 * `'block'` growth: cells within this many of the missing one on each axis (a 5^3 block). Measured
 * on the shipped decoders at 128^3 (ImplicitShape's settings): 1 (a 3^3 block) left three of 24
 * latents at 5-6 rounds, 2 takes every one within 5 at 0.7% more evaluations (1% on the 0/1 fields
 * at 256^3 from 32^3, whose rounds it leaves as they were; from 16^3 the other tilts of the plate
 * and the chair move by a round either way, 7-12 becoming 6-13 with escalation after two extra
 * rounds); 3 saves no further round.
 */
export const BLOCK_REACH = 2;

/**
 * Lattice points on either side of the cell the surface leaves, for the plane or line fit (an 8^3
 * block). Measured at 256^3 on the 0/1 fields: with 2 (a 6^3 block) the oblique rod's fitted axis
 * strays enough that a column of 24 cells leaves the rod after about 12; with 3 the column follows
 * it to its end, and the rod takes 5 rounds from 32^3 (was 6) and 7 from 16^3 (was 8), the other
 * tilts of the plate and the chair from 16^3 6-11 (were 6-12; the tests' tilted plate 6, was 5),
 * the plates and chairs from 32^3 5 as before, within 0.7% of the evaluations; the shipped decoders
 * at 128^3 as before.
 */
const FIT_REACH = 3;

/**
 * A rod's column is this many times `beamLength` (24 cells from a 32^3 start): its axis is fitted
 * from crossings, so it can run further than a column through a face, and a rod thinner
 * than the coarse cells leaves long stretches between the coarse corners inside it.
 */
const ROD_COLUMN_FACTOR = 2;

/**
 * {@link widenBlocks} on a seed whose crossings lie in a plane: ring cells further than this from
 * that plane (in cells) are left out, but for a column straight on through the face.
 */
const PLANAR_HALF_THICKNESS = 1.5;

/** Fewest crossings a plane is fitted to. */
const FIT_MIN_CROSSINGS = 6;

/** Corner bits of each cell face: -x, +x, -y, +y, -z, +z. */
const FACE_CORNERS = [0x55, 0xaa, 0x33, 0xcc, 0x0f, 0xf0];

/** One level's tracking state, while its cells are worked through in chunks. */
export interface Frontier {
  /** Kept cells of the level, packed x + r (y + r z); cells from..to of a call are checked. */
  cells: UintList;
  /** The same cells as a set, plus every cell added so far. */
  kept: CornerValueMap;
  /** Corner values, keyed by index on the finest grid (NaN: not evaluated). */
  values: CornerValueMap;
  /** Cells per axis of this level. */
  r: number;
  /** Cells per axis of the finest grid. */
  resolution: number;
  isoLevel: number;
  growth: FrontierGrowth;
  /** `'shape'`: radius of the disc, in cells of this level. */
  diskRadius: number;
  /** `'shape'`: length of the column, in cells of this level. */
  beamLength: number;
  /** Cells added (the result). */
  added: UintList;
  /** `'block'`: the missing cells themselves, for {@link widenBlocks}; null: not recorded. */
  seeds: UintList | null;
  /**
   * 5 per seed: the kept cell it was reached from (packed), the face it was reached through
   * (axis * 2, + 1 when towards +), then the unit normal of the plane the crossings around the kept
   * cell lie in (NaN x 3 when they do not), fitted by the first {@link widenBlocks} only: most passes
   * never widen.
   */
  seedShapes: number[];
  /**
   * A coarser level's tracking to escalate to, or null: a missing cell whose ancestor there is not
   * kept also grows that level's frontier from the ancestor (into `escalation.added`), reaching as
   * far in coarse cells as this level's growth does in its own.
   */
  escalation: Frontier | null;
}

const _padded = new Int32Array(3 * 8);
const _cellCorners = new Float64Array(8);
const _normal = new Float64Array(3);

/**
 * Tracking for cells from..to-1 of `frontier.cells` (8 corner values each in `corners`): for each of
 * them and of its padding cells, every face whose corners disagree must lead to a kept cell (a
 * padding neighbour counts by the grid cell it clamps to); around each one that does not, the
 * growth's cells not kept yet are added to `kept` and `added`.
 */
export function growFrontier(frontier: Frontier, corners: Float32Array, from: number, to: number): void {
  const { cells, kept, r, isoLevel } = frontier;
  const padded = _padded;
  const cellCorners = _cellCorners;
  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const cx = cell % r;
    const cy = floor(cell / r) % r;
    const cz = floor(cell / (r * r));
    const count = paddedCells(cx, cy, cz, r, padded);
    for (let p = 0; p < count; p++) {
      const px = padded[3 * p];
      const py = padded[3 * p + 1];
      const pz = padded[3 * p + 2];
      paddedCorners(corners, 8 * i, cx, cy, cz, px, py, pz, r, cellCorners);
      let caseIndex = 0;
      for (let c = 0; c < 8; c++) if (cellCorners[c] >= isoLevel) caseIndex |= 1 << c;
      if (caseIndex === 0 || caseIndex === 255) continue;
      for (let face = 0; face < 6; face++) {
        const bits = caseIndex & FACE_CORNERS[face];
        if (bits === 0 || bits === FACE_CORNERS[face]) continue;
        const axis = face >> 1;
        const step = face & 1 ? 1 : -1;
        const nx = clampCell(px + (axis === 0 ? step : 0), r);
        const ny = clampCell(py + (axis === 1 ? step : 0), r);
        const nz = clampCell(pz + (axis === 2 ? step : 0), r);
        if (kept.has(nx + r * (ny + r * nz))) continue;
        grow(frontier, cx, cy, cz, nx, ny, nz, axis, step);
        const coarse = frontier.escalation;
        if (coarse !== null) {
          const q = r / coarse.r;
          const ax = floor(nx / q);
          const ay = floor(ny / q);
          const az = floor(nz / q);
          if (!coarse.kept.has(ax + coarse.r * (ay + coarse.r * az))) {
            grow(coarse, floor(cx / q), floor(cy / q), floor(cz / q), ax, ay, az, axis, step);
          }
        }
      }
    }
  }
}

/** Adds the growth around missing cell (nx, ny, nz), reached from kept cell (cx, cy, cz) through a face. */
function grow(
  frontier: Frontier,
  cx: number,
  cy: number,
  cz: number,
  nx: number,
  ny: number,
  nz: number,
  axis: number,
  step: number,
): void {
  const { growth } = frontier;
  if (growth === 'cell') {
    addCell(frontier, nx, ny, nz);
    return;
  }
  if (growth === 'block') {
    if (frontier.seeds !== null) {
      const r = frontier.r;
      frontier.seeds.push(nx + r * (ny + r * nz));
      frontier.seedShapes.push(cx + r * (cy + r * cz), axis * 2 + (step > 0 ? 1 : 0), NaN, NaN, NaN);
    }
    for (let dz = -BLOCK_REACH; dz <= BLOCK_REACH; dz++) {
      for (let dy = -BLOCK_REACH; dy <= BLOCK_REACH; dy++) {
        for (let dx = -BLOCK_REACH; dx <= BLOCK_REACH; dx++) addCell(frontier, nx + dx, ny + dy, nz + dz);
      }
    }
    return;
  }
  const normal = _normal;
  const fit = fitCrossings(frontier, cx, cy, cz, normal);
  if (fit === LINE) {
    // Along the rod, away from the kept cell, with the cells around the axis (a rod up to a cell wide).
    const sign = (axis === 0 ? normal[0] : axis === 1 ? normal[1] : normal[2]) * step < 0 ? -1 : 1;
    const ux = sign * normal[0];
    const uy = sign * normal[1];
    const uz = sign * normal[2];
    for (let k = 0; k < ROD_COLUMN_FACTOR * frontier.beamLength; k++) {
      const x = nx + floor(ux * k + 0.5);
      const y = ny + floor(uy * k + 0.5);
      const z = nz + floor(uz * k + 0.5);
      for (let d = 0; d < 27; d++) addCell(frontier, x + (d % 3) - 1, y + (floor(d / 3) % 3) - 1, z + floor(d / 9) - 1);
    }
  } else if (fit === PLANE) {
    const radius = frontier.diskRadius;
    const [ax, ay, az] = normal;
    for (let dz = -radius; dz <= radius; dz++) {
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          if (dx * dx + dy * dy + dz * dz > radius * radius) continue;
          if (abs(ax * dx + ay * dy + az * dz) > 1) continue;
          addCell(frontier, nx + dx, ny + dy, nz + dz);
        }
      }
    }
  } else {
    for (let k = 0; k < frontier.beamLength; k++) {
      addCell(
        frontier,
        nx + (axis === 0 ? k * step : 0),
        ny + (axis === 1 ? k * step : 0),
        nz + (axis === 2 ? k * step : 0),
      );
    }
  }
}

/**
 * Widens the blocks around seeds from..to-1 of `frontier.seeds` from reach `reach - 1` to `reach`:
 * adds the cells at Chebyshev distance `reach` from each seed (for a seed whose crossings lie in a
 * plane, those near the plane and those straight on through its face; see the file header). Called
 * for reach {@link BLOCK_REACH} + 1, + 2, ... in turn: the first call fits the planes.
 */
export function widenBlocks(frontier: Frontier, reach: number, from: number, to: number): void {
  const seeds = frontier.seeds;
  if (seeds === null) return;
  const r = frontier.r;
  for (let i = from; i < to; i++) {
    const seed = seeds.data[i];
    const sx = seed % r;
    const sy = floor(seed / r) % r;
    const sz = floor(seed / (r * r));
    const shape = frontier.seedShapes;
    if (reach === BLOCK_REACH + 1) {
      const kept = shape[5 * i];
      if (fitCrossings(frontier, kept % r, floor(kept / r) % r, floor(kept / (r * r)), _normal) === PLANE) {
        shape[5 * i + 2] = _normal[0];
        shape[5 * i + 3] = _normal[1];
        shape[5 * i + 4] = _normal[2];
      }
    }
    const face = shape[5 * i + 1];
    const ax = shape[5 * i + 2];
    const ay = shape[5 * i + 3];
    const az = shape[5 * i + 4];
    const faceAxis = face >> 1;
    const faceStep = face & 1 ? 1 : -1;
    const planar = !isNaN(ax);
    for (let dz = -reach; dz <= reach; dz++) {
      const zEdge = dz === -reach || dz === reach;
      for (let dy = -reach; dy <= reach; dy++) {
        const yzEdge = zEdge || dy === -reach || dy === reach;
        // Inside the shell only the two x ends are new.
        const dxStep = yzEdge ? 1 : 2 * reach;
        for (let dx = -reach; dx <= reach; dx += dxStep) {
          if (planar && abs(ax * dx + ay * dy + az * dz) > PLANAR_HALF_THICKNESS) {
            const along = faceAxis === 0 ? dx : faceAxis === 1 ? dy : dz;
            const across = faceAxis === 0 ? max2(abs(dy), abs(dz)) : faceAxis === 1 ? max2(abs(dx), abs(dz)) : max2(abs(dx), abs(dy));
            if (along !== faceStep * reach || across > 1) continue;
          }
          addCell(frontier, sx + dx, sy + dy, sz + dz);
        }
      }
    }
  }
}

function max2(a: number, b: number): number {
  return a > b ? a : b;
}

function addCell(frontier: Frontier, x: number, y: number, z: number): void {
  const r = frontier.r;
  if (x < 0 || y < 0 || z < 0 || x >= r || y >= r || z >= r) return;
  const cell = x + r * (y + r * z);
  if (frontier.kept.addIfAbsent(cell)) frontier.added.push(cell);
}

/** Second moments of the crossings: xx, yy, zz, xy, xz, yz (about their mean). */
const _moments = new Float64Array(6);

/**
 * Fits a plane to the crossings among the known lattice corners around cell (cx, cy, cz) of the
 * level; writes its unit normal to `normal` and returns true when they lie in one.
 */
function fitCrossings(frontier: Frontier, cx: number, cy: number, cz: number, normal: Float64Array): number {
  const { values, r, resolution, isoLevel } = frontier;
  const n = resolution + 1;
  const stride = resolution / r;
  let count = 0;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let sxx = 0;
  let syy = 0;
  let szz = 0;
  let sxy = 0;
  let sxz = 0;
  let syz = 0;
  for (let k = -FIT_REACH; k <= FIT_REACH + 1; k++) {
    const z = cz + k;
    if (z < 0 || z > r) continue;
    for (let j = -FIT_REACH; j <= FIT_REACH + 1; j++) {
      const y = cy + j;
      if (y < 0 || y > r) continue;
      for (let l = -FIT_REACH; l <= FIT_REACH + 1; l++) {
        const x = cx + l;
        if (x < 0 || x > r) continue;
        const key = stride * (x + n * (y + n * z));
        const v = values.get(key);
        if (isNaN(v)) continue;
        const inside = v >= isoLevel;
        for (let e = 0; e < 3; e++) {
          if ((e === 0 ? x : e === 1 ? y : z) === r) continue;
          const w = values.get(key + stride * (e === 0 ? 1 : e === 1 ? n : n * n));
          if (isNaN(w) || w >= isoLevel === inside) continue;
          const mx = l + (e === 0 ? 0.5 : 0);
          const my = j + (e === 1 ? 0.5 : 0);
          const mz = k + (e === 2 ? 0.5 : 0);
          count++;
          sx += mx;
          sy += my;
          sz += mz;
          sxx += mx * mx;
          syy += my * my;
          szz += mz * mz;
          sxy += mx * my;
          sxz += mx * mz;
          syz += my * mz;
        }
      }
    }
  }
  if (count < FIT_MIN_CROSSINGS) return NO_FIT;
  const mx = sx / count;
  const my = sy / count;
  const mz = sz / count;
  const m = _moments;
  m[0] = sxx / count - mx * mx;
  m[1] = syy / count - my * my;
  m[2] = szz / count - mz * mz;
  m[3] = sxy / count - mx * my;
  m[4] = sxz / count - mx * mz;
  m[5] = syz / count - my * mz;
  if (planeNormal(m, normal)) return PLANE;
  return lineDirection(m, normal) ? LINE : NO_FIT;
}

/** What {@link fitCrossings} found: no shape, crossings in a plane (a sheet), along a line (a rod). */
const NO_FIT = 0;
const PLANE = 1;
const LINE = 2;

/**
 * The eigenvector of the largest eigenvalue of the symmetric matrix `m` (xx, yy, zz, xy, xz, yz),
 * when the middle one is under {@link LINEAR_SPREAD} of it (crossings along a line: a rod); false
 * otherwise.
 */
export function lineDirection(m: Float64Array, direction: Float64Array): boolean {
  const eigen = symmetricEigenvalues(m);
  if (!eigen || !(eigen.middle < LINEAR_SPREAD * eigen.largest)) return false;
  const [a, b, c, d, e, f] = m;
  return nullVector(a - eigen.largest, b - eigen.largest, c - eigen.largest, d, e, f, direction);
}

/**
 * The eigenvalues of the symmetric 3x3 matrix `m` (xx, yy, zz, xy, xz, yz), in the trigonometric
 * form q +- 2p cos(phi + k 2pi/3); null when all three are equal (no direction stands out).
 */
function symmetricEigenvalues(m: Float64Array): { largest: number; middle: number; smallest: number } | null {
  const [a, b, c, d, e, f] = m;
  const q = (a + b + c) / 3;
  const offDiagonal = d * d + e * e + f * f;
  const p = sqrt(((a - q) ** 2 + (b - q) ** 2 + (c - q) ** 2 + 2 * offDiagonal) / 6);
  if (!(p > 1e-12)) return null;
  const ba = (a - q) / p;
  const bb = (b - q) / p;
  const bc = (c - q) / p;
  const bd = d / p;
  const be = e / p;
  const bf = f / p;
  const det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be);
  const phi = acos(det / 2 < -1 ? -1 : det / 2 > 1 ? 1 : det / 2) / 3;
  const largest = q + 2 * p * cos(phi);
  const smallest = q + 2 * p * cos(phi + (2 * Math.PI) / 3);
  return { largest, middle: 3 * q - largest - smallest, smallest };
}

/** Below this ratio of the middle to the largest principal spread, crossings count as one line. */
export const LINEAR_SPREAD = 0.2;

/**
 * A unit vector orthogonal to the rows (xx, d, e), (d, yy, f), (e, f, zz) of a singular symmetric
 * matrix: the longest cross product of two rows.
 */
function nullVector(r0x: number, r1y: number, r2z: number, d: number, e: number, f: number, out: Float64Array): boolean {
  let best = 0;
  for (let pair = 0; pair < 3; pair++) {
    const x = pair === 0 ? d * f - e * r1y : pair === 1 ? d * r2z - e * f : r1y * r2z - f * f;
    const y = pair === 0 ? e * d - r0x * f : pair === 1 ? e * e - r0x * r2z : f * e - d * r2z;
    const z = pair === 0 ? r0x * r1y - d * d : pair === 1 ? r0x * f - d * e : d * f - r1y * e;
    const length = sqrt(x * x + y * y + z * z);
    if (length > best) {
      best = length;
      out[0] = x / length;
      out[1] = y / length;
      out[2] = z / length;
    }
  }
  return best > 0;
}

/**
 * The eigenvector of the smallest eigenvalue of the symmetric matrix `m` (xx, yy, zz, xy, xz, yz),
 * when that eigenvalue is under {@link PLANAR_SPREAD} of the middle one; false otherwise.
 */
export function planeNormal(m: Float64Array, normal: Float64Array): boolean {
  const eigen = symmetricEigenvalues(m);
  if (!eigen || !(eigen.smallest < PLANAR_SPREAD * eigen.middle)) return false;
  // The normal is orthogonal to the rows of m - smallest I.
  const [a, b, c, d, e, f] = m;
  return nullVector(a - eigen.smallest, b - eigen.smallest, c - eigen.smallest, d, e, f, normal);
}
