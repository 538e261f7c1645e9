import { mkdtemp, rm, writeFile, mkdir, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '#core';
import { DatasetFormatError, openDataset, type DatasetManifest, type ShapeSamples } from '../../../../training/data/dataset/dataset.js';
import { decodeRecord, encodeRecord, encodeShard, readShardHeader, recordBytes } from '../../../../training/data/dataset/shardFile.js';
import { writeFileAtomic } from '../../../../training/util/atomicWrite.js';

const counts = { 16: 4096, 32: 4096, 64: 16384 } as const;

function randomSamples(id: string, seed: number): ShapeSamples {
  const random = createRandom(seed);
  const bits = (n: number) => Uint8Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
  return {
    id,
    voxels64: bits(64 ** 3),
    strided64: bits(64 ** 3),
    points: { 16: bytes(3 * 4096), 32: bytes(3 * 4096), 64: bytes(3 * 16384) },
    values: { 16: bits(4096), 32: bits(4096), 64: bits(16384) },
  };
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imnet-format-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('shard records', () => {
  test('a record round-trips every array bit for bit', () => {
    const samples = randomSamples('chair/1', 1);
    const record = encodeRecord(samples, counts);
    expect(record.length).toBe(recordBytes(counts));
    const back = decodeRecord(record, 'chair/1', counts);
    expect(same(back.voxels64, samples.voxels64)).toBe(true);
    expect(same(back.strided64!, samples.strided64!)).toBe(true);
    for (const level of [16, 32, 64] as const) {
      expect(same(back.points[level], samples.points[level])).toBe(true);
      expect(same(back.values[level], samples.values[level])).toBe(true);
    }
  });

  test('a record with the wrong number of points is refused', () => {
    const samples = randomSamples('x', 2);
    samples.values[32] = samples.values[32].subarray(1);
    expect(() => encodeRecord(samples, counts)).toThrow(/level 32: 4095 points; the dataset takes 4096/);
  });
});

describe('openDataset', () => {
  const shapes = ['a', 'b', 'c'].map((id, i) => randomSamples(id, 10 + i));
  const meta = (id: string) => ({ id, source: `${id}.obj`, normalization: { center: [0, 0, 0] as [number, number, number], scale: 1 },
    stats: { triangles: 12, occupancy: 0.3, nearSurfaceBlocks: { 16: 4096, 32: 100, 64: 400 }, leakedInsideVoxels: 0, uncertainShare: 0, milliseconds: 1 } });

  async function writeDataset(name: string): Promise<string> {
    const out = join(dir, name);
    await mkdir(join(out, 'shards'), { recursive: true });
    const header = { voxelResolution: 256, sampleCounts: counts, shapes: [] as ReturnType<typeof meta>[] };
    await writeFileAtomic(join(out, 'shards', 'shard-00000.imds'), encodeShard({ ...header, shapes: [meta('a'), meta('b')] }, shapes.slice(0, 2).map((s) => encodeRecord(s, counts))));
    await writeFileAtomic(join(out, 'shards', 'shard-00001.imds'), encodeShard({ ...header, shapes: [meta('c')] }, [encodeRecord(shapes[2], counts)]));
    const manifest: DatasetManifest = {
      format: 'babylon-imnet-dataset', formatVersion: 1, voxelResolution: 256, sampleCounts: { ...counts },
      split: { seed: 0, testFraction: 0.2 },
      shapes: ['a', 'b', 'c'].map((id, i) => ({ ...meta(id), split: i === 2 ? 'test' : 'train', shard: `shards/shard-0000${i === 2 ? 1 : 0}.imds` })),
      failed: [{ file: 'bad.obj', reason: 'line 3: ...' }],
    };
    await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest));
    return out;
  }

  test('reads what was written, across shards, with the splits', async () => {
    const dataset = await openDataset(await writeDataset('good'));
    expect(dataset.ids()).toEqual(['a', 'b', 'c']);
    expect(dataset.ids('train')).toEqual(['a', 'b']);
    expect(dataset.ids('test')).toEqual(['c']);
    for (const original of shapes) {
      const read = await dataset.read(original.id);
      expect(read.id).toBe(original.id);
      expect(same(read.voxels64, original.voxels64)).toBe(true);
      expect(same(read.points[64], original.points[64])).toBe(true);
      expect(same(read.values[16], original.values[16])).toBe(true);
    }
    await expect(dataset.read('zzz')).rejects.toThrow(/no shape 'zzz'/);
  });

  test('a missing manifest names the folder and says what it expected', async () => {
    const error = await openDataset(join(dir, 'nothing')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as Error).message).toMatch(/nothing[/\\]manifest\.json: missing; expected a dataset written by 'imnet prepare'/);
  });

  test('a truncated shard names the file and the sizes', async () => {
    const out = await writeDataset('truncated');
    const shard = join(out, 'shards', 'shard-00000.imds');
    await truncate(shard, 100000);
    const error = await openDataset(out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetFormatError);
    expect((error as DatasetFormatError).path).toBe(shard);
    expect((error as Error).message).toMatch(/expected 2 records of \d+ bytes after a \d+-byte header \(\d+ bytes\); the file has 100000 bytes/);
  });

  test('a file that is not a shard is named', async () => {
    const out = await writeDataset('garbage');
    const shard = join(out, 'shards', 'shard-00001.imds');
    await writeFile(shard, 'not a shard at all');
    await expect(readShardHeader(shard)).rejects.toThrow(`${shard}: not a shard: expected the magic 'IMNETDS1'`);
  });
});
