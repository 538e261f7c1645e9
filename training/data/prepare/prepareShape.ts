/**
 * One mesh file to one dataset record: read, turn (up +y, front +z), normalize, voxelize, max-pool, sample.
 * Pure apart from reading the file, and seeded per shape id, so any worker, any order and any
 * resumed run give the same bytes.
 */
import { createRandom } from '#core';
import { readMesh } from '../mesh/readMesh.js';
import { applyNormalization, normalizationOf, orientationFor, orientPositions, type Orientation, type SignedAxis } from '../voxel/normalize.js';
import { maxPool } from '../voxel/maxPool.js';
import { voxelizeSolid, type SurfaceRule } from '../voxel/voxelize.js';
import { SAMPLE_LEVELS, sampleLevel, stridedGrid, type SampleLevel } from '../dataset/sampling.js';
import { encodeRecord, type ShardShape } from '../dataset/shardFile.js';
import type { ShapeSamples } from '../dataset/dataset.js';

/** Everything that shapes the bytes of a record; a resumed prepare must use the same. */
export interface PrepareSettings {
  /** Voxels per axis: a multiple of 64, at most 256 (points are stored as bytes). */
  resolution: number;
  /** Length of the normalized bounding box's longest side, in (0, 1]. */
  longestSide: number;
  /** The source axis that points up (`--up`), for files that orient.json does not name. */
  upAxis: SignedAxis;
  /** `fixed`: every file as `upAxis` or orient.json says; `auto`: turned to agree with the set (autoOrient.ts). */
  orient: OrientMode;
  /** How voxels the surface touches count, see `voxelizeSolid`. */
  surface: SurfaceRule;
  /**
   * Largest share of a shape's volume that narrow ray votes may have made occupied (see
   * `VoxelizeStats.uncertainInsideVoxels`); shapes above it are rejected as ambiguous.
   */
  maxUncertain: number;
  /** Seeds sampling (mixed with each shape's id) and the train/test split. */
  seed: number;
  sampleCounts: Record<SampleLevel, number>;
}

/** How prepare orients files: `fixed` (as `--up`/orient.json say) or `auto` (see autoOrient.ts). */
export type OrientMode = 'fixed' | 'auto';

/** The work of one shape. */
export interface ShapeTask {
  id: string;
  source: string;
  path: string;
  /** How to turn the source; default: `settings.upAxis` with its default front. */
  orientation?: Orientation;
}

/** A prepared shape: what the shard header lists, and its record bytes. */
export interface PreparedShape {
  shape: ShardShape;
  record: Uint8Array;
}

/** The samples of one shape (the record before encoding), exposed for tests and tools. */
export async function sampleShape(task: ShapeTask, settings: PrepareSettings): Promise<{ samples: ShapeSamples; shape: ShardShape }> {
  const started = performance.now();
  const mesh = await readMesh(task.path);
  const orientation = task.orientation ?? orientationFor(settings.upAxis);
  const positions = orientPositions(mesh.positions, orientation);
  const normalization = normalizationOf(positions, settings.longestSide);
  applyNormalization(positions, normalization);
  const { voxels, stats } = voxelizeSolid(positions, mesh.indices, { resolution: settings.resolution, surface: settings.surface });
  if (stats.occupiedVoxels === 0) {
    // Under `center`, an open patch or a sheet; under `solid`, only triangles without area.
    throw new ShapeRejectedError(settings.surface === 'center'
      ? `encloses no volume at ${settings.resolution}^3 (an open surface or a sheet?; --surface solid keeps sheets as one-voxel shells)`
      : `touches no voxel at ${settings.resolution}^3 (every triangle has zero area?)`);
  }
  // Only what narrow votes filled: the space beside an open sheet gets narrow "outside" votes by the
  // thousand, and leaving it empty is what binvox and IM-NET's data do too.
  const uncertainShare = stats.uncertainInsideVoxels / stats.occupiedVoxels;
  if (uncertainShare > settings.maxUncertain) {
    throw new ShapeRejectedError(`its inside is a guess: narrow ray votes filled ${formatShare(uncertainShare)} of its volume ` +
      `(large holes or an open surface); the limit is ${formatShare(settings.maxUncertain)} (--max-uncertain)`);
  }
  const random = createRandom(shapeSeed(settings.seed, task.id));
  const points = {} as Record<SampleLevel, Uint8Array>;
  const values = {} as Record<SampleLevel, Uint8Array>;
  const nearSurfaceBlocks = {} as Record<SampleLevel, number>;
  // Max-pooling composes: pool the big grid once, then the small ones from it.
  const voxels64 = maxPool(voxels, settings.resolution, 64);
  const pooled: Record<SampleLevel, Uint8Array> = { 64: voxels64, 32: maxPool(voxels64, 64, 32), 16: new Uint8Array(0) };
  pooled[16] = maxPool(pooled[32], 32, 16);
  for (const level of SAMPLE_LEVELS) {
    const samples = sampleLevel(voxels, settings.resolution, level, settings.sampleCounts[level], random, pooled[level]);
    points[level] = samples.points;
    values[level] = samples.values;
    nearSurfaceBlocks[level] = samples.nearSurfaceBlocks;
  }
  const samples: ShapeSamples = {
    id: task.id,
    voxels64,
    strided64: stridedGrid(voxels, settings.resolution, 64),
    points,
    values,
  };
  const shape: ShardShape = {
    id: task.id,
    source: task.source,
    orientation,
    normalization,
    stats: {
      triangles: mesh.indices.length / 3,
      occupancy: stats.occupiedVoxels / settings.resolution ** 3,
      nearSurfaceBlocks,
      leakedInsideVoxels: stats.leakedInsideVoxels,
      uncertainShare,
      surfaceVoxels: stats.surfaceVoxels,
      lostSurfaceShare: stats.surfaceVoxels ? stats.lostSurfaceVoxels / stats.surfaceVoxels : 0,
      vanishedParts: stats.vanishedParts,
      largestVanishedPart: stats.largestVanishedPart,
      milliseconds: Math.round(performance.now() - started),
    },
  };
  return { samples, shape };
}

/** Reads, voxelizes and samples one mesh file into a record. Throws `MeshReadError` for bad files. */
export async function prepareShape(task: ShapeTask, settings: PrepareSettings): Promise<PreparedShape> {
  const { samples, shape } = await sampleShape(task, settings);
  return { shape, record: encodeRecord(samples, settings.sampleCounts) };
}

/** A mesh that was read but whose solid is empty or too uncertain to train on. */
export class ShapeRejectedError extends Error {
  override readonly name = 'ShapeRejectedError';
}

/** 0.123 as '12%'. */
export function formatShare(share: number): string {
  return `${Math.round(100 * share)}%`;
}

/** A 32-bit seed from the run's seed and a shape id (FNV-1a over the id's UTF-16 units). */
export function shapeSeed(seed: number, id: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
