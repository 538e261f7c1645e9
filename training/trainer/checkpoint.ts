/**
 * Checkpoint files: one file holding a JSON state and named float32 tensors, written atomically
 * (temp file, fsync, rename), so a run killed at any moment leaves either the previous checkpoint or
 * the new one, never half of one.
 *
 * Layout (little-endian): magic `IMNETCK1` (8 bytes), header byte length (uint32), header JSON
 * (UTF-8, padded with spaces to a multiple of 4), then each tensor's float32 values in header order.
 * Header: `{ format, formatVersion, state, tensors: [{ name, shape }] }`.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileAtomicSync } from '../util/atomicWrite.js';

export const CHECKPOINT_FORMAT = 'babylon-imnet-checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;
const MAGIC = 'IMNETCK1';

/** A named tensor's values and shape. */
export interface CheckpointTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What a checkpoint file holds. */
export interface Checkpoint<State> {
  state: State;
  tensors: Map<string, CheckpointTensor>;
}

/** A checkpoint file that cannot be read as one. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

/** Writes `state` and `tensors` to `file` atomically. */
export function writeCheckpoint<State>(file: string, state: State, tensors: CheckpointTensor[]): void {
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.values.length !== expected) throw new RangeError(`checkpoint tensor ${t.name}: ${t.values.length} values for shape [${t.shape.join(', ')}]`);
  }
  const header = { format: CHECKPOINT_FORMAT, formatVersion: CHECKPOINT_FORMAT_VERSION, state, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape })) };
  let json = JSON.stringify(header);
  while (Buffer.byteLength(json) % 4) json += ' ';
  const headerBytes = Buffer.from(json, 'utf8');
  const prefix = Buffer.alloc(12);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, 8);
  writeFileAtomicSync(file, [prefix, headerBytes, ...tensors.map((t) => new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength))]);
}

interface Header<State> {
  format: string;
  formatVersion: number;
  state: State;
  tensors: { name: string; shape: number[] }[];
}

/** Parses and checks the header at the start of `bytes` (at least its first 12 + header length bytes). */
function parseHeader<State>(file: string, bytes: Buffer, fileLength: number): { header: Header<State>; headerEnd: number } {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 8) !== MAGIC) throw new CheckpointError(file, `not a checkpoint (expected magic ${MAGIC})`);
  const headerLength = bytes.readUInt32LE(8);
  if (12 + headerLength > fileLength) throw new CheckpointError(file, `truncated: header of ${headerLength} bytes in a file of ${fileLength}`);
  let header: Header<State>;
  try {
    header = JSON.parse(bytes.toString('utf8', 12, 12 + headerLength));
  } catch (error) {
    throw new CheckpointError(file, `header is not valid JSON (${(error as Error).message})`);
  }
  if (header.format !== CHECKPOINT_FORMAT || header.formatVersion !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError(file, `expected ${CHECKPOINT_FORMAT} v${CHECKPOINT_FORMAT_VERSION}, got ${header.format} v${header.formatVersion}`);
  }
  return { header, headerEnd: 12 + headerLength };
}

/** Reads a checkpoint written by {@link writeCheckpoint}; throws a {@link CheckpointError} naming what is wrong. */
export function readCheckpoint<State>(file: string): Checkpoint<State> {
  if (!existsSync(file)) throw new CheckpointError(file, 'no such checkpoint');
  const bytes = readFileSync(file);
  const { header, headerEnd } = parseHeader<State>(file, bytes, bytes.length);
  const tensors = new Map<string, CheckpointTensor>();
  let offset = headerEnd;
  for (const { name, shape } of header.tensors) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (offset + 4 * count > bytes.length) throw new CheckpointError(file, `truncated: tensor ${name} [${shape.join(', ')}] runs past the end`);
    // Copy into an aligned buffer (the file's Buffer may start at any byte offset).
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * count));
    tensors.set(name, { name, shape, values });
    offset += 4 * count;
  }
  if (offset !== bytes.length) throw new CheckpointError(file, `has ${bytes.length - offset} bytes after the last tensor`);
  return { state: header.state, tensors };
}

/** Only the JSON state of a checkpoint (reads the header, not the tensors: a GAN's are ~100 MB). */
export function readCheckpointState<State>(file: string): State {
  if (!existsSync(file)) throw new CheckpointError(file, 'no such checkpoint');
  const fd = openSync(file, 'r');
  try {
    const fileLength = fstatSync(fd).size;
    const prefix = Buffer.alloc(Math.min(12, fileLength));
    readSync(fd, prefix, 0, prefix.length, 0);
    const headerLength = prefix.length === 12 ? prefix.readUInt32LE(8) : 0;
    const bytes = Buffer.alloc(Math.min(12 + headerLength, fileLength));
    readSync(fd, bytes, 0, bytes.length, 0);
    return parseHeader<State>(file, bytes, fileLength).header.state;
  } finally {
    closeSync(fd);
  }
}
