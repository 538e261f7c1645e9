import { createRandom } from '#core';
import { IMNET_SAMPLE_COUNTS, nearSurfaceBlocks, sampleLevel, stridedGrid, stridedOrder } from '../../../../training/data/dataset/sampling.js';
import { maxPool } from '../../../../training/data/voxel/maxPool.js';

const R = 128;

/** A solid axis-aligned box of voxels [lo, hi) per axis in an R^3 grid. */
function boxGrid(lo: number[], hi: number[]): Uint8Array {
  const grid = new Uint8Array(R ** 3);
  for (let z = lo[2]; z < hi[2]; z++) for (let y = lo[1]; y < hi[1]; y++) for (let x = lo[0]; x < hi[0]; x++) grid[x + R * (y + R * z)] = 1;
  return grid;
}

/** A solid ball, big enough that its near-surface blocks outnumber the 64-level budget. */
function ballGrid(radius: number): Uint8Array {
  const grid = new Uint8Array(R ** 3);
  const c = R / 2;
  for (let z = 0; z < R; z++) for (let y = 0; y < R; y++) for (let x = 0; x < R; x++) {
    if ((x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2 + (z + 0.5 - c) ** 2 < radius ** 2) grid[x + R * (y + R * z)] = 1;
  }
  return grid;
}

function blockOf(points: Uint8Array, s: number, level: number): number {
  const m = R / level;
  return Math.floor(points[3 * s] / m) + level * (Math.floor(points[3 * s + 1] / m) + level * Math.floor(points[3 * s + 2] / m));
}

describe('IM-NET point sampling', () => {
  const box = boxGrid([30, 40, 50], [90, 70, 80]);

  test('counts per level are 4096, 4096 and 16384, and every value is the voxel at its point', () => {
    const random = createRandom(1);
    for (const level of [16, 32, 64] as const) {
      const { points, values } = sampleLevel(box, R, level, IMNET_SAMPLE_COUNTS[level], random);
      expect(values.length).toBe(IMNET_SAMPLE_COUNTS[level]);
      expect(points.length).toBe(3 * IMNET_SAMPLE_COUNTS[level]);
      let mismatches = 0;
      for (let s = 0; s < values.length; s++) {
        if (values[s] !== box[points[3 * s] + R * (points[3 * s + 1] + R * points[3 * s + 2])]) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });

  test('level 16 takes one point in every block, an occupied one wherever the block holds any', () => {
    const { points, values } = sampleLevel(box, R, 16, 4096, createRandom(2));
    const pooled = maxPool(box, R, 16);
    const seen = new Uint8Array(4096);
    let mismatches = 0;
    for (let s = 0; s < 4096; s++) {
      const block = blockOf(points, s, 16);
      seen[block]++;
      if (values[s] !== pooled[block]) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(seen.every((n) => n === 1)).toBe(true);
  });

  test('levels 32 and 64 take every near-surface block once, then fill with other blocks', () => {
    for (const level of [32, 64] as const) {
      const count = IMNET_SAMPLE_COUNTS[level];
      const pooled = maxPool(box, R, level);
      const near = new Set(nearSurfaceBlocks(pooled, level));
      expect(near.size).toBeLessThan(count);
      const { points, nearSurfaceBlocks: found, exceeded } = sampleLevel(box, R, level, count, createRandom(3));
      expect(found).toBe(near.size);
      expect(exceeded).toBe(false);
      const blocks = Array.from({ length: count }, (_, s) => blockOf(points, s, level));
      expect(new Set(blocks).size).toBe(count);
      // Near-surface blocks come first, all of them.
      expect(new Set(blocks.slice(0, near.size))).toEqual(near);
    }
  });

  test('near-surface points lie within two blocks of the surface', () => {
    // The box's faces in voxel coordinates: x 30..90, y 40..70, z 50..80.
    const lo = [30, 40, 50], hi = [90, 70, 80];
    for (const level of [32, 64] as const) {
      const m = R / level;
      const pooled = maxPool(box, R, level);
      const nearCount = nearSurfaceBlocks(pooled, level).length;
      const { points } = sampleLevel(box, R, level, IMNET_SAMPLE_COUNTS[level], createRandom(4));
      let farthest = 0;
      for (let s = 0; s < nearCount; s++) {
        const p = [points[3 * s] + 0.5, points[3 * s + 1] + 0.5, points[3 * s + 2] + 0.5];
        const outside = Math.hypot(...p.map((v, a) => Math.max(lo[a] - v, 0, v - hi[a])));
        const inside = Math.min(...p.map((v, a) => Math.min(v - lo[a], hi[a] - v)));
        farthest = Math.max(farthest, outside > 0 ? outside : inside);
      }
      expect(farthest).toBeLessThanOrEqual(2 * m * Math.sqrt(3));
    }
  });

  test('when near-surface blocks outnumber the budget, a spread subset of them is taken', () => {
    const ball = ballGrid(56);
    const pooled = maxPool(ball, R, 64);
    const near = nearSurfaceBlocks(pooled, 64);
    expect(near.length).toBeGreaterThan(16384);
    const { points, exceeded } = sampleLevel(ball, R, 64, 16384, createRandom(5));
    expect(exceeded).toBe(true);
    const nearSet = new Set(near);
    const slabs = new Array(64).fill(0);
    const blocks = new Set<number>();
    let notNear = 0;
    for (let s = 0; s < 16384; s++) {
      const block = blockOf(points, s, 64);
      if (!nearSet.has(block)) notNear++;
      blocks.add(block);
      slabs[Math.floor(points[3 * s + 1] / 2)]++;
    }
    expect(notNear).toBe(0);
    expect(blocks.size).toBe(16384);
    // Every y slab that has surface keeps samples (IM-NET's strided cut-off would drop whole slabs).
    const slabsWithSurface = new Set(Array.from(near, (b) => Math.floor(b / 64) % 64));
    for (const y of slabsWithSurface) expect(slabs[y]).toBeGreaterThan(0);
  });

  test('the same seed gives the same points; another seed other points', () => {
    const a = Buffer.from(sampleLevel(box, R, 64, 16384, createRandom(7)).points);
    expect(a.equals(Buffer.from(sampleLevel(box, R, 64, 16384, createRandom(7)).points))).toBe(true);
    expect(a.equals(Buffer.from(sampleLevel(box, R, 64, 16384, createRandom(8)).points))).toBe(false);
  });

  test("IM-NET's strided order visits 0,4,8,.. then 1,5,.. then 2,6,.. then 3,7,..", () => {
    expect(stridedOrder(8)).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
  });

  test('the strided 64^3 grid reads the voxel at 2 + 4i of a 256^3 grid without dilating', () => {
    const r = 256;
    const grid = new Uint8Array(r ** 3);
    grid[2 + r * (6 + r * 10)] = 1; // read by cell (0, 1, 2)
    grid[3 + r * (6 + r * 10)] = 1; // not read by any cell
    const strided = stridedGrid(grid, r);
    expect(strided.reduce((s, v) => s + v, 0)).toBe(1);
    expect(strided[0 + 64 * (1 + 64 * 2)]).toBe(1);
  });
});
