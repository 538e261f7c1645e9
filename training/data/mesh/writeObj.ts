/** Wavefront OBJ output for generated meshes: the simplest format every mesh tool (and `imnet prepare`) reads. */
import { writeFile } from 'node:fs/promises';
import type { TriangleMesh } from './TriangleMesh.js';

/** Formats a coordinate with at most 6 decimals, without trailing zeros (1e-6 of a unit-box shape is far below a 256^3 voxel). */
function formatCoordinate(v: number): string {
  const s = v.toFixed(6);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * OBJ text of a triangle mesh: optional `#` comment lines, `v x y z` per vertex, `f a b c` per
 * triangle (1-based). Throws a RangeError for a coordinate that is not finite or an index out of range.
 */
export function encodeObj(mesh: TriangleMesh, comments: readonly string[] = []): string {
  const { positions, indices } = mesh;
  const vertexCount = positions.length / 3;
  const lines: string[] = comments.map((c) => `# ${c.replace(/\r?\n/g, ' ')}`);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) throw new RangeError(`vertex ${i / 3} is (${x}, ${y}, ${z}); expected finite coordinates`);
    lines.push(`v ${formatCoordinate(x)} ${formatCoordinate(y)} ${formatCoordinate(z)}`);
  }
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    if (a >= vertexCount || b >= vertexCount || c >= vertexCount) throw new RangeError(`triangle ${t / 3} uses vertex ${Math.max(a, b, c)}; the mesh has ${vertexCount} vertices`);
    lines.push(`f ${a + 1} ${b + 1} ${c + 1}`);
  }
  return lines.join('\n') + '\n';
}

/** Writes `mesh` to `path` as OBJ (see `encodeObj`). */
export async function writeObj(path: string, mesh: TriangleMesh, comments: readonly string[] = []): Promise<void> {
  await writeFile(path, encodeObj(mesh, comments));
}
