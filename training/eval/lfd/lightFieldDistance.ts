/**
 * Matching two light field descriptors as 3DRetrieval_v1.8's `MatchLF` does: the cost of every view of
 * one model against every view of the other, then the smallest sum of 10 view costs over all pairs of
 * light fields (10 x 10) and all 60 rotations of the dodecahedron. The per-pair work is a pure function
 * over typed arrays (`lightFieldDistanceOfFeatures`), so a matrix can be split across workers.
 */
import { LFD_CONSTANTS, LIGHT_FIELDS, ROTATIONS, VIEWS, VIEWS_PER_MODEL } from './lfdConstants.js';
import { FEATURES_PER_VIEW, type LightFieldDescriptor } from './LightFieldDescriptor.js';

/** Scratch for one pair: the 100 x 100 view costs. */
export function createCostScratch(): Int32Array {
  return new Int32Array(VIEWS_PER_MODEL * VIEWS_PER_MODEL);
}

const _cost = createCostScratch();

/**
 * LFD between two models given their `matchingFeatures()` (47 values per view, 100 views): an integer,
 * symmetric, 0 for a model against itself. `cost` is scratch of 10,000 ints (`createCostScratch()`).
 */
export function lightFieldDistanceOfFeatures(a: Int16Array, b: Int16Array, align10: Uint8Array = LFD_CONSTANTS.align10, cost: Int32Array = _cost): number {
  const n = VIEWS_PER_MODEL, f = FEATURES_PER_VIEW;
  if (a.length !== n * f || b.length !== n * f) {
    throw new RangeError(`lightFieldDistance: features have ${a.length} and ${b.length} values; expected ${n * f} each (${f} per view x ${n} views)`);
  }
  for (let i = 0; i < n; i++) {
    const ai = i * f;
    for (let j = 0; j < n; j++) {
      const bj = j * f;
      let sum = 0;
      for (let k = 0; k < f; k++) {
        const d = a[ai + k] - b[bj + k];
        sum += d < 0 ? -d : d;
      }
      cost[i * n + j] = sum;
    }
  }
  let best = Infinity;
  for (let la = 0; la < LIGHT_FIELDS; la++) {
    for (let lb = 0; lb < LIGHT_FIELDS; lb++) {
      const rowBase = la * VIEWS * n + lb * VIEWS;
      for (let r = 0; r < ROTATIONS; r++) {
        const rotation = r * VIEWS;
        let sum = 0;
        for (let m = 0; m < VIEWS; m++) sum += cost[rowBase + m * n + align10[rotation + m]];
        if (sum < best) best = sum;
      }
    }
  }
  return best;
}

/** LFD between two descriptors. */
export function lightFieldDistance(a: LightFieldDescriptor, b: LightFieldDescriptor): number {
  return lightFieldDistanceOfFeatures(a.matchingFeatures(), b.matchingFeatures());
}

/** LFD from one descriptor to each of many, in order. */
export function lightFieldDistancesToMany(a: LightFieldDescriptor, many: readonly LightFieldDescriptor[]): Int32Array {
  const features = a.matchingFeatures();
  return Int32Array.from(many, (b) => lightFieldDistanceOfFeatures(features, b.matchingFeatures()));
}

/** Which block of a distance matrix to compute. */
export interface LfdMatrixOptions {
  /** First row (default 0). */
  rowStart?: number;
  /** One past the last row (default: all rows). */
  rowEnd?: number;
}

/**
 * Distances between `rows` and `cols` (e.g. reference x generated), row-major `(rowEnd - rowStart) x
 * cols.length`; a worker can take a block of rows. Pairs of the same descriptor object are 0 without work.
 */
export function lightFieldDistanceMatrix(rows: readonly LightFieldDescriptor[], cols: readonly LightFieldDescriptor[], options: LfdMatrixOptions = {}): Int32Array {
  const { rowStart = 0, rowEnd = rows.length } = options;
  if (!(Number.isInteger(rowStart) && Number.isInteger(rowEnd) && rowStart >= 0 && rowStart <= rowEnd && rowEnd <= rows.length)) {
    throw new RangeError(`lightFieldDistanceMatrix: rows ${rowStart}..${rowEnd}; expected integers with 0 <= rowStart <= rowEnd <= ${rows.length}`);
  }
  const out = new Int32Array((rowEnd - rowStart) * cols.length);
  const colFeatures = cols.map((c) => c.matchingFeatures());
  for (let i = rowStart; i < rowEnd; i++) {
    const a = rows[i].matchingFeatures();
    for (let j = 0; j < cols.length; j++) {
      out[(i - rowStart) * cols.length + j] = rows[i] === cols[j] ? 0 : lightFieldDistanceOfFeatures(a, colFeatures[j]);
    }
  }
  return out;
}
