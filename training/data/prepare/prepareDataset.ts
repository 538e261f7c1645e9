/**
 * `imnet prepare` as a function: every mesh file of a folder becomes a record in a sharded dataset
 * (FORMAT.md), in parallel, resumable, with bad files reported and skipped.
 *
 * Crash safety: each finished shape is first committed on its own as `pending/<id>.imds` (a one-shape
 * shard, temp file + rename); every `shardSize` of them are packed into `shards/shard-NNNNN.imds`
 * (temp + rename) and only then deleted. A kill at any point loses at most the shapes in flight; on
 * the next run, ids found in shards or pending files are skipped (duplicates left by a kill between
 * packing and deleting are removed), and failures recorded in `failed.json` are not retried unless
 * asked. `manifest.json`, with the seeded split, is written last.
 */
import { availableParallelism } from 'node:os';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRandom } from '#core';
import { TEMP_MARKER, writeFileAtomic } from '../../util/atomicWrite.js';
import { DatasetFormatError, type DatasetManifest, type ManifestShape } from '../dataset/dataset.js';
import { IMNET_SAMPLE_COUNTS } from '../dataset/sampling.js';
import { encodeShard, readShardHeader, readShardRecords, type ShardShape } from '../dataset/shardFile.js';
import { listMeshFiles } from './meshFiles.js';
import { formatShare, type PrepareSettings, type ShapeTask } from './prepareShape.js';
import { runShapePool } from './shapePool.js';
import { PREPARE_DEFAULTS } from './config.js';

/** Options of `prepareDataset`; defaults in {@link PREPARE_DEFAULTS}. */
export interface PrepareOptions {
  /** Folder searched recursively for .obj .stl .ply .off .gltf .glb files. */
  meshesDir: string;
  /** Dataset folder to create or resume. */
  outDir: string;
  /** Voxels per axis, a multiple of 64 up to 256. Default 256. */
  resolution?: number;
  /** Worker threads; 0 runs in this thread. Default: the machine's available parallelism. */
  jobs?: number;
  /** Sampling and split seed. Default 0. */
  seed?: number;
  /** Fraction of shapes in the test split. Default 0.2. */
  testFraction?: number;
  /** Shapes per shard file. Default 64. */
  shardSize?: number;
  /** Longest side of the normalized bounding box. Default 1. */
  longestSide?: number;
  /** Source up axis. Default 'y'. */
  upAxis?: 'y' | 'z';
  /** Surface voxel rule, see `voxelizeSolid`. Default 'center'. */
  surface?: 'center' | 'solid';
  /** Reject shapes whose volume is more than this share decided by narrow ray votes. Default 0.5. */
  maxUncertain?: number;
  /** Try again the files that failed in an earlier run. Default false. */
  retryFailed?: boolean;
  /** Only the first N files (sorted by path). */
  limit?: number;
  /** Progress: called once with the totals, then per shape. */
  onStart?: (info: { files: number; alreadyDone: number; previouslyFailed: number; todo: number; jobs: number }) => void;
  onShape?: (outcome: { id: string; source: string; ok: boolean; reason?: string; warning?: string }) => void;
}

/** What a run did. */
export interface PrepareResult {
  manifest: DatasetManifest;
  /** Shapes prepared by this run. */
  prepared: number;
  /** Shapes found done from an earlier run. */
  alreadyDone: number;
  /** Files that failed in this run (file relative to the meshes folder). */
  failed: { file: string; reason: string }[];
  seconds: number;
  /** Shapes prepared by this run per second of this run. */
  shapesPerSecond: number;
  jobs: number;
}

/** Above this uncertain share a prepared shape gets a warning line. */
const UNCERTAIN_WARNING = 0.1;

/** Settings stored in a dataset folder by the first run; a resume must match them. */
const SETTINGS_FILE = 'prepare.json';
const FAILED_FILE = 'failed.json';

/** The dataset folder was prepared with other settings: resuming would mix incompatible records. */
export class PrepareSettingsMismatch extends Error {
  override readonly name = 'PrepareSettingsMismatch';
}

interface FailedEntry {
  id: string;
  file: string;
  reason: string;
}

