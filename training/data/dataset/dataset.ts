/**
 * The prepared dataset, as `imnet train` and `imnet eval` read it (the contract in contract.md; the
 * bytes in FORMAT.md). `imnet prepare` writes it.
 */
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRecord, readShardHeader, type ShardHeader } from './shardFile.js';
import { DatasetFormatError } from './DatasetFormatError.js';
import type { SampleLevel } from './sampling.js';
import type { Orientation, SignedAxis } from '../voxel/normalize.js';

export type { SampleLevel } from './sampling.js';
export { DatasetFormatError } from './DatasetFormatError.js';

/** One prepared shape. */
export interface ShapeSamples {
  /** Stable id, the source file's path relative to the meshes folder without its extension. */
  id: string;
  /** 64^3 occupancy, 0/1, index x + 64*(y + 64*z), y up; max-pooled from the R^3 voxelization. */
  voxels64: Uint8Array;
  /** Per level: point voxel indices at R^3 (n*3 uint8 triples, x y z), coordinate = (p + 0.5)/R - 0.5. */
  points: Record<SampleLevel, Uint8Array>;
  /** Per level: occupancy 0/1 per point. */
  values: Record<SampleLevel, Uint8Array>;
  /**
   * 64^3 occupancy of the R^3 voxelization read at voxel (s*x + s/2, ...) with s = R/64, index
   * x + 64*(y + 64*z): not dilated like `voxels64`, so the ground truth for IoU at 64^3.
   */
  strided64?: Uint8Array;
}

/** Per-shape facts recorded by prepare (not needed to train; useful to understand a dataset). */
export interface ShapeStats {
  /** Triangles read from the source. */
  triangles: number;
  /** Occupied fraction of the R^3 grid. */
  occupancy: number;
  /** Near-surface blocks found per level (16: all 4096 blocks). */
  nearSurfaceBlocks: Record<SampleLevel, number>;
  /** Interior voxels the outside fill reached through holes, recovered by the ray votes (0 for a closed mesh). */
  leakedInsideVoxels: number;
  /** Voxels made occupied by a narrow ray vote, per occupied voxel: ~0 for a closed mesh, larger the more the solid is a guess. */
  uncertainShare: number;
  /** Voxels of the R^3 grid the surface touches. */
  surfaceVoxels?: number;
  /** Share of those with no occupied voxel in their 3x3x3 neighbourhood: surface lost (0 under `surface: 'solid'`). */
  lostSurfaceShare?: number;
  /** Parts of the surface missing from the solid (groups of lost voxels at least R/16 big); 0 under `solid`. */
  vanishedParts?: number;
  /** Lost surface voxels of the largest vanished part. */
  largestVanishedPart?: number;
  /** Milliseconds to read, voxelize and sample. */
  milliseconds: number;
}

/** A shape's entry in the manifest. */
export interface ManifestShape {
  id: string;
  /** Source file, relative to the meshes folder given to prepare. */
  source: string;
  split: 'train' | 'test';
  /** The quarter turn applied to the source: which source axes became up (+y) and front (+z). */
  orientation?: Orientation;
  /** `normalized = (oriented - center) * scale`, where `oriented` is the source turned by `orientation`. */
  normalization: { center: [number, number, number]; scale: number };
  /** Shard file (relative to the dataset folder) that holds the shape's record. */
  shard?: string;
  stats?: ShapeStats;
}

/** `manifest.json`. */
export interface DatasetManifest {
  format: 'babylon-imnet-dataset';
  formatVersion: 1;
  /** Voxels per axis of the solid voxelization the points index (256 by default). */
  voxelResolution: number;
  /** Points per shape and level: 16: 4096, 32: 4096, 64: 16384. */
  sampleCounts: Record<SampleLevel, number>;
  /** Seeded shuffle of the sorted ids; the first round(n * testFraction) are the test split. */
  split: { seed: number; testFraction: number };
  shapes: ManifestShape[];
  failed: { file: string; reason: string }[];
  /** The prepare options that shaped the data (see FORMAT.md). */
  options?: { longestSide: number; upAxis: SignedAxis; orient?: 'fixed' | 'auto'; surface: 'center' | 'solid'; maxUncertain: number; seed: number };
  /** The meshes folder prepare read (absolute), and when the manifest was written. */
  sourceDir?: string;
  createdAt?: string;
}

/** A prepared dataset on disk. */
export interface Dataset {
  readonly dir: string;
  readonly manifest: DatasetManifest;
  /** Shape ids, all or one split's, in manifest order. */
  ids(split?: 'train' | 'test'): string[];
  /** One shape's samples; throws a `DatasetFormatError` naming the shard when its bytes are bad. */
  read(id: string): Promise<ShapeSamples>;
}

/** Opens a dataset folder written by `imnet prepare`: reads the manifest and every shard's header. */
export async function openDataset(dir: string): Promise<Dataset> {
  const manifestPath = join(dir, 'manifest.json');
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DatasetManifest;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const reason = e.code === 'ENOENT'
      ? `missing; expected a dataset written by 'imnet prepare' (an unfinished prepare writes it when it completes)`
      : `cannot read it as JSON: ${e.message}`;
    throw new DatasetFormatError(manifestPath, reason);
  }
  if (manifest.format !== 'babylon-imnet-dataset' || manifest.formatVersion !== 1) {
    throw new DatasetFormatError(manifestPath, `format ${JSON.stringify(manifest.format)} version ${manifest.formatVersion}; expected 'babylon-imnet-dataset' version 1`);
  }
  const headers = new Map<string, ShardHeader>();
  const location = new Map<string, { shard: string; index: number }>();
  for (const shape of manifest.shapes) {
    if (!shape.shard) throw new DatasetFormatError(manifestPath, `shape '${shape.id}' has no 'shard'; expected the shard file that holds it`);
    if (!headers.has(shape.shard)) headers.set(shape.shard, await readShardHeader(join(dir, shape.shard)));
    const header = headers.get(shape.shard)!;
    const index = header.shapes.findIndex((s) => s.id === shape.id);
    if (index < 0) throw new DatasetFormatError(join(dir, shape.shard), `the manifest places shape '${shape.id}' here; the shard does not hold it`);
    location.set(shape.id, { shard: shape.shard, index });
  }
  return {
    dir,
    manifest,
    ids: (split) => manifest.shapes.filter((s) => !split || s.split === split).map((s) => s.id),
    read: async (id) => {
      const at = location.get(id);
      if (!at) throw new RangeError(`no shape '${id}' in dataset ${dir}`);
      const header = headers.get(at.shard)!;
      const path = join(dir, at.shard);
      const bytes = new Uint8Array(header.recordBytes);
      const file = await open(path, 'r');
      try {
        const { bytesRead } = await file.read(bytes, 0, bytes.length, header.dataOffset + at.index * header.recordBytes);
        if (bytesRead !== bytes.length) throw new DatasetFormatError(path, `record ${at.index} ('${id}') is truncated`);
      } finally {
        await file.close();
      }
      return decodeRecord(bytes, id, header.sampleCounts);
    },
  };
}
