/**
 * Writes that a kill cannot tear: the bytes go to a temporary file beside the target (fsynced), then a
 * rename replaces the target, so a reader sees the old file or the whole new one. Every file the
 * toolkit must not leave half-written (datasets, checkpoints, run.json, loss logs, model files) goes
 * through here.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';

/** Suffix of in-flight temporary files; a resumed prepare deletes leftovers carrying it. */
export const TEMP_MARKER = '.tmp-';

/** What a file is written from: text (UTF-8), bytes, or byte chunks written in order. */
export type FileContent = string | Uint8Array | readonly Uint8Array[];

let counter = 0;
const tempPath = (path: string): string => `${path}${TEMP_MARKER}${process.pid}-${counter++}`;
const chunksOf = (data: FileContent): readonly Uint8Array[] =>
  typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data;

/** Writes `data` to `path` atomically (temp file, fsync, rename). */
export async function writeFileAtomic(path: string, data: FileContent): Promise<void> {
  const temp = tempPath(path);
  const file = await open(temp, 'w');
  try {
    // writeFile continues from the current position, so chunks land one after another, each whole.
    for (const chunk of chunksOf(data)) await file.writeFile(chunk);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
}

/** {@link writeFileAtomic}, synchronously (for writes between training steps, where nothing else should run). */
export function writeFileAtomicSync(path: string, data: FileContent): void {
  const temp = tempPath(path);
  const fd = openSync(temp, 'w');
  try {
    for (const chunk of chunksOf(data)) {
      for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
}
