/**
 * Encodes shapes with a frozen decoder (held-out shapes after training, `imnet eval --encode`):
 * their codes are optimised (LatentFit.ts, on the Trainer) until the fit stops improving: the fit
 * runs in rounds of `stepsPerRound` steps and stops when a round's mean loss has not improved on the
 * best round by `minImprovement` (relative) for `patience` rounds, or at `maxSteps`. Defaults:
 * `FIT_DEFAULTS` in config.ts.
 */
import type { BackendPreference } from '../../nn/backend.js';
import { DataParallel } from '../../trainer/DataParallel.js';
import { Trainer } from '../../trainer/Trainer.js';
import { initialLatents } from './latents.js';
import { LatentFitBatches, LatentFitModel, type LatentFitConfig } from './LatentFit.js';
import type { PointLossName } from './pointLoss.js';
import { splitTrainingBatch } from './replica.js';
import type { SampleLevel, ShapeSamples } from './samples.js';
import type { TrainingDecoder } from './TrainingDecoder.js';
import type { TrainingBatch } from './TrainingModel.js';
import { FIT_DEFAULTS, FIT_POINTS_PER_STEP } from './config.js';
import { siblingModule } from '../../util/siblingModule.js';

/** Options of {@link fitLatents}. */
export interface FitLatentsArgs {
  /** The most steps per group of shapes. Default {@link FIT_DEFAULTS}. */
  maxSteps?: number;
  /** Steps per round (the unit early stopping looks at). */
  stepsPerRound?: number;
  /** A round counts as better when its mean loss is below the best round's by this fraction. 0 never stops early. */
  minImprovement?: number;
  /** Rounds without a better one before the fit stops. */
  patience?: number;
  /** Adam learning rate of the codes. */
  learningRate?: number;
  /** Points per shape per step. */
  pointsPerShape?: number;
  /** Sample level the points come from. Default 64 (the finest). */
  level?: SampleLevel;
  /**
   * Share of each step's points taken from the 16^3 samples (the whole box) instead of `level`'s
   * near-surface ones, so the fit also sees the empty space where floating blobs grow. Default
   * {@link FIT_DEFAULTS}.
   */
  farFraction?: number;
  /** Voxel resolution the point indices refer to. Default 256. */
  voxelResolution?: number;
  /** Weight of the pull toward 0.5 (a weak prior). */
  regularization?: number;
  /** The loss the decoder was trained with. Default: `bce` for a sigmoid output, else `mse`. */
  loss?: PointLossName;
  seed?: number;
  /** Starting codes, one per shape (e.g. PCA projections, the mean training code). Default: noise around 0.5. */
  initial?: readonly Float32Array[];
  /** Shapes fitted together (each group one fit; a step holds every shape of its group). Default: as many as fit in {@link FIT_POINTS_PER_STEP}. */
  groupSize?: number;
  /** Data-parallel replicas (worker threads, this one included). Default 1. */
  workers?: number;
  /** The backend the workers load. Default wasm. */
  backend?: BackendPreference;
  /** After each group: its shapes, the steps it took and its last round's loss. */
  onGroup?: (event: { from: number; to: number; steps: number; loss: number; stoppedEarly: boolean }) => void;
}

/** The fitted codes and how each group went. */
export interface FitLatentsResult {
  latents: Float32Array[];
  /** Steps each shape's group ran. */
  steps: number[];
  /** Each shape's group's last-round mean loss. */
  loss: number[];
}

export async function fitLatents(decoder: TrainingDecoder, shapes: readonly ShapeSamples[], args: FitLatentsArgs = {}): Promise<FitLatentsResult> {
  const size = decoder.architecture.latentSize;
  const { initial, seed = 1, level = 64, voxelResolution = 256 } = args;
  const pointsPerShape = args.pointsPerShape ?? FIT_DEFAULTS.pointsPerShape;
  const groupSize = args.groupSize ?? Math.max(1, Math.floor(FIT_POINTS_PER_STEP / pointsPerShape));
  if (initial && (initial.length !== shapes.length || initial.some((code) => code.length !== size))) {
    throw new RangeError(`fitLatents: expected ${shapes.length} initial codes of length ${size}, got ${initial.length}`);
  }
  const maxSteps = args.maxSteps ?? FIT_DEFAULTS.maxSteps;
  const stepsPerRound = Math.max(1, Math.min(args.stepsPerRound ?? FIT_DEFAULTS.stepsPerRound, maxSteps));
  const config: LatentFitConfig = {
    learningRate: args.learningRate ?? FIT_DEFAULTS.learningRate,
    regularization: args.regularization ?? FIT_DEFAULTS.regularization,
    loss: args.loss ?? (decoder.architecture.outputActivation === 'sigmoid' ? 'bce' : 'mse'),
  };
  const result: FitLatentsResult = { latents: [], steps: [], loss: [] };
  const weights = (args.workers ?? 1) > 1 ? await decoder.read() : null;
  for (let from = 0; from < shapes.length; from += groupSize) {
    const group = shapes.slice(from, from + groupSize);
    const start = initial ? Float32Array.from(initial.slice(from, from + group.length).flatMap((code) => Array.from(code))) : initialLatents(group.length, size, seed + from);
    const model = new LatentFitModel(decoder, group.length, start, config);
    const replicas = Math.min(args.workers ?? 1, group.length);
    const parallel = weights && replicas > 1
      ? await DataParallel.start<TrainingBatch>({
        module: model, replicas, split: splitTrainingBatch, backend: args.backend ?? 'wasm',
        factory: { url: siblingModule('LatentFit', import.meta.url).href, name: 'createLatentFitReplica', args: { weights, count: group.length, config } },
      })
      : null;
    try {
      const data = new LatentFitBatches(group, {
        rounds: Math.ceil(maxSteps / stepsPerRound), stepsPerRound, pointsPerShape, level, voxelResolution, seed: seed + from,
        farFraction: args.farFraction ?? FIT_DEFAULTS.farFraction,
      });
      const minImprovement = args.minImprovement ?? FIT_DEFAULTS.minImprovement;
      const patience = args.patience ?? FIT_DEFAULTS.patience;
      let best = Infinity, stale = 0, last = NaN, stoppedEarly = false;
      const trainer: Trainer<TrainingBatch> = new Trainer({
        module: parallel ?? model, data, reduceGradients: parallel?.reduce, name: 'encoding',
        callbacks: [{
          onEpochEnd: ({ row }) => {
            last = row.loss;
            if (row.loss < best * (1 - minImprovement)) {
              best = row.loss;
              stale = 0;
            } else if (minImprovement > 0 && ++stale >= patience) {
              stoppedEarly = true;
              trainer.stop();
            }
          },
          // Yield now and then, so progress output and signals get through.
          onStepEnd: ({ step }) => (step % 10 === 0 ? new Promise<void>((r) => setImmediate(r)) : undefined),
        }],
      });
      const { globalStep } = await trainer.fit();
      const codes = await model.codes();
      result.latents.push(...codes);
      for (let i = 0; i < group.length; i++) {
        result.steps.push(globalStep);
        result.loss.push(last);
      }
      args.onGroup?.({ from, to: from + group.length, steps: globalStep, loss: last, stoppedEarly });
    } finally {
      await parallel?.dispose();
      model.dispose();
    }
  }
  return result;
}
