/**
 * COV and MMD on hand-made sets with known answers, and the generation Chamfer distance they are
 * computed with (2,048 surface points) on parallel squares, where it is exactly 2 d^2.
 */
import { coverageAndMmd } from '../../../training/eval/generationMetrics.js';
import { chamferDistance, chamferDistanceMatrix, GENERATION_SURFACE_POINTS, generationSurfacePoints } from '../../../training/eval/metrics.js';

/** An n x n grid of points on the plane z = height. */
function planePoints(n: number, height: number): Float32Array {
  const out = new Float32Array(3 * n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.set([i / n, j / n, height], 3 * (i * n + j));
  return out;
}

/** The unit square [0,1]^2 at z = height, two triangles. */
function square(height: number): { positions: Float32Array; indices: Uint32Array } {
  return { positions: Float32Array.from([0, 0, height, 1, 0, height, 1, 1, height, 0, 1, height]), indices: Uint32Array.from([0, 1, 2, 0, 2, 3]) };
}

describe('coverageAndMmd', () => {
  test('a 3 x 4 matrix worked by hand: COV uses each generated shape\'s nearest reference, MMD each reference\'s nearest generated', () => {
    const distances = [
      1, 5, 9, 2,
      4, 3, 8, 7,
      6, 2, 0.5, 9,
    ];
    const scores = coverageAndMmd(distances, 3, 4);
    expect(scores.mmd).toBeCloseTo((1 + 3 + 0.5) / 3, 12);
    // Generated 0 and 3 are nearest reference 0, generated 1 and 2 nearest reference 2: reference 1 is
    // not covered although generated 1 is its nearest.
    expect(Array.from(scores.nearestReference)).toEqual([0, 2, 2, 0]);
    expect(Array.from(scores.nearestGenerated)).toEqual([0, 1, 2]);
    expect(scores.covered).toBe(2);
    expect(scores.coverage).toBeCloseTo(2 / 3, 12);
  });

  test('a generated set equal to the reference covers it all at MMD 0', () => {
    const sets = [0, 0.5, 1].map((z) => planePoints(8, z));
    const scores = coverageAndMmd(chamferDistanceMatrix(sets, sets), 3, 3);
    expect(scores.coverage).toBe(1);
    expect(scores.mmd).toBe(0);
  });

  test('planes: Chamfer distances 2 (a - b)^2 give the COV and MMD computed by hand', () => {
    const reference = [0, 0.5, 1].map((z) => planePoints(10, z));
    const generated = [0.1, 0.05, 1.1].map((z) => planePoints(10, z));
    const matrix = chamferDistanceMatrix(reference, generated);
    expect(matrix[1]).toBeCloseTo(2 * 0.05 ** 2, 7);
    const scores = coverageAndMmd(matrix, 3, 3);
    // Reference 0 is nearest to generated 0 and 1, reference 2 to generated 2; reference 1 (z = 0.5) is missed.
    expect(Array.from(scores.nearestReference)).toEqual([0, 0, 2]);
    expect(scores.coverage).toBeCloseTo(2 / 3, 12);
    expect(scores.mmd).toBeCloseTo((2 * 0.05 ** 2 + 2 * 0.4 ** 2 + 2 * 0.1 ** 2) / 3, 6);
  });

  test('an empty generated shape (infinite distance) is never the nearest', () => {
    const scores = coverageAndMmd([Infinity, 3, Infinity, 4], 2, 2);
    expect(Array.from(scores.nearestGenerated)).toEqual([1, 1]);
    expect(scores.mmd).toBe(3.5);
    expect(scores.coverage).toBe(0.5);
  });

  test('refuses a matrix of the wrong size, NaN, and empty sets', () => {
    expect(() => coverageAndMmd([1, 2, 3], 2, 2)).toThrow(/3 distances; expected 2 x 2 = 4/);
    expect(() => coverageAndMmd([1, NaN], 1, 2)).toThrow(/reference 0 to generated 1 is NaN/);
    expect(() => coverageAndMmd([], 0, 5)).toThrow(RangeError);
  });
});

describe('generation Chamfer distance', () => {
  test('uses 2,048 surface points; two parallel squares d apart are 2 d^2 apart', () => {
    const a = generationSurfacePoints(square(0), 7), b = generationSurfacePoints(square(0.125), 7);
    expect(a.length).toBe(3 * GENERATION_SURFACE_POINTS);
    // The same seed on the same triangles puts b's points exactly d above a's: every nearest distance is d.
    expect(chamferDistance(a, b)).toBeCloseTo(2 * 0.125 ** 2, 6);
    expect(chamferDistance(a, a)).toBe(0);
  });

  test('a block of rows of the matrix equals the same rows of the whole', () => {
    const sets = [0, 0.25, 0.5, 0.75].map((z) => planePoints(6, z));
    const whole = chamferDistanceMatrix(sets, sets.slice(1));
    expect(Array.from(chamferDistanceMatrix(sets, sets.slice(1), { rowStart: 2, rowEnd: 4 }))).toEqual(Array.from(whole.subarray(6)));
    expect(() => chamferDistanceMatrix(sets, sets, { rowStart: 3, rowEnd: 2 })).toThrow(RangeError);
  });
});