export async function prepareDataset(options: PrepareOptions): Promise<PrepareResult> {
  const settings: PrepareSettings = {
    resolution: options.resolution ?? PREPARE_DEFAULTS.resolution,
    longestSide: options.longestSide ?? PREPARE_DEFAULTS.longestSide,
    upAxis: options.upAxis ?? PREPARE_DEFAULTS.upAxis,
    surface: options.surface ?? PREPARE_DEFAULTS.surface,
    maxUncertain: options.maxUncertain ?? PREPARE_DEFAULTS.maxUncertain,
    seed: options.seed ?? PREPARE_DEFAULTS.seed,
    sampleCounts: { ...IMNET_SAMPLE_COUNTS },
  };
  if (settings.resolution % 64 !== 0 || settings.resolution < 64 || settings.resolution > 256) {
    throw new RangeError(`resolution ${settings.resolution}: expected 64, 128, 192 or 256 (a multiple of 64, points are stored as bytes)`);
  }
  const testFraction = options.testFraction ?? PREPARE_DEFAULTS.testFraction;
  const shardSize = options.shardSize ?? PREPARE_DEFAULTS.shardSize;
  const started = performance.now();
  const outDir = options.outDir;
  const shardsDir = join(outDir, 'shards');
  const pendingDir = join(outDir, 'pending');

  let files = await listMeshFiles(options.meshesDir);
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  if (files.length === 0) throw new RangeError(`no mesh files (.obj .stl .ply .off .gltf .glb) under ${options.meshesDir}`);

  await mkdir(shardsDir, { recursive: true });
  await mkdir(pendingDir, { recursive: true });
  await checkSettings(outDir, settings);
  for (const dir of [outDir, shardsDir, pendingDir]) {
    for (const name of await readdir(dir)) if (name.includes(TEMP_MARKER)) await rm(join(dir, name), { force: true });
  }

  const done = await collectDone(shardsDir, pendingDir);
  let failedEntries = await readFailed(outDir);
  if (options.retryFailed) failedEntries = [];
  const failedIds = new Set(failedEntries.map((f) => f.id));
  const todo: ShapeTask[] = files.filter((f) => !done.has(f.id) && !failedIds.has(f.id));
  const jobs = Math.max(0, Math.min(options.jobs ?? availableParallelism(), todo.length));
  const alreadyDone = files.filter((f) => done.has(f.id)).length;
  options.onStart?.({ files: files.length, alreadyDone, previouslyFailed: files.filter((f) => failedIds.has(f.id)).length, todo: todo.length, jobs });

  // One writer at a time: commits, packing and the failure list are serialized on this chain.
  let writes: Promise<void> = Promise.resolve();
  let pendingCount = (await readdir(pendingDir)).filter((f) => f.endsWith('.imds')).length;
  let committed = 0;
  const killAfter = Number(process.env.IMNET_PREPARE_KILL_AFTER ?? 0);
  const failedThisRun: FailedEntry[] = [];
  let prepared = 0;
  await runShapePool(todo, settings, jobs, (outcome) => {
    const { task } = outcome;
    writes = writes.then(async () => {
      if (outcome.prepared) {
        const { shape, record } = outcome.prepared;
        await writeFileAtomic(join(pendingDir, pendingName(task.id)), encodeShard(shardHeaderFor([shape], settings), [record]));
        prepared++;
        pendingCount++;
        if (pendingCount >= shardSize) pendingCount -= await packPending(pendingDir, shardsDir, settings);
        // Test hook: a hard kill at a known point, to prove that a resumed run loses nothing committed.
        if (killAfter > 0 && ++committed >= killAfter) process.kill(process.pid, 'SIGKILL');
      } else {
        const entry = { id: task.id, file: task.source, reason: outcome.reason ?? 'unknown failure' };
        failedEntries.push(entry);
        failedThisRun.push(entry);
        await writeFileAtomic(join(outDir, FAILED_FILE), JSON.stringify(failedEntries, null, 1));
      }
      const share = outcome.prepared?.shape.stats.uncertainShare ?? 0;
      const warning = share > UNCERTAIN_WARNING
        ? `narrow ray votes decided ${formatShare(share)} of its volume (holes or open parts); its solid may be off`
        : undefined;
      options.onShape?.({ id: task.id, source: task.source, ok: Boolean(outcome.prepared), reason: outcome.reason, warning });
    });
  });
  await writes;
  await packPending(pendingDir, shardsDir, settings);
  await writeFileAtomic(join(outDir, FAILED_FILE), JSON.stringify(failedEntries, null, 1));

  // Files that failed once but are gone (or outside --limit) no longer belong to this dataset's report.
  const listed = new Set(files.map((f) => f.id));
  const manifest = await buildManifest(outDir, options.meshesDir, settings, testFraction, failedEntries.filter((f) => listed.has(f.id)));
  await writeFileAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const seconds = (performance.now() - started) / 1000;
  return {
    manifest,
    prepared,
    alreadyDone,
    failed: failedThisRun.map(({ file, reason }) => ({ file, reason })),
    seconds,
    shapesPerSecond: prepared / seconds,
    jobs,
  };
}

