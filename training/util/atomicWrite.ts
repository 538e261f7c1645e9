/** Writes that a kill cannot tear: the bytes go to a temporary file beside the target, then rename. */
import { open, rename, rm } from 'node:fs/promises';

/** Suffix of in-flight temporary files; a resumed prepare deletes leftovers carrying it. */
export const TEMP_MARKER = '.tmp-';

let counter = 0;

/** Writes `data` to `path` atomically (temp file, fsync, rename): readers see the old file or the whole new one. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}${TEMP_MARKER}${process.pid}-${counter++}`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  await rename(temp, path);
}
