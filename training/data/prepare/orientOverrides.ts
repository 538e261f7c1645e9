/**
 * Per-file orientations: `orient.json` in the meshes folder (or `--orient-file`), for the files that
 * `--up` does not describe. Keys name files by their path in the folder (`chairs/c3.off`), by id
 * (`chairs/c3`), or a whole folder with a trailing slash (`psb/lying/`); the most specific key wins
 * (a file's own key over the longest folder key). Values are the up axis (`"-x"`) or
 * `{ "up": "z", "front": "-y" }`. A key that names no mesh file is an error (a typo would otherwise do
 * nothing silently).
 */
import { readFile } from 'node:fs/promises';
import { orientationFor, parseSignedAxis, type Orientation } from '../voxel/normalize.js';
import type { MeshFile } from './meshFiles.js';

/** The file name prepare looks for in the meshes folder. */
export const ORIENT_FILE_NAME = 'orient.json';

/** orient.json cannot be read or says something prepare cannot use. */
export class OrientFileError extends Error {
  override readonly name = 'OrientFileError';
  constructor(readonly file: string, readonly reason: string) {
    super(`${file}: ${reason}`);
  }
}

/** Reads an orient.json; returns orientations by file id (only the files it names). */
export async function readOrientOverrides(path: string, files: MeshFile[]): Promise<Map<string, Orientation>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new OrientFileError(path, e.code ? `cannot read: ${e.code}` : `not JSON: ${e.message}`);
  }
  return parseOrientOverrides(json, path, files);
}

/** The parsed content of an orient.json (`path` names it in errors). */
export function parseOrientOverrides(json: unknown, path: string, files: MeshFile[]): Map<string, Orientation> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new OrientFileError(path, `expected an object mapping files to up axes, like { "chairs/c3.off": "-x" }`);
  }
  const entries = Object.entries(json as Record<string, unknown>).map(([key, value]) => ({ key, orientation: parseValue(key, value, path) }));
  const out = new Map<string, Orientation>();
  const specificity = new Map<string, number>();
  for (const { key, orientation } of entries) {
    const folder = key.endsWith('/');
    const matching = files.filter((f) => (folder ? f.source.startsWith(key) : f.source === key || f.id === key));
    if (matching.length === 0) {
      throw new OrientFileError(path, `"${key}" names no mesh file in the folder; expected a file's path (chairs/c3.off), its id (chairs/c3) or a folder ending in '/'`);
    }
    // A file's own key beats any folder; a deeper folder beats a shallower one.
    const rank = folder ? key.length : Infinity;
    for (const file of matching) {
      if ((specificity.get(file.id) ?? -1) < rank) {
        specificity.set(file.id, rank);
        out.set(file.id, orientation);
      }
    }
  }
  return out;
}

function parseValue(key: string, value: unknown, path: string): Orientation {
  try {
    if (typeof value === 'string') return orientationFor(parseSignedAxis(value, 'up'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { up, front, ...rest } = value as Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length) throw new RangeError(`unknown field '${extra[0]}'; expected 'up' and optionally 'front'`);
      const upAxis = parseSignedAxis(up, 'up');
      return orientationFor(upAxis, front === undefined ? undefined : parseSignedAxis(front, 'front'));
    }
    throw new RangeError(`expected an up axis ("-x") or { "up": "z", "front": "-y" }, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof RangeError) throw new OrientFileError(path, `"${key}": ${error.message}`);
    throw error;
  }
}
