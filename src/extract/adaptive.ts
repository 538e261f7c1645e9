/**
 * Adaptive surface extraction: the dense extractor's mesh at a fraction of its evaluations.
 *
 * Levels. A coarse grid (by default 32^3 cells from 256^3 up, 16^3 below; every corner evaluated),
 * then finer grids up to the target resolution, each step splitting the kept cells by 2 (or by 4
 * and more to stay within `maxRounds`; 256^3: 32 -> 64 -> 128 -> 256, 4 rounds). A round is one
 * level's new corners, sent together in calls of `batchSize`: its points depend on the previous
 * round's values, so rounds, not calls, are the GPU round trips that cannot overlap.
 *
 * The rule. Values are read as a Lipschitz field h (IM-NET: occupancy = leakyClip(h), h piecewise
 * linear in xyz; the clip is inverted, see `lipschitzBand.ts`). With L a bound on |grad h|, a known
 * point c with |h(c) - iso| = d has no surface within d / L of it. At each level:
 * 1. A cell is refined when its corners disagree, or when its corners all carry a value and the mean
 *    of |h(c) - iso| is <= 1.121 L s (s: cell size; 1.121 = (3 + 3 sqrt 2 + sqrt 3) / 8, the largest
 *    mean distance from a point of a cube to its corners: a cheap necessary condition for a
 *    crossing), or when it touches the box with all corners inside (the cap there must be meshed).
 * 2. A refined cell keeps only the sub-cells not proven surface-free: a sub-cell is free when the
 *    exclusion balls of the known points around it (the cell's corners and the rest of its 4^3
 *    lattice block) cover it, tested by halving it up to twice. Free sub-cells on the box boundary
 *    that are inside are kept too (cap). Kept sub-cells get all their corners evaluated next round.
 * 3. At the target resolution every kept cell with disagreeing corners is marched with the same
 *    `CellMesher` as the dense grid, with the same corner values (points are computed with the same
 *    float formula), plus the padding cells that cap the box.
 * Every cell of the dense grid whose corners disagree holds a crossing, so each of its ancestors did
 * too: rule 1 refined them and rule 2 kept the sub-cell on the way. Hence, when L is a true bound,
 * the kept cells include all of dense's surface cells and the meshes are identical; thin parts
 * between coarse corners are found because their surroundings' values say they may be near.
 *
 * L. Default: the largest slope |h(a) - h(b)| / |a - b| seen between the corners of any cell on any
 * level so far, times `lipschitzSafety` (default 1). The largest slope is a proven lower bound, so L
 * is never below what the samples show (balls of opposite sides never overlap); on fields like
 * leakyClip(0.5 - k sdf) it finds k exactly, because h is linear along rays away from the surface.
 * Why safety 1: the band is as wide as L makes it. Evaluations at 256^3 (sphere, torus, chair,
 * thin; % of dense) were 2.38/1.83/1.77/0.77 at 1.0, 2.75/2.12/2.00/0.86 at 1.1, 3.25/2.51/2.39/0.97
 * at 1.25 and 4.0/3.1/3.0/1.16 at 1.5, against MISE's 3.14/2.43/1.90/0.98: only 1.0 stays within
 * MISE on the axis-aligned chair. Raise it, or pass `lipschitz`, for fields steeper near the surface
 * than anywhere the grids sample; surface tracking (below) covers the rest.
 *
 * Safety net: surface tracking, on every level. Once a level's values are in, each of its cells
 * whose face has disagreeing corners must have its neighbour across that face among the level's
 * kept cells (padding cells included); around each missing one, cells are added (`frontier.ts`).
 * On the levels before the last, the added cells are refined unseen into the next level with the
 * level's other cells, so tracking costs no round of its own; the first refined level grows far
 * along the surface (a disc in the plane the crossings around it fit, or a column through the
 * face), later ones add just the missing cell. On the last level the added cells (and the cells
 * within 2 of them, more while few are missing: {@link WIDEN_BUDGET}) are evaluated in extra rounds
 * until none is missing; after one such round, missing cells also grow the first refined level's
 * frontier again (escalation, see `frontier.ts`). So an underestimated L, or a field with no
 * distance at all, costs rounds, never holes: the mesh is always closed, and every surface
 * component it touches is complete. Only a part no kept cell touches (a thin part missed entirely)
 * depends on L alone. At 256^3 on 0/1 fields (no distance) from 16^3: a sphere and a
 * torus take 4 rounds, a 0.012-thick tilted plate 6 and a chair with 0.04-wide legs 5, other tilts
 * of them 6-11, the oblique 0.008 rod 7. From 32^3 (the default there, and ImplicitShape's start):
 * every tilt of the plate and the chair and the rod 5 rounds at 1.0-2.5% of dense (MISE:
 * 0.61-2.2%, missing 0.2-44% of the plates' triangles), sphere and torus 4.
 *
 * Fields without much distance. Saturated values (exactly 0 or 1; for clip/sigmoid at or beyond
 * them) carry none: a cell with one gets no band test and its corners cast no balls, so a binary
 * field gets sign-change refinement only (MISE's rule) plus tracking, and loses what MISE loses
 * and tracking cannot reach: thin parts between coarse corners that touch nothing found. A field whose values flatten away from the surface (a trained
 * decoder's h often levels off at a few units) keeps the band wide: on the fitted decoder in
 * `weights/analytic` at 128^3 the band costs 30-53% of dense; `guardBand: false` (sign changes,
 * ball pruning and tracking only) costs 3-6% there and still matched dense on the shapes tried, at
 * the risk of losing parts thinner than a coarse cell.
 *
 * Cost. Work is proportional to the kept cells; corner values live in a hash map keyed by their
 * index on the finest grid (`CornerValueMap`), never a dense array, so 512^3 and 1024^3 fit.
 *
 * Time slicing. Every pass over cells or points is a synchronous kernel over a range of them, run
 * in chunks with a checkpoint between chunks (`checkpoints.ts`); chunk sizes below keep a chunk
 * well under a millisecond.
 */

