/**
 * How each model of the paper's comparison turns a latent code into what is measured:
 *
 * - **IM64**: the IM decoder at the 64^3 voxel centres (MSE, IoU), meshed by marching cubes on that grid.
 * - **IM256**: the IM decoder through the runtime's adaptive extractor at 256^3, with the settings
 *   `ImplicitShape` uses for trained decoders (sign changes only, from a 32^3 start).
 * - **CNN64**: the CNN-AE decoder's 64^3 grid, meshed by marching cubes on that grid.
 *
 * The 64^3 grids share one lattice (voxel centres) and one mesher (`gridSurface`), so IM64 and CNN64
 * differ only in the decoder.
 */
import { extractSurface, type ImNetDecoder, type LatentCode, type TriangleMesh } from '#core';
import type { Conv3dPath } from '../nn/conv3d.js';
import type { CnnModel } from '../models/cnn/cnnModelFile.js';
import { VoxelDecoder } from '../models/cnn/VoxelDecoder.js';
import { gridSurface, voxelCentres } from './gridSurface.js';

/** A reconstruction: the 64^3 occupancy grid (x fastest; absent for IM256) and the surface. */
export interface Reconstruction {
  grid64: Float32Array | null;
  mesh: TriangleMesh;
}

/** Points per IM decoder call. */
const BATCH = 65536;

let _centres64: Float32Array | null = null;

/** The IM decoder's occupancy at the 64^3 voxel centres. */
export async function imGrid64(decoder: ImNetDecoder, latent: LatentCode): Promise<Float32Array> {
  const centres = (_centres64 ??= voxelCentres(64));
  const count = centres.length / 3;
  const evaluator = decoder.createOccupancy(latent);
  try {
    const grid = new Float32Array(count);
    for (let start = 0; start < count; start += BATCH) grid.set(await evaluator.evaluate(centres.subarray(3 * start, 3 * Math.min(count, start + BATCH))), start);
    return grid;
  } finally {
    evaluator.dispose();
  }
}

/** IM64: the 64^3 grid and its marching-cubes surface. */
export async function imReconstruction64(decoder: ImNetDecoder, latent: LatentCode): Promise<Reconstruction> {
  const grid64 = await imGrid64(decoder, latent);
  return { grid64, mesh: gridSurface(grid64, 64, decoder.isoLevel) };
}

/** IM256: the adaptive extractor's surface at `resolution` (256), and how many points it evaluated. */
export async function imReconstructionAdaptive(decoder: ImNetDecoder, latent: LatentCode, resolution = 256): Promise<Reconstruction & { evaluations: number }> {
  const evaluator = decoder.createOccupancy(latent);
  try {
    const surface = await extractSurface(evaluator.evaluate, {
      resolution, isoLevel: decoder.isoLevel, outputActivation: decoder.architecture.outputActivation,
      guardBand: false, coarseResolution: 32, batchSize: BATCH,
    });
    return { grid64: null, mesh: surface, evaluations: surface.stats.evaluations };
  } finally {
    evaluator.dispose();
  }
}

/** A CNN-AE decoder with a model file's weights. */
export function loadCnnDecoder(model: CnnModel, source: string, convPath: Conv3dPath = 'patches'): VoxelDecoder {
  const decoder = new VoxelDecoder({ latentSize: model.latentSize, width: model.decoderWidth, leakySlope: model.leakySlope, convPath });
  decoder.load(model.decoder, source);
  return decoder;
}

/** CNN64: the decoder's 64^3 grids of `latents` and their marching-cubes surfaces. */
export async function cnnReconstructions(decoder: VoxelDecoder, latents: readonly ArrayLike<number>[]): Promise<Reconstruction[]> {
  const grids = await decoder.decode(latents);
  return grids.map((grid64) => ({ grid64, mesh: gridSurface(grid64, 64, 0.5) }));
}
