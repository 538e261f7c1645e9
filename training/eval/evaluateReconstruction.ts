/**
 * Reconstruction quality of a decoder on shapes with known latents (IM-NET's test-split protocol):
 * per shape, the decoder's occupancy at the voxel centres of a grid gives MSE and IoU against the
 * dataset's voxels; the surfaces of prediction and voxels, meshed by the runtime's marching cubes,
 * give 4096 area-weighted points each for the Chamfer distance (x1000).
 *
 * Ground truth: the dataset's 64^3 voxels `voxels64`, max-pooled from the 256^3 voxelization: IM-NET's
 * 64^3 data, what the decoder is trained on (every 32^3/64^3 sample's value is read from it) and what
 * the paper's IoU is measured against, for IoU/MSE and, meshed at the voxel centres (`gridSurface`),
 * for the Chamfer distance; not the source mesh, which the dataset does not keep. `iouUndilated` also
 * scores against `strided64` (the 256^3 grid read at one voxel per 64^3 cell), which drops parts
 * thinner than 4/256 of the box: even the training targets themselves score only 0.68-0.82 IoU
 * against it on the thin categories (airplane, rifle, vase, chair, table; measured), so it caps what
 * any decoder can reach, and it was this table's ground truth before. The reconstruction's
 * surface: its values on the same kind of grid, or `extractSurface` at `surfaceResolution` when set.
 *
 * Floaters (floaters.ts): the reconstruction at 128^3 (its 64^3 values refined to 128^3 where the
 * occupancy changes) split into connected pieces; a piece that does not reach the dataset's solid
 * (`voxels64`, the max-pooled grid that keeps thin parts, at 128^3) dilated by one voxel is a floater.
 */
import { ImNetDecoder, type BackendName, type LatentCode, extractSurface } from '#core';
import type { ShapeSamples } from '../models/imnet/samples.js';
import { downsampleVoxels, gridSurface, voxelCentres } from './gridSurface.js';
import { countFloaters, refineOccupancy, upsampleVoxels } from './floaters.js';
import { chamferDistance, sampleSurface, voxelIou, voxelMse } from './metrics.js';
import { EVAL_DEFAULTS } from './config.js';

/** One shape's scores. */
export interface ShapeScores {
  id: string;
  mse: number;
  iou: number;
  /** IoU against the undilated `strided64` grid (NaN when the dataset has none). */
  iouUndilated: number;
  /** Chamfer distance x1000. */
  chamfer: number;
  /** Pieces of the 128^3 reconstruction that float free of the shape (NaN when not counted). */
  floaters: number;
  /** Those `ImplicitShape` shows: not under `minPartFraction` of the largest piece (NaN when not counted). */
  floatersShown: number;
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
  /** Skip counting floaters (NaN in the table). Default: counted at `resolution` 64 only (they need its grid; 16 and 32 are quick checks). */
  skipFloaters?: boolean;
  /** `floatersShown` leaves out floaters under this fraction of the largest piece, as `ImplicitShape` does. Default 0.03 (its default). */
  minPartFraction?: number;
  /** Points per decoder batch. Default 65536. */
  batchSize?: number;
  /** The tfjs backend the decoder runs on. Default `auto` (a training process passes its own, so tfjs's one global backend stays put). */
  decoderBackend?: BackendName;
  seed?: number;
  /** Called after each shape. */
  onShape?: (scores: ShapeScores, index: number, count: number) => void;
}

/** Per-shape scores and their means. */
export interface ReconstructionReport {
  rows: ShapeScores[];
  mean: Omit<ShapeScores, 'id'>;
  /** Fraction of the shapes with no floater (NaN when not counted). */
  floaterFree: number;
  /** Fraction of the shapes with no floater that `ImplicitShape` shows (NaN when not counted). */
  floaterFreeShown: number;
  /** The `minPartFraction` of `floatersShown`. */
  minPartFraction: number;
  resolution: number;
  surfacePoints: number;
  surfaceResolution: number;
  backend: string | undefined;
}

/** The grid floaters are counted on: the 64^3 evaluation grid refined once. */
const FLOATER_RESOLUTION = 128;