import { paddedCells, paddedCorners } from './boxPadding.js';
import type { Checkpoints } from './checkpoints.js';
import { CornerValueMap } from './cornerValueMap.js';
import { BLOCK_REACH, growFrontier, widenBlocks, type Frontier, type FrontierGrowth } from './frontier.js';
import { BAND_MEAN, ExclusionBalls, fieldOf, inverseActivation, largestSlope } from './lipschitzBand.js';
import { CellMesher } from './marchingCubes.js';
import { evaluateRound } from './occupancyBatches.js';
import type { ExtractedMesh, FieldActivation, OccupancyFunction, SurfaceMesh } from './types.js';
import { UintList } from './uintList.js';

/** Options of {@link extractSurfaceAdaptive}, all resolved (the public defaults live in `extractSurface`). */
export interface AdaptiveExtractionArgs {
  /** Cells per axis of each level, coarsest first, each a multiple of the one before; see {@link planLevels}. */
  levels: number[];
  /** Inside when value >= isoLevel. */
  isoLevel: number;
  /** Points per occupancy call. */
  batchSize: number;
  /** Abort signal and time slice, checked between chunks of CPU work and around every call. */
  checkpoints: Checkpoints;
  /** How to recover h from the values. */
  outputActivation: FieldActivation;
  /** Known bound on |grad h| (box units); undefined: estimated. */
  lipschitz?: number;
  /** Factor on the estimated bound. */
  lipschitzSafety: number;
  /** false: refine only cells whose corners disagree (still pruning their sub-cells by the balls). */
  guardBand: boolean;
  /** Also refine first-level cells with a corner value within this of `isoLevel` (0: off). */
  isoMargin: number;
}

// Aliases of the globals used in hot loops: inside vm contexts (jest's ESM runner, some sandboxes)
// every global lookup costs ~20x more, and these loops run millions of times per extraction.
const { abs, floor, max } = Math;
const isNaN = Number.isNaN;

/** The first pass of the last level's tracking whose missing cells also escalate; see `frontier.ts`. */
const ESCALATION_PASS = 1;

/**
 * The last level's tracking widens its blocks ring by ring (`widenBlocks` in `frontier.ts`), up to
 * {@link MAX_BLOCK_REACH}, while the cells a pass adds stay under this fraction of the level's kept
 * cells: few missing cells are reached far, many (a large part missed) no further than before.
 * Measured on the shipped categories x 4 latents (ImplicitShape's settings): at 256^3 chair and
 * table GAN sample 2 took 6 rounds, now 5, and every one of the 24 takes 4-5, at 1.007-1.163x
 * MISE's evaluations (was 1.005-1.156x); at 128^3 rounds are as they were (3-4), evaluations
 * 0-1.5% more. 1% (rings in the plane only) left the chair at 6 rounds; full rings (no plane)
 * needed 5% and cost 3.6-4.1% more on the two.
 */
const WIDEN_BUDGET = 0.02;
/**
 * How far widening reaches, in fine cells. A 1/512-thick tab sticking out of a sphere, which only
 * the 256^3 lattice sees, takes 5 rounds with 16 at 7, 10, 12 and 15 cells out; with 8, 6 rounds at
 * 10 and 12 out (5 at 7); with no widening, 6-7 rounds at 7, 10 and 12 out.
 */
