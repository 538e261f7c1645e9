/**
 * Reconstruction quality of a decoder on shapes with known latents (IM-NET's test-split protocol):
 * per shape, the decoder's occupancy at the voxel centres of a grid gives MSE and IoU against the
 * dataset's voxels; the surfaces of prediction and voxels, meshed by the runtime's marching cubes,
 * give 4096 area-weighted points each for the Chamfer distance (x1000).
 *
 * Ground truth: the dataset's 64^3 voxels (`strided64`, the undilated ones, when the dataset has
 * them; else `voxels64`), for IoU/MSE and, meshed at the voxel centres (`gridSurface`), for the
 * Chamfer distance; not the source mesh, which the dataset does not keep. The reconstruction's
 * surface: its values on the same kind of grid, or `extractSurface` at `surfaceResolution` when set.
 */
import { ImNetDecoder, type LatentCode, extractSurface } from '#core';
import type { ShapeSamples } from '../models/imnet/samples.js';
import { downsampleVoxels, gridSurface, voxelCentres } from './gridSurface.js';
import { chamferDistance, sampleSurface, voxelIou, voxelMse } from './metrics.js';
import { EVAL_DEFAULTS } from './config.js';

/** One shape's scores. */
export interface ShapeScores {
  id: string;
  mse: number;
  iou: number;
  /** Chamfer distance x1000. */
  chamfer: number;
}

/** Options of {@link evaluateReconstruction}. */
export interface EvaluateReconstructionArgs {
  /** Voxel grid of the MSE/IoU (and of the surfaces, unless `surfaceResolution`): 64 (IM-NET) or 32, 16. Default 64. */
  resolution?: 16 | 32 | 64;
  /** Points sampled on each surface for the Chamfer distance. Default 4096 (IM-NET). */
  surfacePoints?: number;
  /** When > 0, mesh the reconstruction with `extractSurface` at this resolution instead of the voxel grid. Default 0. */
  surfaceResolution?: number;
  /** Skip the Chamfer distance (NaN in the table). Default false. */
  skipChamfer?: boolean;
  /** Points per decoder batch. Default 65536. */
  batchSize?: number;
  seed?: number;
  /** Called after each shape. */
  onShape?: (scores: ShapeScores, index: number, count: number) => void;
}

/** Per-shape scores and their means. */
export interface ReconstructionReport {
  rows: ShapeScores[];
  mean: Omit<ShapeScores, 'id'>;
  resolution: number;
  surfacePoints: number;
  surfaceResolution: number;
  backend: string | undefined;
}

/** Mean of finite values (NaN when none). */
function mean(values: number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}

/** Scores `decoder` on `shapes`, shape i reconstructed from `latents[i]`. */
export async function evaluateReconstruction(decoder: ImNetDecoder, latents: readonly LatentCode[], shapes: readonly ShapeSamples[], args: EvaluateReconstructionArgs = {}): Promise<ReconstructionReport> {
  const {
    resolution = EVAL_DEFAULTS.resolution, surfacePoints = EVAL_DEFAULTS.surfacePoints, surfaceResolution = EVAL_DEFAULTS.surfaceResolution,
    skipChamfer = EVAL_DEFAULTS.skipChamfer, batchSize = EVAL_DEFAULTS.batchSize, seed = EVAL_DEFAULTS.seed,
  } = args;
  if (latents.length !== shapes.length) throw new RangeError(`evaluateReconstruction: ${latents.length} latents for ${shapes.length} shapes`);
  const centres = voxelCentres(resolution);
  const count = resolution ** 3;
  const rows: ShapeScores[] = [];
  let backend: string | undefined;
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s];
    const evaluator = decoder.createOccupancy(latents[s]);
    try {
      const predicted = new Float32Array(count);
      for (let start = 0; start < count; start += batchSize) {
        const end = Math.min(count, start + batchSize);
        predicted.set(await evaluator.evaluate(centres.slice(3 * start, 3 * end)), start);
      }
      backend = evaluator.backend;
      const truthVoxels = shape.strided64 ?? shape.voxels64;
      const target = downsampleVoxels(truthVoxels, resolution);
      let chamfer = NaN;
      if (!skipChamfer) {
        const truth = sampleSurface(gridSurface(truthVoxels, 64, 0.5), surfacePoints, seed);
        const surface = surfaceResolution > 0
          ? await extractSurface(evaluator.evaluate, { resolution: surfaceResolution, isoLevel: decoder.isoLevel, batchSize })
          : gridSurface(predicted, resolution, decoder.isoLevel);
        chamfer = 1000 * chamferDistance(sampleSurface(surface, surfacePoints, seed + 1), truth);
      }
      const scores: ShapeScores = { id: shape.id, mse: voxelMse(predicted, target), iou: voxelIou(predicted, target, decoder.isoLevel), chamfer };
      rows.push(scores);
      args.onShape?.(scores, s, shapes.length);
    } finally {
      evaluator.dispose();
    }
  }
  return {
    rows,
    mean: { mse: mean(rows.map((r) => r.mse)), iou: mean(rows.map((r) => r.iou)), chamfer: mean(rows.map((r) => r.chamfer)) },
    resolution, surfacePoints, surfaceResolution, backend,
  };
}

/** The report as a fixed-width text table (one row per shape, then the mean). */
export function formatReport(report: ReconstructionReport): string {
  const idWidth = Math.max(5, ...report.rows.map((r) => r.id.length));
  const line = (id: string, mse: number, iou: number, cd: number) =>
    `${id.padEnd(idWidth)}  ${mse.toFixed(5).padStart(9)}  ${iou.toFixed(4).padStart(7)}  ${(Number.isFinite(cd) ? cd.toFixed(3) : String(cd)).padStart(10)}`;
  const header = `${'shape'.padEnd(idWidth)}  ${'MSE'.padStart(9)}  ${'IoU'.padStart(7)}  ${'CDx1000'.padStart(10)}`;
  const rule = '-'.repeat(header.length);
  return [
    `voxels ${report.resolution}^3, Chamfer on ${report.surfacePoints} points per surface` +
      `${report.surfaceResolution ? ` (reconstruction meshed at ${report.surfaceResolution}^3)` : ''}, backend ${report.backend ?? '-'}`,
    header, rule,
    ...report.rows.map((r) => line(r.id, r.mse, r.iou, r.chamfer)),
    rule,
    line('mean', report.mean.mse, report.mean.iou, report.mean.chamfer),
  ].join('\n');
}