/** Values at the centres of an n^3 grid, x fastest. */
async function evaluateGrid(evaluate: (points: Float32Array) => Promise<Float32Array>, n: number, batchSize: number): Promise<Float32Array> {
  const centres = voxelCentres(n);
  const values = new Float32Array(n ** 3);
  for (let start = 0; start < values.length; start += batchSize) {
    values.set(await evaluate(centres.slice(3 * start, 3 * Math.min(values.length, start + batchSize))), start);
  }
  return values;
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
    minPartFraction = EVAL_DEFAULTS.minPartFraction,
  } = args;
  if (!(minPartFraction >= 0 && minPartFraction <= 1)) throw new RangeError(`evaluateReconstruction: minPartFraction is ${minPartFraction}; expected a number in [0, 1]`);
  const skipFloaters = args.skipFloaters ?? resolution !== 64;
  if (latents.length !== shapes.length) throw new RangeError(`evaluateReconstruction: ${latents.length} latents for ${shapes.length} shapes`);
  const centres = voxelCentres(resolution);
  const count = resolution ** 3;
  const rows: ShapeScores[] = [];
  let backend: string | undefined;
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s];
    const evaluator = decoder.createOccupancy(latents[s], { backend: args.decoderBackend });
    try {
      const predicted = new Float32Array(count);
      for (let start = 0; start < count; start += batchSize) {
        const end = Math.min(count, start + batchSize);
        predicted.set(await evaluator.evaluate(centres.slice(3 * start, 3 * end)), start);
      }
      backend = evaluator.backend;
      const truthVoxels = shape.voxels64;
      const target = downsampleVoxels(truthVoxels, resolution);
      const iouUndilated = shape.strided64 ? voxelIou(predicted, downsampleVoxels(shape.strided64, resolution), decoder.isoLevel) : NaN;
      let chamfer = NaN;
      if (!skipChamfer) {
        const truth = sampleSurface(gridSurface(truthVoxels, 64, 0.5), surfacePoints, seed);
        const surface = surfaceResolution > 0
          ? await extractSurface(evaluator.evaluate, { resolution: surfaceResolution, isoLevel: decoder.isoLevel, batchSize })
          : gridSurface(predicted, resolution, decoder.isoLevel);
        chamfer = 1000 * chamferDistance(sampleSurface(surface, surfacePoints, seed + 1), truth);
      }
      let floaters = NaN, floatersShown = NaN;
      if (!skipFloaters) {
        const coarse = resolution === 64 ? predicted : await evaluateGrid(evaluator.evaluate, 64, batchSize);
        const occupied = await refineOccupancy(coarse, 64, decoder.isoLevel, evaluator.evaluate, batchSize);
        ({ floaters, floatersShown } = countFloaters(occupied, upsampleVoxels(shape.voxels64, 64, 2), FLOATER_RESOLUTION, minPartFraction));
      }
      const scores: ShapeScores = { id: shape.id, mse: voxelMse(predicted, target), iou: voxelIou(predicted, target, decoder.isoLevel), iouUndilated, chamfer, floaters, floatersShown };
      rows.push(scores);
      args.onShape?.(scores, s, shapes.length);
    } finally {
      evaluator.dispose();
    }
  }
  return {
    rows,
    mean: { mse: mean(rows.map((r) => r.mse)), iou: mean(rows.map((r) => r.iou)), iouUndilated: mean(rows.map((r) => r.iouUndilated)), chamfer: mean(rows.map((r) => r.chamfer)), floaters: mean(rows.map((r) => r.floaters)), floatersShown: mean(rows.map((r) => r.floatersShown)) },
    floaterFree: skipFloaters || rows.length === 0 ? NaN : rows.filter((r) => r.floaters === 0).length / rows.length,
    floaterFreeShown: skipFloaters || rows.length === 0 ? NaN : rows.filter((r) => r.floatersShown === 0).length / rows.length,
    minPartFraction,
    resolution, surfacePoints, surfaceResolution, backend,
  };
}

/**
 * The report's headline numbers: means of IoU, MSE, Chamfer x1000 (`cd`) and floaters, the share of
 * shapes without floaters (in the field, and as `ImplicitShape` shows them), and the shape count.
 */
export function summarize(report: ReconstructionReport): {
  iou: number; iouUndilated: number; mse: number; cd: number; floaters: number; floaterFree: number; floaterFreeShown: number; shapes: number;
} {
  return {
    iou: report.mean.iou, iouUndilated: report.mean.iouUndilated, mse: report.mean.mse, cd: report.mean.chamfer, floaters: report.mean.floaters,
    floaterFree: report.floaterFree, floaterFreeShown: report.floaterFreeShown, shapes: report.rows.length,
  };
}

/** The report as a fixed-width text table (one row per shape, then the mean, then the share of shapes without floaters). */
export function formatReport(report: ReconstructionReport): string {
  const idWidth = Math.max(5, ...report.rows.map((r) => r.id.length));
  const number = (v: number, digits: number, width: number): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v)).padStart(width);
  const line = (id: string, r: Omit<ShapeScores, 'id'>, floaterDigits: number) =>
    `${id.padEnd(idWidth)}  ${number(r.mse, 5, 9)}  ${number(r.iou, 4, 7)}  ${number(r.iouUndilated, 4, 9)}  ${number(r.chamfer, 3, 10)}  ${number(r.floaters, floaterDigits, 8)}  ${number(r.floatersShown, floaterDigits, 5)}`;
  const header = `${'shape'.padEnd(idWidth)}  ${'MSE'.padStart(9)}  ${'IoU'.padStart(7)}  ${'IoU strd'.padStart(9)}  ${'CDx1000'.padStart(10)}  ${'floaters'.padStart(8)}  ${'shown'.padStart(5)}`;
  const rule = '-'.repeat(header.length);
  const free = report.rows.filter((r) => r.floaters === 0).length;
  const freeShown = report.rows.filter((r) => r.floatersShown === 0).length;
  return [
    `voxels ${report.resolution}^3 (IoU strd: against the undilated grid), Chamfer on ${report.surfacePoints} points per surface` +
      `${report.surfaceResolution ? ` (reconstruction meshed at ${report.surfaceResolution}^3)` : ''}, floaters at 128^3, backend ${report.backend ?? '-'}`,
    header, rule,
    ...report.rows.map((r) => line(r.id, r, 0)),
    rule,
    line('mean', report.mean, 2),
    ...(Number.isFinite(report.floaterFree)
      ? [
        `no floaters: ${free} of ${report.rows.length} shapes (${(100 * report.floaterFree).toFixed(1)}%); ` +
          `none shown (pieces under ${100 * report.minPartFraction}% of the largest dropped, as ImplicitShape does): ` +
          `${freeShown} of ${report.rows.length} (${(100 * report.floaterFreeShown).toFixed(1)}%)`,
      ]
      : []),
  ].join('\n');
}