const MAX_BLOCK_REACH = 16;

/** Halvings of a sub-cell the exclusion proof may try before keeping it. */
const COVER_DEPTH = 2;

/**
 * Items per chunk of each pass, so a chunk costs ~0.1-0.5 ms under jest on the dev machine (sphere
 * and thin fields at 256^3; see test/extract/timeSlice.test.ts). Refining is the costliest per cell
 * (up to 64 map reads and the ball covering of 8 sub-cells), gathering corners the cheapest.
 */
const SUBCELLS_PER_REFINE_CHUNK = 512;
const CELLS_PER_TRACK_CHUNK = 1024;
const CELLS_PER_MESH_CHUNK = 256;
const CELLS_PER_GATHER_CHUNK = 2048;
/** Map insertions, list pushes, key writes per chunk. */
const ITEMS_PER_CHUNK = 4096;
/** Floats per chunk of a plain copy. */
const FLOATS_PER_COPY_CHUNK = 262144;

/**
 * The levels for `resolution`: the coarsest grid of at least `coarseResolution` cells per axis that
 * doubles evenly up to `resolution`, then at most `maxRounds - 1` steps, the doublings spread as
 * evenly as they go, larger steps first (cells are fewest early, where a step of 4 costs least).
 * One level means the adaptive scheme cannot help: extract densely.
 */
export function planLevels(resolution: number, coarseResolution: number, maxRounds: number): number[] {
  let doublings = 0;
  while (resolution % 2 ** (doublings + 1) === 0 && resolution / 2 ** (doublings + 1) >= coarseResolution) {
    doublings++;
  }
  const steps = Math.min(doublings, maxRounds - 1);
  if (steps <= 0) return [resolution];
  const levels = [resolution / 2 ** doublings];
  for (let step = 0; step < steps; step++) {
    const stepDoublings = floor(doublings / steps) + (step < doublings % steps ? 1 : 0);
    levels.push(levels[levels.length - 1] * 2 ** stepDoublings);
  }
  return levels;
}

/**
 * Extracts dense's mesh at `levels[levels.length - 1]` while evaluating only near the surface (see
 * the file header for the rule and its guarantee).
 */
