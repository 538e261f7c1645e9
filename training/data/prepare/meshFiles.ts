/** Which files of a meshes folder are shapes, and the stable id each gets. */
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { MESH_EXTENSIONS } from '../mesh/readMesh.js';

/** A mesh file to prepare. */
export interface MeshFile {
  /** Stable id: the path relative to the meshes folder, `/`-separated, without the extension. */
  id: string;
  /** Path relative to the meshes folder, `/`-separated (what the manifest records). */
  source: string;
  /** Absolute or cwd-relative path to read. */
  path: string;
}

/**
 * Mesh files under `dir` (recursively, by extension, case-insensitive), sorted by source path. Two
 * files that would share an id (`a.obj`, `a.stl`) keep their extensions in their ids instead.
 */
export async function listMeshFiles(dir: string): Promise<MeshFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: MeshFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !MESH_EXTENSIONS.includes(extname(entry.name).toLowerCase())) continue;
    const path = join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    const source = relative(dir, path).split(sep).join('/');
    files.push({ id: source.slice(0, source.length - extname(source).length), source, path });
  }
  files.sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  const seen = new Map<string, number>();
  for (const file of files) seen.set(file.id, (seen.get(file.id) ?? 0) + 1);
  for (const file of files) if (seen.get(file.id)! > 1) file.id = file.source;
  return files;
}
