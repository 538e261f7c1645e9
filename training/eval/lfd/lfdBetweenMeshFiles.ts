/** LFD between two mesh files: what `npx imnet lfd <a> <b>` prints. */
import { readMesh } from '../../data/mesh/readMesh.js';
import { computeLightFieldDescriptor } from './computeLightFieldDescriptor.js';
import { lightFieldDistance } from './lightFieldDistance.js';

/**
 * Reads two meshes (any format `readMesh` knows: OBJ, STL, PLY, OFF, glTF/GLB) and returns their light
 * field distance, an integer. Throws `MeshReadError` naming a file that cannot be read.
 */
export async function lfdBetweenMeshFiles(a: string, b: string): Promise<number> {
  const [meshA, meshB] = await Promise.all([readMesh(a), readMesh(b)]);
  return lightFieldDistance(computeLightFieldDescriptor(meshA), computeLightFieldDescriptor(meshB));
}