export async function extractSurfaceAdaptive(
  occupancy: OccupancyFunction,
  args: AdaptiveExtractionArgs,
): Promise<SurfaceMesh> {
  const { levels, isoLevel, batchSize, checkpoints, outputActivation } = args;
  const resolution = levels[levels.length - 1];
  const n = resolution + 1;
  // Sized for the first round, whose values are stored without a chance to grow the map in chunks.
  const values = new CornerValueMap(max(8192, (levels[0] + 1) ** 3));
  const stats = { evaluations: 0, rounds: 0, calls: 0 };

  /** One round: the corners keys[0..count), then their values into the map. */
  const evaluateCorners = async (keys: Uint32Array, count: number): Promise<void> => {
    if (count === 0) return;
    stats.calls += await evaluateRound(
      occupancy,
      {
        count,
        writePoints: (out, start, length) => writeCornerPoints(out, keys, start, length, resolution),
        store: (start, result) => {
          for (let i = 0; i < result.length; i++) values.set(keys[start + i], result[i]);
        },
      },
      batchSize,
      checkpoints,
      stats.calls,
    );
    stats.evaluations += count;
    stats.rounds++;
  };

  // Level 0: every corner, x fastest (as the dense extractor), then every cell.
  const coarse = levels[0];
  const stride = resolution / coarse;
  const coarseCorners = new Uint32Array((coarse + 1) ** 3);
  await checkpoints.forEachChunk(coarseCorners.length, ITEMS_PER_CHUNK, (from, to) =>
    writeLatticeKeys(coarseCorners, from, to, coarse, stride, n),
  );
  await evaluateCorners(coarseCorners, coarseCorners.length);
  const coarseCells = new UintList(coarse ** 3);
  await checkpoints.forEachChunk(coarse ** 3, ITEMS_PER_CHUNK, (from, to) => {
    for (let c = from; c < to; c++) coarseCells.push(c);
  });

  let cells = coarseCells;
  const isoField = inverseActivation(outputActivation, isoLevel);
  let slope = 0;
  let firstRefined: Frontier | null = null;
  for (let level = 0; level + 1 < levels.length; level++) {
    const r = levels[level];
    const cellCorners = new Float32Array(8 * cells.length);
    await gatherCorners(cellCorners, values, cells, 0, r, resolution, checkpoints);
    await checkpoints.forEachChunk(cells.length, CELLS_PER_GATHER_CHUNK, (from, to) => {
      slope = max(slope, largestSlope(cellCorners, from, to, r, outputActivation));
    });
    const lipschitz = max(args.lipschitz ?? args.lipschitzSafety * slope, slope);
    const step = levelStep(
      {
        values, resolution, isoLevel, isoField, activation: outputActivation, lipschitz, guardBand: args.guardBand,
        isoMargin: levelMargin(args.isoMargin, level),
        boundaryMargin: 2 * levelMargin(args.isoMargin, level),
      },
      cells, cellCorners, r, levels[level + 1],
    );
    // The coarsest level keeps every cell: nothing can leave it.
    const tracked =
      level === 0
        ? null
        : await trackFrontier(cells, cellCorners, values, r, resolution, isoLevel, frontierGrowth(levels, level), checkpoints);
    if (level === 1) firstRefined = tracked;
    const missing = tracked?.added ?? null;
    const cellsPerChunk = max(1, floor(SUBCELLS_PER_REFINE_CHUNK / (step.rc / r) ** 3));
    await checkpoints.forEachChunk(cells.length, cellsPerChunk, (from, to) => refineCells(step, from, to), [values]);
    if (missing !== null) {
      // Refined unseen: their values would cost a round of their own.
      await checkpoints.forEachChunk(missing.length, cellsPerChunk, (from, to) => refineMissing(step, missing, from, to), [values]);
    }
    cells = step.kept;
    await evaluateCorners(step.pending.data, step.pending.length);
  }

  // Surface tracking on the finest level (the safety net): repeat until no surface leaves the kept cells.
  const finest = cells;
  const kept = await cellSet(finest, checkpoints);
  let corners = new Float32Array(8 * finest.length);
  await gatherCorners(corners, values, finest, 0, resolution, resolution, checkpoints);
  const frontier: Frontier = {
    cells: finest, kept, values, r: resolution, resolution, isoLevel, growth: 'block', diskRadius: 0, beamLength: 0,
    // Added cells join the kept ones at once: this pass meets them at its end, the next checks them.
    added: finest,
    seeds: null,
    seedShapes: [],
    escalation: null,
  };
  const widenBudget = WIDEN_BUDGET * finest.length;
  const offsets = cornerKeyOffsets(1, resolution);
  for (let checked = 0, pass = 0; checked < finest.length; pass++) {
    const first = checked;
    const end = finest.length;
    const known = corners;
    // From the second pass on (an extra round that did not close the surface), a part still being
    // followed a few fine cells per round escalates. From the first, it would cost more for no
    // fewer rounds: the first pass mostly closes small gaps (measured on the 0/1 fields at 256^3;
    // from the third, the oblique rod took a round more from 32^3, 1-2 more from 16^3).
    const coarse = pass >= ESCALATION_PASS && firstRefined !== null && firstRefined.r < resolution ? firstRefined : null;
    if (coarse !== null) coarse.added = new UintList(256);
    frontier.escalation = coarse;
    const seeds = new UintList(256);
    frontier.seeds = seeds;
    frontier.seedShapes = [];
    await checkpoints.forEachChunk(
      end - first,
      CELLS_PER_TRACK_CHUNK,
      (from, to) => growFrontier(frontier, known, first + from, first + to),
      coarse !== null ? [kept, coarse.kept] : [kept],
    );
    checked = end;
    // Few missing cells: reach further around each while the round stays small (see WIDEN_BUDGET).
    for (let reach = BLOCK_REACH + 1; reach <= MAX_BLOCK_REACH && seeds.length > 0; reach++) {
      if (finest.length - end >= widenBudget) break;
      await checkpoints.forEachChunk(
        seeds.length,
        max(1, floor(CELLS_PER_TRACK_CHUNK / (24 * reach * reach))),
        (from, to) => widenBlocks(frontier, reach, from, to),
        [kept],
      );
    }
    if (coarse !== null && coarse.added.length > 0) {
      const grown = coarse.added;
      const q = resolution / coarse.r;
      await checkpoints.forEachChunk(
        grown.length,
        max(1, floor(SUBCELLS_PER_REFINE_CHUNK / q ** 3)),
        (from, to) => addFinestChildren(grown, from, to, coarse.r, resolution, kept, finest),
        [kept],
      );
    }
    if (finest.length === end) break;
    const pending = new UintList(8 * (finest.length - end));
    await checkpoints.forEachChunk(
      finest.length - end,
      CELLS_PER_GATHER_CHUNK,
      (from, to) => requestCorners(finest, end + from, end + to, resolution, offsets, values, pending),
      [values],
    );
    await evaluateCorners(pending.data, pending.length);
    const grown = new Float32Array(8 * finest.length);
    await checkpoints.forEachChunk(known.length, FLOATS_PER_COPY_CHUNK, (from, to) =>
      grown.set(known.subarray(from, to), from),
    );
    await gatherCorners(grown, values, finest, end, resolution, resolution, checkpoints);
    corners = grown;
  }
  return { ...(await meshCells(finest, corners, resolution, isoLevel, checkpoints)), stats };
}

