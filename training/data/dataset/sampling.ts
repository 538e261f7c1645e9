/**
 * IM-NET's training points, after its `point_sampling` code (vox2pointvaluepair), from a solid
 * voxelization at resolution R (256 in IM-NET; any multiple of 64 up to 256 here).
 *
 * For a level L (16, 32, 64) the grid is max-pooled to L^3 blocks of m = R/L voxels a side. A sample is
 * one voxel of a block whose value equals the block's pooled value (so a block with any occupied
 * voxel gives an occupied point); its coordinate is (p + 0.5)/R - 0.5 and its value that 0/1.
 *  - Level 16 (4096 points): one point per block, every block.
 *  - Levels 32 (4096) and 64 (16384): the "near-surface" blocks first, those whose 3x3x3 neighbourhood
 *    in the pooled grid is not uniform, visited in IM-NET's strided order (coordinates 0,4,8,.. then
 *    1,5,9,.. per axis; y outermost). When there are fewer than needed, random other blocks fill up
 *    (each block at most once); when there are more, a seeded uniform subset is kept.
 *
 * Two deliberate differences from IM-NET: (1) border blocks count (IM-NET skips the outermost layer;
 * our shapes touch the box, and the runtime caps surfaces there, so outside the grid counts as empty);
 * (2) an excess of near-surface blocks is thinned uniformly, where IM-NET stops at the budget in
 * strided order and so drops whole slabs of the grid.
 */
import { maxPool } from '../voxel/maxPool.js';

/** A sampling level: the pooled grid's size per axis. */
export type SampleLevel = 16 | 32 | 64;

/** The levels, coarse to fine. */
export const SAMPLE_LEVELS: readonly SampleLevel[] = [16, 32, 64];

/** IM-NET's points per shape and level. */
export const IMNET_SAMPLE_COUNTS: Readonly<Record<SampleLevel, number>> = { 16: 4096, 32: 4096, 64: 16384 };

/** One level's samples. */
export interface LevelSamples {
  /** Voxel indices at resolution R, n*3 bytes (x, y, z). */
  points: Uint8Array;
  /** 0/1 per point. */
  values: Uint8Array;
  /** Near-surface blocks found at this level (all blocks at a one-point-per-block level). */
  nearSurfaceBlocks: number;
  /** More near-surface blocks than points: they were thinned. */
  exceeded: boolean;
}

/** Tries at a random voxel of a block before scanning it, as IM-NET's `sample_point_in_cube`. */
const RANDOM_TRIES = 100;

/** IM-NET's strided visiting order of 0..n-1: 0,4,8,..,1,5,9,..,2,6,..,3,7,.. */
export function stridedOrder(n: number): number[] {
  const order: number[] = [];
  for (let start = 0; start < 4; start++) for (let i = start; i < n; i += 4) order.push(i);
  return order;
}

/** Blocks (indices into the pooled grid) whose 3x3x3 neighbourhood mixes 0 and 1, in strided order. */
export function nearSurfaceBlocks(pooled: Uint8Array, level: number): Int32Array {
  const order = stridedOrder(level);
  const found: number[] = [];
  for (const y of order) {
    for (const x of order) {
      for (const z of order) {
        if (isNearSurface(pooled, level, x, y, z)) found.push(x + level * (y + level * z));
      }
    }
  }
  return Int32Array.from(found);
}

function isNearSurface(pooled: Uint8Array, n: number, x: number, y: number, z: number): boolean {
  const first = pooled[x + n * (y + n * z)];
  for (let dz = -1; dz <= 1; dz++) {
    const zz = z + dz;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        // Outside the grid is empty.
        const v = xx < 0 || yy < 0 || zz < 0 || xx >= n || yy >= n || zz >= n ? 0 : pooled[xx + n * (yy + n * zz)];
        if (v !== first) return true;
      }
    }
  }
  return false;
}

/**
 * Samples `count` points at one level from an R^3 0/1 grid. `count` equal to level^3 takes one point
 * per block; a smaller count takes near-surface blocks first (see the module comment). `pooled` is the
 * grid max-pooled to level^3, when the caller has it already.
 */
