/**
 * The toolkit's triangle mesh is the runtime's (`TriangleMesh` of the core: xyz per vertex, three
 * indices per triangle; readers give it in world space, without normals or materials). Here: what
 * every reader shares, its errors and the checks every parser promises.
 */
import type { TriangleMesh } from '#core';

export type { TriangleMesh };

/** A mesh file that could not be read: names the file and says what was expected and what came. */
export class MeshReadError extends Error {
  override readonly name = 'MeshReadError';
  constructor(
    /** The file, as given to `readMesh`. */
    readonly file: string,
    /** What was wrong, without the file name. */
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A parser's complaint, turned into a `MeshReadError` by `readMesh` once it knows the file. */
export class MeshParseError extends Error {
  override readonly name = 'MeshParseError';
}

/** Fan-triangulates a polygon (its vertex indices) into `out`; convex polygons come out exact. */
export function pushPolygon(out: number[], polygon: ArrayLike<number>): void {
  for (let i = 1; i + 1 < polygon.length; i++) out.push(polygon[0], polygon[i], polygon[i + 1]);
}

/**
 * Checks what every parser promises: finite coordinates, indices in range, at least one triangle.
 * Throws a `MeshParseError` saying which rule broke.
 */
export function validateMesh(mesh: TriangleMesh): TriangleMesh {
  const { positions, indices } = mesh;
  const vertexCount = positions.length / 3;
  if (indices.length === 0) throw new MeshParseError('no triangles; expected at least one face');
  if (indices.length % 3 !== 0) throw new MeshParseError(`${indices.length} indices is not a whole number of triangles`);
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) {
      throw new MeshParseError(`vertex ${Math.floor(i / 3)} has a non-finite coordinate (${positions[i]})`);
    }
  }
  for (let i = 0; i < indices.length; i++) {
    if (indices[i] >= vertexCount) {
      throw new MeshParseError(`triangle ${Math.floor(i / 3)} refers to vertex ${indices[i]}; the mesh has ${vertexCount} vertices`);
    }
  }
  return mesh;
}

/** Builds a mesh from growable number arrays (what the text parsers collect). */
export function meshFromArrays(positions: number[], indices: number[]): TriangleMesh {
  return validateMesh({ positions: Float32Array.from(positions), indices: Uint32Array.from(indices) });
}