/** What every cell decision of one level needs. */
interface LevelContext {
  values: CornerValueMap;
  /** The target resolution: corner keys are indices on its grid. */
  resolution: number;
  isoLevel: number;
  /** h at the iso-level. */
  isoField: number;
  activation: FieldActivation;
  /** Lipschitz bound in box units; 0 when unknown (no band, no balls). */
  lipschitz: number;
  /** Refine cells whose corners agree when the band says they may hold a crossing. */
  guardBand: boolean;
  /** Refine cells with a corner value within this of the iso-level (0: off). */
  isoMargin: number;
  /** The same for cells touching the box's boundary (twice `isoMargin`); see {@link levelMargin}. */
  boundaryMargin: number;
}

/**
 * The iso-margin of level `level`'s cells: `isoMargin` on the first level, halving with each level
 * after (as the cells do), and twice that on cells touching the box's boundary.
 *
 * Why every level: a faint part's values peak barely above the iso-level, and the corners of each
 * finer level come nearer to it without crossing. The shipped chair decoder (GAN sample 2 at
 * 128^3) leaves a blob 3 x 2 x 6 fine cells peaking at 0.52, whose nearest 32^3 corner reads 0.37
 * and nearest 64^3 corners 0.47-0.50: 0.1 on the first level alone refines towards it and loses it
 * a level later, whatever the first level's margin (0.1-0.3 all lost its 48 triangles).
 *
 * Why twice on the boundary: the box clips parts, so a part whose bulk lies outside it leaves
 * inside only its tip on the boundary face, as thin as it happens to be, with the coarse corners
 * seeing its flank from one side. The shipped chair decoder (GAN sample 1, earlier weights) left
 * two such ridges, one fine cell high, on the box's floor at 128^3: values reach 0.52-0.53 there
 * while the nearest 32^3 corners are 0.33 and 0.45 and the nearest 64^3 ones 0.52 and 0.49; both
 * are found with 0.2 on the first level and 0.1 on the next. Boundary cells are O(r^2) of the r^3.
 *
 * Cost, on the shipped categories x 4 latents at 128^3 from 32^3 with 0.1: 1.03-1.17x MISE's
 * evaluations and 3-4 rounds, every mesh identical to dense's; the margin on the first level only
 * took 1.02-1.15x and 4-5 rounds and lost that blob; the full margin on every level (0.1, 0.1)
 * 1.04-1.20x.
 */
export function levelMargin(isoMargin: number, level: number): number {
  return isoMargin / 2 ** level;
}

/** One refinement step, level r -> rc, while its cells are worked through in chunks. */
interface LevelStep extends LevelContext {
  /** The cells of level r, packed x + r (y + r z), and their 8 corner values each. */
  cells: UintList;
  corners: Float32Array;
  r: number;
  rc: number;
  /** Kept cells of level rc (the result). */
  kept: UintList;
  /** Corners of kept cells not evaluated yet (the next round). */
  pending: UintList;
  /** Key offsets of a level-rc cell's corners. */
  childOffsets: Float64Array;
  hasLipschitz: boolean;
  /** Ball radius in cell units per unit of |h - iso|: 1 / (L s) with s = 1 / r. */
  radiusScale: number;
  /** Largest mean |h - iso| of a cell that may hold a crossing. */
  bandLimit: number;
}

function levelStep(context: LevelContext, cells: UintList, corners: Float32Array, r: number, rc: number): LevelStep {
  const hasLipschitz = context.lipschitz > 0 && Number.isFinite(context.lipschitz);
  return {
    ...context, cells, corners, r, rc,
    kept: new UintList(4 * cells.length),
    pending: new UintList(4 * cells.length),
    childOffsets: cornerKeyOffsets(context.resolution / rc, context.resolution),
    hasLipschitz,
    radiusScale: hasLipschitz ? r / context.lipschitz : 0,
    bandLimit: (BAND_MEAN * context.lipschitz) / r,
  };
}

