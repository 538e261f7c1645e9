/**
 * IM-NET's auto-encoding table for one category (Table 2 of the paper): each test shape reconstructed
 * from its code by CNN-AE (CNN64) and IM-AE (IM64, IM256), and measured against the ground truth:
 *
 * - MSE and IoU on the 64^3 grid against the dataset's `voxels64` (max-pooled from 256^3: IM-NET's 64^3
 *   data, which both decoders learn; the undilated `strided64` loses the thin parts a surface-touching
 *   256^3 voxelization keeps, measured IoU 0.68-0.71 against `voxels64` on airplanes). IM256 has no grid.
 * - CD: Chamfer distance between 4,096 points on each surface (squared distances, each direction
 *   averaged, summed, x1000); the truth's points lie on its solid's boundary at 256^3 (groundTruth.ts),
 * - LFD: light field distance to the source mesh (descriptors cached by mesh content).
 */
import type { ImNetDecoder, TriangleMesh } from '#core';
import type { Dataset } from '../data/dataset/dataset.js';
import type { VoxelDecoder } from '../models/cnn/VoxelDecoder.js';
import { groundTruthMesh, solidSurface } from './groundTruth.js';
import { lightFieldDistance, type LfdDescriptorCache } from './lfd/index.js';
import { chamferDistance, sampleSurface, voxelIou, voxelMse } from './metrics.js';
import { cnnReconstructions, imReconstruction64, imReconstructionAdaptive, type Reconstruction } from './reconstructionSources.js';

/** The reconstructions compared, in the paper's order. */
export const AUTOENCODER_METHODS = ['CNN64', 'IM64', 'IM256'] as const;
export type AutoencoderMethod = (typeof AUTOENCODER_METHODS)[number];

/** One reconstruction's scores (MSE and IoU null where there is no 64^3 grid). */
export interface ReconstructionScores {
  mse: number | null;
  iou: number | null;
  /** Chamfer distance x1000. */
  cd: number;
  lfd: number;
  triangles: number;
}

/** One test shape's row. */
export interface AutoencoderRow {
  id: string;
  scores: Record<AutoencoderMethod, ReconstructionScores>;
  /** Decoder evaluations IM256's adaptive extraction spent (dense 256^3 would be 16.8 million). */
  im256Evaluations: number;
}

/** A test shape's meshes for the paper's figure: the truth (source mesh) and each reconstruction. */
export type FigureRow = { id: string; truth: TriangleMesh } & Record<AutoencoderMethod, TriangleMesh>;

/** The table's column for a category: means over its test shapes. */
export interface AutoencoderComparison {
  category: string;
  shapes: number;
  rows: AutoencoderRow[];
  /** Means over the test shapes; CD and LFD over those with a surface (`empty` counts the others). */
  mean: Record<AutoencoderMethod, { mse: number | null; iou: number | null; cd: number; lfd: number; empty: number }>;
  settings: { surfacePoints: number; truthResolution: number; im256Resolution: number; seed: number };
}

/** Options of {@link compareAutoencoders}. */
export interface CompareAutoencodersArgs {
  category: string;
  dataset: Dataset;
  /** The IM-AE's trained model (its test latents are the IM-AE encoder's codes of the test shapes). */
  im: ImNetDecoder;
  /** The CNN-AE's decoder and its test latents, by shape id. */
  cnn: { decoder: VoxelDecoder; testLatents: ReadonlyMap<string, Float32Array> };
  lfdCache: LfdDescriptorCache;
  /** Points per surface for CD. Default 4096 (IM-NET). */
  surfacePoints?: number;
  /** Resolution of the truth's solid for CD. Default 256. */
  truthResolution?: number;
  /** Default 256. */
  im256Resolution?: number;
  /** Only the first n test shapes. */
  limit?: number;
  seed?: number;
  /** The first `keepMeshes` shapes' meshes are passed here (for the figure). */
  onMeshes?: (id: string, meshes: Omit<FigureRow, 'id'>) => void;
  keepMeshes?: number;
  onShape?: (row: AutoencoderRow, index: number, count: number) => void;
}

