/**
 * A run directory, what `imnet train` writes and `imnet gan`, `imnet export` and `imnet eval` read:
 *
 *     run.json              the run's configuration and dataset split (written once, read on --resume)
 *     checkpoint.bin        training state: weights, optimizer moments, schedule position (atomic)
 *     loss.csv|json|svg     loss per epoch, and its plot
 *     model/model.json      the trained model in the runtime's weights format (+ model/weights.bin):
 *                           decoder, training latents, test latents; loadable by ImNetDecoder.load
 *     gan/                  `imnet gan`: checkpoint.bin, loss.csv|json|svg, generator in checkpoint
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ImNetArchitecture, type PresetName, encodeModel, loadModel, type ImNetModel } from '#core';
import type { Stage } from '../models/imnet/schedule.js';

export const RUN_FORMAT = 'babylon-imnet-run';
export const RUN_FORMAT_VERSION = 1;

/** How latents are obtained: IM-AE's voxel encoder, or a learned table (auto-decoder). */
export type TrainMode = 'autoencoder' | 'autodecoder';

/** Everything that decides a run's result (saved in run.json; a resumed run uses it, not new flags). */
/** How an auto-decoder's codes start. */
export type LatentInit = 'noise' | 'pca';

export interface TrainConfig {
  /** Dataset directory as given (provenance only; the dataset is passed in). */
  datasetDir: string;
  preset: PresetName;
  architecture: ImNetArchitecture;
  mode: TrainMode;
  stages: Stage[];
  /** Shapes per optimizer step. */
  shapesPerStep: number;
  /** Points per shape per step. */
  pointsPerStep: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Auto-decoder: learning rate of the latent table. */
  latentLearningRate: number;
  /** Auto-decoder: weight of the pull of codes toward 0.5. */
  latentRegularization: number;
  /** Auto-decoder: steps to optimise each test shape's code. */
  encodeSteps: number;
  /** Auto-decoder: starting codes, seeded noise around 0.5 or the voxel grids' principal components (pcaLatents.ts). Runs without it used noise. */
  latentInit?: LatentInit;
  /** Encoder: channels of its first convolution (IM-NET's ef_dim). */
  encoderWidth: number;
  seed: number;
}

/** run.json. */
export interface RunInfo {
  format: typeof RUN_FORMAT;
  formatVersion: number;
  config: TrainConfig;
  /** Shape ids in latent-table order. */
  trainIds: string[];
  testIds: string[];
  voxelResolution: number;
}

export const runPaths = (runDir: string) => ({
  info: join(runDir, 'run.json'),
  checkpoint: join(runDir, 'checkpoint.bin'),
  modelDir: join(runDir, 'model'),
  model: join(runDir, 'model', 'model.json'),
  ganDir: join(runDir, 'gan'),
  ganCheckpoint: join(runDir, 'gan', 'checkpoint.bin'),
});

/** A run directory that is missing or not one. */
export class RunDirError extends Error {
  override readonly name = 'RunDirError';
}

export function writeRunInfo(runDir: string, info: RunInfo): void {
  mkdirSync(runDir, { recursive: true });
  const file = runPaths(runDir).info;
  writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(info, null, 2) + '\n');
  renameSync(`${file}.tmp-${process.pid}`, file);
}

export function readRunInfo(runDir: string): RunInfo {
  const file = runPaths(runDir).info;
  if (!existsSync(file)) throw new RunDirError(`${runDir}: not a training run (no run.json; expected the --out directory of \`imnet train\`)`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo;
  if (info.format !== RUN_FORMAT || info.formatVersion !== RUN_FORMAT_VERSION) {
    throw new RunDirError(`${file}: expected ${RUN_FORMAT} v${RUN_FORMAT_VERSION}, got ${String(info.format)} v${String(info.formatVersion)}`);
  }
  return info;
}

/**
 * Writes a model in the runtime's weights format (`model.json` + `weights.bin`) atomically: the
 * binary first, the manifest last, each through a temp file and rename, so a reader never sees a
 * manifest that disagrees with its binary.
 */
export function writeModelFiles(dir: string, model: ImNetModel, options: { float16?: boolean } = {}): string {
  const { manifest, bin } = encodeModel(model, { float16: options.float16 });
  mkdirSync(dir, { recursive: true });
  const suffix = `.tmp-${process.pid}`;
  writeFileSync(join(dir, `weights.bin${suffix}`), bin);
  writeFileSync(join(dir, `model.json${suffix}`), JSON.stringify(manifest, null, 1) + '\n');
  renameSync(join(dir, `weights.bin${suffix}`), join(dir, 'weights.bin'));
  renameSync(join(dir, `model.json${suffix}`), join(dir, 'model.json'));
  return join(dir, 'model.json');
}

/** The trained model of a finished run. */
export async function readRunModel(runDir: string): Promise<ImNetModel> {
  const file = runPaths(runDir).model;
  if (!existsSync(file)) throw new RunDirError(`${runDir}: no trained model yet (${file}); finish \`imnet train\` (or --resume it) first`);
  return (await loadModel(file)).model;
}