// Scratch of the kernels below: rewritten per cell, so never live across a checkpoint.
const _balls = new ExclusionBalls();
const _field = new Float64Array(8);

/**
 * Applies the rule to cells from..to-1 of the step's level r: adds their kept sub-cells of level
 * rc = r * f to `step.kept`, and those sub-cells' corners not evaluated yet to `step.pending`.
 */
function refineCells(step: LevelStep, from: number, to: number): void {
  const { values, resolution, isoLevel, isoField, activation, guardBand, cells, corners, r, rc } = step;
  const { kept, pending, childOffsets, hasLipschitz, radiusScale, bandLimit } = step;
  const f = rc / r;
  const n = resolution + 1;
  const stride = resolution / r;
  const childStride = resolution / rc;
  const h = _field;
  const balls = _balls;

  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const cx = cell % r;
    const cy = floor(cell / r) % r;
    const cz = floor(cell / (r * r));
    let insideCount = 0;
    let saturated = false;
    let distanceSum = 0;
    let nearIso = false;
    const onBoundary = cx === 0 || cy === 0 || cz === 0 || cx === r - 1 || cy === r - 1 || cz === r - 1;
    const isoMargin = onBoundary ? step.boundaryMargin : step.isoMargin;
    for (let c = 0; c < 8; c++) {
      const v = corners[8 * i + c];
      if (v >= isoLevel) insideCount++;
      if (abs(v - isoLevel) <= isoMargin) nearIso = true;
      h[c] = fieldOf(activation, v);
      if (isNaN(h[c])) saturated = true;
      else distanceSum += abs(h[c] - isoField);
    }
    const mayCross =
      (insideCount > 0 && insideCount < 8) ||
      (isoMargin > 0 && nearIso) ||
      (guardBand && hasLipschitz && !saturated && distanceSum <= 8 * bandLimit);
    if (!mayCross && !(onBoundary && insideCount === 8)) continue;

    balls.clear();
    if (mayCross && hasLipschitz) {
      // The cell's 4^3 lattice block: its corners, then the neighbours' corners known so far.
      const base = stride * (cx + n * (cy + n * cz));
      for (let k = -1; k <= 2; k++) {
        for (let j = -1; j <= 2; j++) {
          for (let l = -1; l <= 2; l++) {
            const x = cx + l;
            const y = cy + j;
            const z = cz + k;
            if (x < 0 || y < 0 || z < 0 || x > r || y > r || z > r) continue;
            const own = l >= 0 && l <= 1 && j >= 0 && j <= 1 && k >= 0 && k <= 1;
            const v = own ? corners[8 * i + l + 2 * j + 4 * k] : values.get(base + stride * (l + n * (j + n * k)));
            const field = fieldOf(activation, v); // NaN for unknown and saturated points: no ball
            if (isNaN(field)) continue;
            balls.add(l, j, k, abs(field - isoField) * radiusScale, v >= isoLevel);
          }
        }
      }
    }

    const subSize = 1 / f;
    for (let s = 0; s < f * f * f; s++) {
      const a = s % f;
      const b = floor(s / f) % f;
      const e = floor(s / (f * f));
      const qx = cx * f + a;
      const qy = cy * f + b;
      const qz = cz * f + e;
      const childOnBoundary = qx === 0 || qy === 0 || qz === 0 || qx === rc - 1 || qy === rc - 1 || qz === rc - 1;
      let keep: boolean;
      if (mayCross) {
        const side = balls.coveredSide(a * subSize, b * subSize, e * subSize, subSize, COVER_DEPTH);
        keep = side < 0 || (side === 1 && childOnBoundary);
      } else {
        // Refined only to cap the box: the cell is inside throughout.
        keep = childOnBoundary;
      }
      if (!keep) continue;
      kept.push(qx + rc * (qy + rc * qz));
      const childBase = childStride * (qx + n * (qy + n * qz));
      for (let c = 0; c < 8; c++) {
        const key = childBase + childOffsets[c];
        if (values.addIfAbsent(key)) pending.push(key);
      }
    }
  }
}

/** Growth of each level's tracking; see `frontier.ts`. */
interface LevelGrowth {
  growth: FrontierGrowth;
  diskRadius: number;
  beamLength: number;
}

/**
 * The first refined level follows the surface (disc, column along a fitted rod's axis or through the
 * face, sized by the step into it): it is the first to see parts thinner than the coarse cells, which can run
 * on for a coarse cell or two between the corners that saw them. Later levels add only the missing
 * cell: a cell refined unseen costs the next level's corners, and what a finer level misses lies
 * within a cell of what it found (measured on the binary fields at 256^3: larger growths there cost
 * 5-10% more evaluations for no fewer rounds).
 */
