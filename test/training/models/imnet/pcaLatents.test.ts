/**
 * PCA starting codes for the auto-decoder: fitted on real voxel grids, they tell shapes apart, keep
 * inside [0, 1], reproduce a training shape's code when it is encoded again, and put a new shape
 * near the training shape it resembles.
 */
import { averagePool64, fitPcaEncoder } from '../../../../training/models/imnet/pcaLatents.js';
import { useTrainingBackend } from '../../trainFixtures.js';

/** A 64^3 grid holding a box from `lo` to `hi` (voxel indices, inclusive per axis). */
function boxGrid(lo: [number, number, number], hi: [number, number, number]): Uint8Array {
  const grid = new Uint8Array(64 ** 3);
  for (let z = lo[2]; z <= hi[2]; z++) for (let y = lo[1]; y <= hi[1]; y++) for (let x = lo[0]; x <= hi[0]; x++) grid[x + 64 * (y + 64 * z)] = 1;
  return grid;
}

/** Boxes whose height and width vary: two real degrees of freedom. */
const shapes = Array.from({ length: 12 }, (_, i) => boxGrid([20 - (i % 4) * 2, 10, 20], [40 + (i % 4) * 2, 20 + Math.floor(i / 4) * 10, 44]));

beforeAll(() => useTrainingBackend('wasm'));

describe('averagePool64', () => {
  it('averages 2x2x2 blocks into occupancy fractions', () => {
    const grid = new Uint8Array(64 ** 3);
    grid[0] = 1; // one of block (0,0,0)'s 8 voxels
    for (const [x, y, z] of [[2, 0, 0], [3, 0, 0], [2, 1, 0], [3, 1, 0], [2, 0, 1], [3, 0, 1], [2, 1, 1], [3, 1, 1]]) grid[x + 64 * (y + 64 * z)] = 1;
    const pooled = averagePool64(grid);
    expect(pooled.length).toBe(32 ** 3);
    expect(pooled[0]).toBe(0.125);
    expect(pooled[1]).toBe(1);
    expect(pooled.reduce((a, b) => a + b, 0)).toBe(1.125);
    expect(() => averagePool64(new Uint8Array(10))).toThrow(/expected 262144 voxels, got 10/);
  });
});

describe('fitPcaEncoder', () => {
  it('gives distinct codes in [0, 1], the leading component widest, and the same code when a shape is encoded again', async () => {
    const pca = await fitPcaEncoder(shapes, 16);
    try {
      expect(pca.componentCount).toBeLessThanOrEqual(11);
      expect(pca.componentCount).toBeGreaterThanOrEqual(2);
      expect(pca.explainedVariance[0]).toBeGreaterThanOrEqual(pca.explainedVariance[1]);
      expect(pca.explainedVariance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const codes = pca.encode(shapes);
      for (const code of codes) {
        expect(code.length).toBe(16);
        for (const v of code) {
          expect(v).toBeGreaterThanOrEqual(0.05 - 1e-6);
          expect(v).toBeLessThanOrEqual(0.95 + 1e-6);
        }
        // Past the components found, codes stay at the centre.
        expect(Array.from(code.subarray(pca.componentCount))).toEqual(new Array(16 - pca.componentCount).fill(0.5));
      }
      const keys = new Set(codes.map((c) => Array.from(c.subarray(0, 3), (v) => v.toFixed(4)).join(',')));
      expect(keys.size).toBe(shapes.length);
      // Deterministic: encoding again gives the same codes bit for bit.
      expect(pca.encode(shapes.slice(3, 4))[0]).toEqual(codes[3]);
    } finally {
      pca.dispose();
    }
  });

  it('puts an unseen shape nearest the training shape it differs least from', async () => {
    const pca = await fitPcaEncoder(shapes, 8);
    try {
      const codes = pca.encode(shapes);
      // Shape 5's box, one voxel taller: new, but closest to shape 5.
      const unseen = boxGrid([18, 10, 20], [42, 31, 44]);
      const [code] = pca.encode([unseen]);
      const distances = codes.map((c) => Math.hypot(...Array.from(c, (v, k) => v - code[k])));
      expect(distances.indexOf(Math.min(...distances))).toBe(5);
    } finally {
      pca.dispose();
    }
  });

  it('refuses fewer than two shapes and grids that are all the same', async () => {
    await expect(fitPcaEncoder(shapes.slice(0, 1), 8)).rejects.toThrow(/needs at least 2 training shapes, got 1/);
    await expect(fitPcaEncoder([shapes[0], shapes[0], shapes[0]], 8)).rejects.toThrow(/all training grids are identical/);
  });
});
