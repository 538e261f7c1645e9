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
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, loadModel, type ImNetModel } from '#core';
import { writeFileAtomicSync } from '../util/atomicWrite.js';

export const RUN_FORMAT = 'babylon-imnet-run';
export const RUN_FORMAT_VERSION = 1;

/** run.json: what decides the run's result (`config`, the model's) and the dataset split it trained on. */
export interface RunInfo<Config = unknown> {
  format: typeof RUN_FORMAT;
  formatVersion: number;
  config: Config;
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

export function writeRunInfo<Config>(runDir: string, info: RunInfo<Config>): void {
  mkdirSync(runDir, { recursive: true });
  writeFileAtomicSync(runPaths(runDir).info, JSON.stringify(info, null, 2) + '\n');
}

export function readRunInfo<Config = unknown>(runDir: string): RunInfo<Config> {
  const file = runPaths(runDir).info;
  if (!existsSync(file)) throw new RunDirError(`${runDir}: not a training run (no run.json; expected the --out directory of \`imnet train\`)`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as RunInfo<Config>;
  if (info.format !== RUN_FORMAT || info.formatVersion !== RUN_FORMAT_VERSION) {
    throw new RunDirError(`${file}: expected ${RUN_FORMAT} v${RUN_FORMAT_VERSION}, got ${String(info.format)} v${String(info.formatVersion)}`);
  }
  return info;
}

/**
 * Writes a model in the runtime's weights format (`model.json` + `weights.bin`), each file atomically
 * and the binary first, so a reader never sees a manifest that disagrees with its binary.
 */
export function writeModelFiles(dir: string, model: ImNetModel, options: { float16?: boolean } = {}): string {
  const { manifest, bin } = encodeModel(model, { float16: options.float16 });
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, 'weights.bin'), bin);
  writeFileAtomicSync(join(dir, 'model.json'), JSON.stringify(manifest, null, 1) + '\n');
  return join(dir, 'model.json');
}

/** The trained model of a finished run. */
export async function readRunModel(runDir: string): Promise<ImNetModel> {
  const file = runPaths(runDir).model;
  if (!existsSync(file)) throw new RunDirError(`${runDir}: no trained model yet (${file}); finish \`imnet train\` (or --resume it) first`);
  return (await loadModel(file)).model;
}