function frontierGrowth(levels: readonly number[], level: number): LevelGrowth {
  if (level !== 1) return { growth: 'cell', diskRadius: 0, beamLength: 0 };
  const step = levels[1] / levels[0];
  // Measured on the binary fields at 256^3: from 32^3 (step 2) a disc of 6 and a column of 12 take
  // every tilted plate and chair in 5 rounds (3 and 4: 7); from 16^3 (step 4) larger growths than
  // 5 and 8 cost more rounds on the chairs, not fewer.
  return step === 2 ? { growth: 'shape', diskRadius: 6, beamLength: 12 } : { growth: 'shape', diskRadius: step + 1, beamLength: 2 * step };
}

/**
 * Tracking on level r (cells with their 8 corner values each): the cells not kept where the surface
 * leaves the kept ones, with their growth.
 */
async function trackFrontier(
  cells: UintList,
  corners: Float32Array,
  values: CornerValueMap,
  r: number,
  resolution: number,
  isoLevel: number,
  { growth, diskRadius, beamLength }: LevelGrowth,
  checkpoints: Checkpoints,
): Promise<Frontier> {
  const kept = await cellSet(cells, checkpoints);
  const frontier: Frontier = {
    cells, kept, values, r, resolution, isoLevel, growth, diskRadius, beamLength, added: new UintList(1024),
    seeds: null,
    seedShapes: [],
    escalation: null,
  };
  await checkpoints.forEachChunk(
    cells.length,
    CELLS_PER_TRACK_CHUNK,
    (from, to) => growFrontier(frontier, corners, from, to),
    [kept],
  );
  return frontier;
}

/** `cells` as a set (a map whose values are never read). */
async function cellSet(cells: UintList, checkpoints: Checkpoints): Promise<CornerValueMap> {
  const set = new CornerValueMap(2 * cells.length);
  await checkpoints.forEachChunk(
    cells.length,
    ITEMS_PER_CHUNK,
    (from, to) => {
      for (let i = from; i < to; i++) set.addIfAbsent(cells.data[i]);
    },
    [set],
  );
  return set;
}

/**
 * Cells missing[from..to-1] of the step's level r (found by tracking, corners never evaluated): all
 * their sub-cells are kept, their corners not evaluated yet go to `step.pending`.
 */
function refineMissing(step: LevelStep, missing: UintList, from: number, to: number): void {
  const { values, resolution, r, rc, kept, pending, childOffsets } = step;
  const f = rc / r;
  const n = resolution + 1;
  const childStride = resolution / rc;
  for (let i = from; i < to; i++) {
    const cell = missing.data[i];
    const cx = cell % r;
    const cy = floor(cell / r) % r;
    const cz = floor(cell / (r * r));
    for (let s = 0; s < f * f * f; s++) {
      const qx = cx * f + (s % f);
      const qy = cy * f + (floor(s / f) % f);
      const qz = cz * f + floor(s / (f * f));
      kept.push(qx + rc * (qy + rc * qz));
      const childBase = childStride * (qx + n * (qy + n * qz));
      for (let c = 0; c < 8; c++) {
        const key = childBase + childOffsets[c];
        if (values.addIfAbsent(key)) pending.push(key);
      }
    }
  }
}

/** Adds the finest-level cells inside level-r cells[from..to-1] that are not in `kept` to it and to `finest`. */
function addFinestChildren(
  cells: UintList,
  from: number,
  to: number,
  r: number,
  resolution: number,
  kept: CornerValueMap,
  finest: UintList,
): void {
  const q = resolution / r;
  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const cx = cell % r;
    const cy = floor(cell / r) % r;
    const cz = floor(cell / (r * r));
    for (let s = 0; s < q * q * q; s++) {
      const child = cx * q + (s % q) + resolution * (cy * q + (floor(s / q) % q) + resolution * (cz * q + floor(s / (q * q))));
      if (kept.addIfAbsent(child)) finest.push(child);
    }
  }
}

/** Adds the corners of finest cells[from..to-1] not in `values` yet to `values` (pending) and `pending`. */
function requestCorners(
  cells: UintList,
  from: number,
  to: number,
  r: number,
  offsets: Float64Array,
  values: CornerValueMap,
  pending: UintList,
): void {
  const n = r + 1;
  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const base = (cell % r) + n * ((floor(cell / r) % r) + n * floor(cell / (r * r)));
    for (let c = 0; c < 8; c++) if (values.addIfAbsent(base + offsets[c])) pending.push(base + offsets[c]);
  }
}