export function sampleLevel(voxels: Uint8Array, resolution: number, level: number, count: number, random: () => number, pooled?: Uint8Array): LevelSamples {
  if (resolution % level !== 0 || resolution > 256) {
    throw new RangeError(`resolution ${resolution}: expected a multiple of ${level} no larger than 256 (points are stored as bytes)`);
  }
  const blockCount = level ** 3;
  if (count > blockCount) throw new RangeError(`level ${level} has ${blockCount} blocks; cannot take ${count} points, one per block`);
  pooled ??= maxPool(voxels, resolution, level);
  let blocks: Int32Array;
  let nearCount = blockCount;
  let exceeded = false;
  if (count === blockCount) {
    blocks = new Int32Array(blockCount);
    for (let i = 0; i < blockCount; i++) blocks[i] = i;
  } else {
    const near = nearSurfaceBlocks(pooled, level);
    nearCount = near.length;
    if (near.length >= count) {
      exceeded = near.length > count;
      blocks = exceeded ? uniformSubset(near, count, random) : near;
    } else {
      blocks = new Int32Array(count);
      blocks.set(near);
      const taken = new Uint8Array(blockCount);
      for (const b of near) taken[b] = 1;
      for (let filled = near.length; filled < count;) {
        const b = Math.floor(random() * blockCount);
        if (taken[b]) continue;
        taken[b] = 1;
        blocks[filled++] = b;
      }
    }
  }
  const points = new Uint8Array(count * 3);
  const values = new Uint8Array(count);
  const m = resolution / level;
  for (let s = 0; s < count; s++) {
    const block = blocks[s];
    const bx = block % level, by = ((block / level) | 0) % level, bz = (block / (level * level)) | 0;
    const target = pooled![block];
    pointInBlock(voxels, resolution, bx * m, by * m, bz * m, m, target, random, points, 3 * s);
    values[s] = target;
  }
  return { points, values, nearSurfaceBlocks: nearCount, exceeded };
}

/** Keeps `count` of `items` chosen uniformly (seeded), in their original order. */
function uniformSubset(items: Int32Array, count: number, random: () => number): Int32Array {
  const positions = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) positions[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (items.length - i));
    const t = positions[i]; positions[i] = positions[j]; positions[j] = t;
  }
  const chosen = positions.subarray(0, count).sort();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = items[chosen[i]];
  return out;
}

/** Writes into `out` a voxel of the block at (x0, y0, z0), size m, whose value is `target`. */
function pointInBlock(voxels: Uint8Array, r: number, x0: number, y0: number, z0: number, m: number, target: number, random: () => number, out: Uint8Array, at: number): void {
  for (let t = 0; t < RANDOM_TRIES; t++) {
    const x = x0 + Math.floor(random() * m), y = y0 + Math.floor(random() * m), z = z0 + Math.floor(random() * m);
    if (voxels[x + r * (y + r * z)] === target) {
      out[at] = x; out[at + 1] = y; out[at + 2] = z;
      return;
    }
  }
  // Rare (a block with one odd voxel): scan it from a random start, so the choice stays unbiased-ish.
  const size = m * m * m;
  const start = Math.floor(random() * size);
  for (let k = 0; k < size; k++) {
    const i = (start + k) % size;
    const x = x0 + (i % m), y = y0 + (((i / m) | 0) % m), z = z0 + ((i / (m * m)) | 0);
    if (voxels[x + r * (y + r * z)] === target) {
      out[at] = x; out[at + 1] = y; out[at + 2] = z;
      return;
    }
  }
  throw new Error(`no voxel of value ${target} in the block at (${x0}, ${y0}, ${z0}); the pooled grid disagrees with the voxels`);
}

/**
 * The auxiliary strided grid: the R^3 occupancy read at one voxel per 64^3 cell, voxel
 * (s*x + s/2, ...) with s = R/64, index x + 64*(y + 64*z). Unlike the max-pooled 64^3 grid it does
 * not dilate the shape, so it is the ground truth for IoU at 64^3 (and points (s*x + s/2 + 0.5)/R - 0.5).
 */
export function stridedGrid(voxels: Uint8Array, resolution: number, size = 64): Uint8Array {
  if (resolution % size !== 0) throw new RangeError(`resolution ${resolution} is not a multiple of ${size}`);
  const s = resolution / size, half = Math.floor(s / 2);
  const out = new Uint8Array(size ** 3);
  for (let z = 0; z < size; z++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        out[x + size * (y + size * z)] = voxels[s * x + half + resolution * (s * y + half + resolution * (s * z + half))];
      }
    }
  }
  return out;
}
