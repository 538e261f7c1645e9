/** One entry point for every mesh format the data prep reads, chosen by file extension. */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { MeshParseError, MeshReadError, type TriangleMesh } from './TriangleMesh.js';
import { readGltfFile } from './readGltf.js';
import { parseObj } from './readObj.js';
import { parseOff } from './readOff.js';
import { parsePly } from './readPly.js';
import { parseStl } from './readStl.js';

export { MeshReadError, type TriangleMesh } from './TriangleMesh.js';

/** File extensions `readMesh` understands (lower case, with the dot). */
export const MESH_EXTENSIONS: readonly string[] = ['.obj', '.stl', '.ply', '.off', '.gltf', '.glb'];

/**
 * Reads a mesh file into world-space triangles. Throws a `MeshReadError` naming the file and the
 * reason for anything unreadable: an unknown extension, I/O errors, malformed content, no triangles,
 * non-finite coordinates, out-of-range indices.
 */
export async function readMesh(path: string): Promise<TriangleMesh> {
  const extension = extname(path).toLowerCase();
  if (!MESH_EXTENSIONS.includes(extension)) {
    throw new MeshReadError(path, `unknown extension '${extension}'; expected one of ${MESH_EXTENSIONS.join(', ')}`);
  }
  try {
    if (extension === '.gltf' || extension === '.glb') return await readGltfFile(path);
    const bytes = await readFile(path);
    switch (extension) {
      case '.stl': return parseStl(bytes);
      case '.ply': return parsePly(bytes);
      case '.obj': return parseObj(bytes.toString('utf8'));
      default: return parseOff(bytes.toString('utf8'));
    }
  } catch (error) {
    if (error instanceof MeshParseError) throw new MeshReadError(path, error.message);
    const e = error as NodeJS.ErrnoException;
    if (e.code) throw new MeshReadError(path, `cannot read: ${e.code} ${e.message}`);
    throw new MeshReadError(path, `${(error as Error).name}: ${(error as Error).message}`);
  }
}
