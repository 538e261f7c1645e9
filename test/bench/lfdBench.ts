/**
 * Case `lfd`: what the evaluation's distances cost, in one JSON line. Light field descriptor per mesh
 * (cube 12 triangles, cylinder 128, bunny 3,674, a 64^3 voxel sphere's surface as a CNN-AE output
 * gives it), one LFD match per pair (one-to-many over distinct descriptors), the generation Chamfer
 * distance per pair (2,048 points each), and what a 60 x 300 COV/MMD matrix costs on one core at those rates.
 */
import { gridSurface, voxelCentres } from '../../training/eval/gridSurface.js';
import { computeLightFieldDescriptor, lightFieldDistancesToMany, normalizeForLightField, type LightFieldDescriptor } from '../../training/eval/lfd/index.js';
import { chamferDistance, generationSurfacePoints } from '../../training/eval/metrics.js';
import { boxMesh, cubeMesh, cylinderMesh } from '../training/eval/lfd/referenceMeshes.js';
import { bunnyMesh } from '../training/data/mesh/meshWriters.js';
import { emit, round, timeIt } from './timing.js';

function voxelSphere(n = 64): { positions: Float32Array; indices: Uint32Array } {
  const centres = voxelCentres(n);
  const inside = new Uint8Array(n ** 3);
  for (let i = 0; i < inside.length; i++) inside[i] = Math.hypot(centres[3 * i], centres[3 * i + 1], centres[3 * i + 2]) <= 0.4 ? 1 : 0;
  return gridSurface(inside, n, 0.5);
}

export async function lfdBench(): Promise<void> {
  const meshes = { cube: cubeMesh(), cylinder: cylinderMesh(), bunny: bunnyMesh(), sphere64: voxelSphere() };
  const descriptorMs: Record<string, number> = {};
  const triangles: Record<string, number> = {};
  const descriptors: LightFieldDescriptor[] = [];
  for (const [name, mesh] of Object.entries(meshes)) {
    triangles[name] = mesh.indices.length / 3;
    descriptorMs[name] = round((await timeIt(async () => { computeLightFieldDescriptor(mesh); }, 2000, 3, 10)).medianMs);
    descriptors.push(computeLightFieldDescriptor(mesh));
  }
  descriptors.push(computeLightFieldDescriptor(boxMesh()));
  // Distinct descriptors (identical objects would be matched all the same; the matrix form skips them).
  const many = Array.from({ length: 20 }, (_, i) => descriptors[i % descriptors.length]);
  const oneToMany = await timeIt(async () => { lightFieldDistancesToMany(descriptors[2], many); }, 2000, 3, 20);
  const matchMsPerPair = oneToMany.medianMs / many.length;

  // Two shapes in the same normalized space, as a generated and a reference shape are.
  const a = generationSurfacePoints({ positions: Float32Array.from(normalizeForLightField(meshes.bunny)), indices: meshes.bunny.indices }, 1);
  const b = generationSurfacePoints(meshes.sphere64, 2);
  const chamferMsPerPair = (await timeIt(async () => { chamferDistance(a, b); }, 2000, 3, 20)).medianMs;

  const pairs = 60 * 300;
  emit({
    case: 'lfd',
    triangles,
    descriptorMs,
    matchMsPerPair: round(matchMsPerPair),
    chamferMsPerPair: round(chamferMsPerPair),
    matrix60x300: {
      descriptorsSeconds: round((360 * descriptorMs.sphere64) / 1000),
      lfdSeconds: round((pairs * matchMsPerPair) / 1000),
      chamferSeconds: round((pairs * chamferMsPerPair) / 1000),
    },
  });
}