/** Marches the finest kept cells (8 corner values each in `corners`) and their padding cells. */
async function meshCells(
  cells: UintList,
  corners: Float32Array,
  resolution: number,
  isoLevel: number,
  checkpoints: Checkpoints,
): Promise<ExtractedMesh> {
  const mesher = new CellMesher(resolution, isoLevel, max(1024, cells.length));
  await checkpoints.forEachChunk(
    cells.length,
    CELLS_PER_MESH_CHUNK,
    (from, to) => meshCellRange(mesher, cells, corners, resolution, from, to),
    [mesher],
  );
  return mesher.finishSliced(checkpoints);
}

/** Adds cells from..to-1 and their padding cells to `mesher`. */
function meshCellRange(
  mesher: CellMesher,
  cells: UintList,
  corners: Float32Array,
  r: number,
  from: number,
  to: number,
): void {
  const padded = _padded;
  const cellCorners = _corners;
  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const cx = cell % r;
    const cy = floor(cell / r) % r;
    const cz = floor(cell / (r * r));
    mesher.addCell(cx, cy, cz, corners, 8 * i);
    const count = paddedCells(cx, cy, cz, r, padded);
    for (let p = 1; p < count; p++) {
      const px = padded[3 * p];
      const py = padded[3 * p + 1];
      const pz = padded[3 * p + 2];
      paddedCorners(corners, 8 * i, cx, cy, cz, px, py, pz, r, cellCorners);
      mesher.addCell(px, py, pz, cellCorners);
    }
  }
}

const _padded = new Int32Array(3 * 8);
const _corners = new Float64Array(8);

/**
 * Writes the 8 corner values of cells[first..] (packed x + r (y + r z) at resolution r), from the
 * map, into `out` at 8 * index, in chunks.
 */
async function gatherCorners(
  out: Float32Array,
  values: CornerValueMap,
  cells: UintList,
  first: number,
  r: number,
  resolution: number,
  checkpoints: Checkpoints,
): Promise<void> {
  const offsets = cornerKeyOffsets(resolution / r, resolution);
  await checkpoints.forEachChunk(cells.length - first, CELLS_PER_GATHER_CHUNK, (from, to) =>
    gatherCornerRange(out, values, cells, first + from, first + to, r, resolution, offsets),
  );
}

/** The kernel of {@link gatherCorners}: cells from..to-1. */
function gatherCornerRange(
  out: Float32Array,
  values: CornerValueMap,
  cells: UintList,
  from: number,
  to: number,
  r: number,
  resolution: number,
  offsets: Float64Array,
): void {
  const stride = resolution / r;
  const n = resolution + 1;
  for (let i = from; i < to; i++) {
    const cell = cells.data[i];
    const base = stride * ((cell % r) + n * ((floor(cell / r) % r) + n * floor(cell / (r * r))));
    for (let c = 0; c < 8; c++) out[8 * i + c] = values.get(base + offsets[c]);
  }
}

/** Keys of the lattice corners from..to-1 of a coarse^3-cell grid (x fastest), `stride` finest cells apart. */
function writeLatticeKeys(out: Uint32Array, from: number, to: number, coarse: number, stride: number, n: number): void {
  const m = coarse + 1;
  for (let i = from; i < to; i++) {
    const x = i % m;
    const y = floor(i / m) % m;
    const z = floor(i / (m * m));
    out[i] = stride * (x + n * (y + n * z));
  }
}

/** Key offset of each cell corner from corner 0, for cells `stride` finest cells wide. */
function cornerKeyOffsets(stride: number, resolution: number): Float64Array {
  const n = resolution + 1;
  const offsets = new Float64Array(8);
  for (let c = 0; c < 8; c++) offsets[c] = stride * ((c & 1) + n * (((c >> 1) & 1) + n * (c >> 2)));
  return offsets;
}

/** Writes xyz of the corners keys[start..start+count) at -0.5 + index / resolution (as the dense extractor). */
function writeCornerPoints(
  points: Float32Array,
  keys: Uint32Array,
  start: number,
  count: number,
  resolution: number,
): void {
  const n = resolution + 1;
  for (let i = 0; i < count; i++) {
    const key = keys[start + i];
    const x = key % n;
    const yz = (key - x) / n;
    const y = yz % n;
    const z = (yz - y) / n;
    points[3 * i] = -0.5 + x / resolution;
    points[3 * i + 1] = -0.5 + y / resolution;
    points[3 * i + 2] = -0.5 + z / resolution;
  }
}