const meanOf = (values: (number | null)[]): number | null => {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null;
};

/** Runs the comparison over the category's test split. */
export async function compareAutoencoders(args: CompareAutoencodersArgs): Promise<AutoencoderComparison> {
  const { dataset, im, cnn, lfdCache } = args;
  const surfacePoints = args.surfacePoints ?? 4096, truthResolution = args.truthResolution ?? 256;
  const im256Resolution = args.im256Resolution ?? 256, seed = args.seed ?? 1;
  const testIds = dataset.ids('test').slice(0, args.limit ?? Infinity);
  const imIds = (im.provenance?.testIds as string[] | undefined) ?? [];
  if (imIds.length !== im.testLatents.length) throw new Error(`the IM model records ${imIds.length} test ids for ${im.testLatents.length} test latents`);
  const imLatent = new Map(imIds.map((id, i) => [id, im.testLatents[i]]));
  const rows: AutoencoderRow[] = [];
  for (let s = 0; s < testIds.length; s++) {
    const id = testIds[s];
    const imCode = imLatent.get(id), cnnCode = cnn.testLatents.get(id);
    if (!imCode) throw new Error(`the IM model has no test latent for '${id}'; was it trained on ${dataset.dir}?`);
    if (!cnnCode) throw new Error(`the CNN model has no test latent for '${id}'; was it trained on ${dataset.dir}?`);
    const samples = await dataset.read(id);
    const truthVoxels = samples.voxels64;
    const truthMesh = await groundTruthMesh(dataset.manifest, dataset.dir, id);
    const truthPoints = sampleSurface(solidSurface(truthMesh, truthResolution, dataset.manifest.options?.surface ?? 'solid'), surfacePoints, seed);
    const truthDescriptor = await lfdCache.get(truthMesh);
    const reconstructions: Record<AutoencoderMethod, Reconstruction> = {
      CNN64: (await cnnReconstructions(cnn.decoder, [cnnCode]))[0],
      IM64: await imReconstruction64(im, imCode),
      IM256: await imReconstructionAdaptive(im, imCode, im256Resolution),
    };
    const evaluations = (reconstructions.IM256 as Reconstruction & { evaluations: number }).evaluations;
    const scores = {} as Record<AutoencoderMethod, ReconstructionScores>;
    for (const method of AUTOENCODER_METHODS) {
      const { grid64, mesh } = reconstructions[method];
      const empty = mesh.indices.length === 0;
      scores[method] = {
        mse: grid64 ? voxelMse(grid64, truthVoxels) : null,
        iou: grid64 ? voxelIou(grid64, truthVoxels, method === 'CNN64' ? 0.5 : im.isoLevel) : null,
        cd: 1000 * chamferDistance(sampleSurface(mesh, surfacePoints, seed + 1), truthPoints),
        lfd: empty ? Infinity : lightFieldDistance(await lfdCache.get(mesh), truthDescriptor),
        triangles: mesh.indices.length / 3,
      };
    }
    if (s < (args.keepMeshes ?? 0)) {
      args.onMeshes?.(id, { truth: truthMesh, CNN64: reconstructions.CNN64.mesh, IM64: reconstructions.IM64.mesh, IM256: reconstructions.IM256.mesh });
    }
    const row: AutoencoderRow = { id, scores, im256Evaluations: evaluations };
    rows.push(row);
    args.onShape?.(row, s, testIds.length);
  }
  const mean = {} as AutoencoderComparison['mean'];
  for (const method of AUTOENCODER_METHODS) {
    const of = (key: keyof ReconstructionScores) => meanOf(rows.map((r) => r.scores[method][key]));
    const empty = rows.filter((r) => r.scores[method].triangles === 0).length;
    mean[method] = { mse: of('mse'), iou: of('iou'), cd: of('cd') ?? NaN, lfd: of('lfd') ?? NaN, empty };
  }
  return { category: args.category, shapes: rows.length, rows, mean, settings: { surfacePoints, truthResolution, im256Resolution, seed } };
}