/** Writes the settings on the first run; on a resume, refuses settings that would change the records. */
async function checkSettings(outDir: string, settings: PrepareSettings): Promise<void> {
  const path = join(outDir, SETTINGS_FILE);
  let stored: PrepareSettings | null = null;
  try {
    stored = JSON.parse(await readFile(path, 'utf8')) as PrepareSettings;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new DatasetFormatError(path, `cannot read: ${(error as Error).message}`);
  }
  if (stored) {
    const differences = (Object.keys(settings) as (keyof PrepareSettings)[])
      .filter((key) => JSON.stringify(stored![key]) !== JSON.stringify(settings[key]))
      .map((key) => `${key} ${JSON.stringify(stored![key])} there, ${JSON.stringify(settings[key])} now`);
    if (differences.length) {
      throw new PrepareSettingsMismatch(`${outDir} was prepared with other settings (${differences.join('; ')}); ` +
        `resume with the same flags, or choose a new --out`);
    }
    return;
  }
  await writeFileAtomic(path, JSON.stringify(settings, null, 1));
}

/** Ids already committed, from shards and pending files; pending duplicates of packed shapes are removed. */
async function collectDone(shardsDir: string, pendingDir: string): Promise<Set<string>> {
  const done = new Set<string>();
  for (const name of (await readdir(shardsDir)).filter((f) => f.endsWith('.imds'))) {
    for (const shape of (await readShardHeader(join(shardsDir, name))).shapes) done.add(shape.id);
  }
  for (const name of (await readdir(pendingDir)).filter((f) => f.endsWith('.imds'))) {
    const path = join(pendingDir, name);
    const [shape] = (await readShardHeader(path)).shapes;
    if (done.has(shape.id)) await rm(path);
    else done.add(shape.id);
  }
  return done;
}

async function readFailed(outDir: string): Promise<FailedEntry[]> {
  try {
    return JSON.parse(await readFile(join(outDir, FAILED_FILE), 'utf8')) as FailedEntry[];
  } catch {
    return [];
  }
}

function shardHeaderFor(shapes: ShardShape[], settings: PrepareSettings) {
  return { voxelResolution: settings.resolution, sampleCounts: settings.sampleCounts, shapes };
}

/** File name of a shape's pending record: readable, and unique through a hash of the id. */
function pendingName(id: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return `${id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}-${(hash >>> 0).toString(16).padStart(8, '0')}.imds`;
}

/** Packs every pending record into the next shard; returns how many it packed. */
async function packPending(pendingDir: string, shardsDir: string, settings: PrepareSettings): Promise<number> {
  const names = (await readdir(pendingDir)).filter((f) => f.endsWith('.imds')).sort();
  if (names.length === 0) return 0;
  const shapes: ShardShape[] = [];
  const records: Uint8Array[] = [];
  for (const name of names) {
    const { header, records: [record] } = await readShardRecords(join(pendingDir, name));
    shapes.push(header.shapes[0]);
    records.push(record);
  }
  const existing = (await readdir(shardsDir)).filter((f) => /^shard-\d+\.imds$/.test(f)).map((f) => Number(f.slice(6, -5)));
  const number = existing.length ? Math.max(...existing) + 1 : 0;
  await writeFileAtomic(join(shardsDir, `shard-${String(number).padStart(5, '0')}.imds`), encodeShard(shardHeaderFor(shapes, settings), records));
  for (const name of names) await rm(join(pendingDir, name));
  return names.length;
}

/** The manifest of everything in the shards, with the seeded split. */
async function buildManifest(outDir: string, meshesDir: string, settings: PrepareSettings, testFraction: number, failed: FailedEntry[]): Promise<DatasetManifest> {
  const shapes: ManifestShape[] = [];
  const shardNames = (await readdir(join(outDir, 'shards'))).filter((f) => f.endsWith('.imds')).sort();
  for (const name of shardNames) {
    for (const shape of (await readShardHeader(join(outDir, 'shards', name))).shapes) {
      shapes.push({ id: shape.id, source: shape.source, split: 'train', normalization: shape.normalization, shard: `shards/${name}`, stats: shape.stats });
    }
  }
  shapes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const test = splitTest(shapes.map((s) => s.id), settings.seed, testFraction);
  for (const shape of shapes) if (test.has(shape.id)) shape.split = 'test';
  return {
    format: 'babylon-imnet-dataset',
    formatVersion: 1,
    voxelResolution: settings.resolution,
    sampleCounts: settings.sampleCounts,
    split: { seed: settings.seed, testFraction },
    shapes,
    failed: failed.map(({ file, reason }) => ({ file, reason })),
    options: { longestSide: settings.longestSide, upAxis: settings.upAxis, surface: settings.surface, maxUncertain: settings.maxUncertain, seed: settings.seed },
    sourceDir: resolve(meshesDir),
    createdAt: new Date().toISOString(),
  };
}

/**
 * The test split: the sorted ids shuffled with the seed (Fisher-Yates), the first round(n * fraction)
 * taken. The same ids and seed always give the same split, whatever order shapes finished in.
 */
export function splitTest(ids: string[], seed: number, testFraction: number): Set<string> {
  const order = [...ids].sort();
  const random = createRandom(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return new Set(order.slice(0, Math.round(order.length * testFraction)));
}
