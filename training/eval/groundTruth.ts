/**
 * The ground truth of a dataset's shape for the paper's comparison, from its source mesh (the dataset
 * keeps only voxels; `manifest.json` says where the mesh is and how prepare normalized it):
 *
 * - the **mesh**: the source, turned and normalized exactly as prepare did, so it sits in the
 *   decoder's box. LFD compares silhouettes, where the parts a generator overlaps inside the shape do
 *   not show, so LFD and the figures use it as it is.
 * - the **surface** for the Chamfer distance: points on the outer surface only. A procedural mesh is a
 *   union of overlapping primitives whose faces inside the solid would be sampled too, so the mesh is
 *   voxelized as a solid at `resolution`^3 (prepare's voxelizer; 256 by default, finer than every
 *   reconstruction compared) and that solid's boundary meshed by marching cubes.
 */
import { isAbsolute, join } from 'node:path';
import type { TriangleMesh } from '#core';
import type { DatasetManifest } from '../data/dataset/dataset.js';
import { readMesh } from '../data/mesh/readMesh.js';
import { applyNormalization, orientationFor, orientPositions } from '../data/voxel/normalize.js';
import { voxelizeSolid } from '../data/voxel/voxelize.js';
import { gridSurface } from './gridSurface.js';

/** The source mesh of shape `id`, in the decoder's box as the dataset's voxels are. */
export async function groundTruthMesh(manifest: DatasetManifest, datasetDir: string, id: string): Promise<TriangleMesh> {
  const entry = manifest.shapes.find((s) => s.id === id);
  if (!entry) throw new RangeError(`no shape '${id}' in the dataset ${datasetDir}`);
  if (!manifest.sourceDir) throw new Error(`${join(datasetDir, 'manifest.json')} records no sourceDir; the ground-truth meshes cannot be found`);
  const file = isAbsolute(entry.source) ? entry.source : join(manifest.sourceDir, entry.source);
  const mesh = await readMesh(file);
  // The quarter turn prepare recorded for this shape (older datasets: the set's up axis).
  const orientation = entry.orientation ?? orientationFor(manifest.options?.upAxis ?? 'y');
  const positions = applyNormalization(orientPositions(mesh.positions, orientation), entry.normalization);
  return { positions: Float32Array.from(positions), indices: mesh.indices };
}

/** The outer surface of a normalized mesh: its solid voxelization's boundary (see the module note). */
export function solidSurface(mesh: TriangleMesh, resolution = 256, surface: 'center' | 'solid' = 'solid'): TriangleMesh {
  const { voxels } = voxelizeSolid(mesh.positions, mesh.indices, { resolution, surface });
  return gridSurface(voxels, resolution, 0.5);
}
