/**
 * Shard files (`.imds`): a JSON header naming the shapes, then one fixed-size binary record per shape.
 * The byte layout is documented in FORMAT.md; this module is its one implementation.
 */
import { readFile, open } from 'node:fs/promises';
import { SAMPLE_LEVELS, type SampleLevel } from './sampling.js';
import { DatasetFormatError } from './DatasetFormatError.js';
import type { ShapeSamples, ShapeStats } from './dataset.js';
import type { Orientation } from '../voxel/normalize.js';

/** First 8 bytes of every shard. */
export const SHARD_MAGIC = 'IMNETDS1';
const GRID64_BYTES = 64 ** 3 / 8;

/** A shape as a shard header lists it. */
export interface ShardShape {
  id: string;
  source: string;
  /** The quarter turn applied to the source (absent in datasets from before it was recorded: `upAxis`'s). */
  orientation?: Orientation;
  normalization: { center: [number, number, number]; scale: number };
  stats: ShapeStats;
}

/** A shard's header, plus where its records start. */
export interface ShardHeader {
  formatVersion: 1;
  voxelResolution: number;
  sampleCounts: Record<SampleLevel, number>;
  recordBytes: number;
  shapes: ShardShape[];
  /** Byte offset of the first record (not stored; derived from the header's length). */
  dataOffset: number;
}

/** Bytes of one record for these sample counts. */
export function recordBytes(counts: Record<SampleLevel, number>): number {
  let bytes = 2 * GRID64_BYTES;
  for (const level of SAMPLE_LEVELS) bytes += 3 * counts[level] + Math.ceil(counts[level] / 8);
  return bytes;
}

/** Packs 0/1 bytes into bits, bit (i & 7) of byte (i >> 3). */
export function packBits(values: Uint8Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < values.length; i++) if (values[i]) out[at + (i >> 3)] |= 1 << (i & 7);
}

export function unpackBits(bytes: Uint8Array, at: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[at + (i >> 3)] >> (i & 7)) & 1;
  return out;
}

/** One shape's record: voxels64 bits, strided64 bits, then per level points (n*3 bytes) and value bits. */
export function encodeRecord(samples: ShapeSamples, counts: Record<SampleLevel, number>): Uint8Array {
  const out = new Uint8Array(recordBytes(counts));
  if (samples.voxels64.length !== 64 ** 3) throw new RangeError(`voxels64 has ${samples.voxels64.length} values; expected 64^3`);
  packBits(samples.voxels64, out, 0);
  packBits(samples.strided64 ?? samples.voxels64, out, GRID64_BYTES);
  let at = 2 * GRID64_BYTES;
  for (const level of SAMPLE_LEVELS) {
    const n = counts[level];
    if (samples.points[level].length !== 3 * n || samples.values[level].length !== n) {
      throw new RangeError(`level ${level}: ${samples.values[level].length} points; the dataset takes ${n}`);
    }
    out.set(samples.points[level], at);
    at += 3 * n;
    packBits(samples.values[level], out, at);
    at += Math.ceil(n / 8);
  }
  return out;
}

export function decodeRecord(bytes: Uint8Array, id: string, counts: Record<SampleLevel, number>): ShapeSamples {
  const points = {} as Record<SampleLevel, Uint8Array>;
  const values = {} as Record<SampleLevel, Uint8Array>;
  let at = 2 * GRID64_BYTES;
  for (const level of SAMPLE_LEVELS) {
    const n = counts[level];
    points[level] = bytes.slice(at, at + 3 * n);
    at += 3 * n;
    values[level] = unpackBits(bytes, at, n);
    at += Math.ceil(n / 8);
  }
  return {
    id,
    voxels64: unpackBits(bytes, 0, 64 ** 3),
    strided64: unpackBits(bytes, GRID64_BYTES, 64 ** 3),
    points,
    values,
  };
}

/** The bytes of a whole shard: magic, uint32 header length, header JSON, padding to 8, records. */
export function encodeShard(header: Omit<ShardHeader, 'dataOffset' | 'recordBytes' | 'formatVersion'>, records: Uint8Array[]): Uint8Array {
  const size = recordBytes(header.sampleCounts);
  if (records.length !== header.shapes.length) throw new RangeError(`${records.length} records for ${header.shapes.length} shapes`);
  const json = new TextEncoder().encode(JSON.stringify({ formatVersion: 1, recordBytes: size, ...header }));
  const dataOffset = Math.ceil((12 + json.length) / 8) * 8;
  const out = new Uint8Array(dataOffset + size * records.length);
  out.set(new TextEncoder().encode(SHARD_MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  records.forEach((record, i) => {
    if (record.length !== size) throw new RangeError(`record ${i} has ${record.length} bytes; expected ${size}`);
    out.set(record, dataOffset + i * size);
  });
  return out;
}

/** A shard's header, checked against the file's size. Throws `DatasetFormatError` naming the file. */
export async function readShardHeader(path: string): Promise<ShardHeader> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    throw new DatasetFormatError(path, `cannot open shard: ${(error as Error).message}`);
  }
  try {
    const { size } = await file.stat();
    const start = new Uint8Array(12);
    await file.read(start, 0, 12, 0);
    if (size < 12 || new TextDecoder().decode(start.subarray(0, 8)) !== SHARD_MAGIC) {
      throw new DatasetFormatError(path, `not a shard: expected the magic '${SHARD_MAGIC}'`);
    }
    const jsonBytes = new DataView(start.buffer).getUint32(8, true);
    if (12 + jsonBytes > size) throw new DatasetFormatError(path, `header of ${jsonBytes} bytes runs past the end of the ${size}-byte file`);
    const json = new Uint8Array(jsonBytes);
    await file.read(json, 0, jsonBytes, 12);
    let header: ShardHeader;
    try {
      header = JSON.parse(new TextDecoder().decode(json)) as ShardHeader;
    } catch (error) {
      throw new DatasetFormatError(path, `header is not JSON: ${(error as Error).message}`);
    }
    if (header.formatVersion !== 1 || !Array.isArray(header.shapes) || header.recordBytes !== recordBytes(header.sampleCounts)) {
      throw new DatasetFormatError(path, `header does not describe a version-1 shard (formatVersion, shapes, recordBytes)`);
    }
    header.dataOffset = Math.ceil((12 + jsonBytes) / 8) * 8;
    const expected = header.dataOffset + header.recordBytes * header.shapes.length;
    if (size !== expected) {
      throw new DatasetFormatError(path, `expected ${header.shapes.length} records of ${header.recordBytes} bytes after a ${header.dataOffset}-byte header (${expected} bytes); the file has ${size} bytes`);
    }
    return header;
  } finally {
    await file.close();
  }
}

/** Every record of a shard, in header order (for packing pending single-shape shards into one). */
export async function readShardRecords(path: string): Promise<{ header: ShardHeader; records: Uint8Array[] }> {
  const header = await readShardHeader(path);
  const bytes = new Uint8Array(await readFile(path));
  const records = header.shapes.map((_, i) => bytes.slice(header.dataOffset + i * header.recordBytes, header.dataOffset + (i + 1) * header.recordBytes));
  return { header, records };
}
