/** Flags, positionals and checks several commands share, declared once. */
import { existsSync } from 'node:fs';
import { BACKEND_PREFERENCES } from '../nn/backend.js';
import { DEFAULT_CHECKPOINT_MINUTES } from '../trainer/checkpoint.js';
import { UsageError, type FlagSpec, type PositionalSpec } from './args.js';

/** The `--backend` flag, for every command that runs tfjs. */
export const BACKEND_FLAG = {
  name: 'backend',
  type: 'string',
  choices: BACKEND_PREFERENCES,
  default: 'auto',
  description: 'tfjs backend; auto takes the first that loads of tfjs-node-gpu, tfjs-node, wasm, cpu',
} as const satisfies FlagSpec;

/** `--checkpoint-minutes`, for the training commands. */
export const CHECKPOINT_MINUTES_FLAG = {
  name: 'checkpoint-minutes', type: 'number', min: 0, default: DEFAULT_CHECKPOINT_MINUTES, description: 'minutes between checkpoints (besides each stage\'s end)',
} as const satisfies FlagSpec;

/**
 * The flags every training command ends with: `--seed` (default from the model's config), `--resume`,
 * `--checkpoint-minutes` (default: the trainer's, or the model's own) and `--backend`.
 */
export function trainingRunFlags(seed: number, say: { seed: string; resume: string }, checkpointMinutes: number = CHECKPOINT_MINUTES_FLAG.default) {
  return [
    { name: 'seed', type: 'integer', min: 0, default: seed, description: say.seed },
    { name: 'resume', type: 'boolean', default: false, description: say.resume },
    { ...CHECKPOINT_MINUTES_FLAG, default: checkpointMinutes },
    BACKEND_FLAG,
  ] as const satisfies readonly FlagSpec[];
}

/** `<run-dir>`: what `imnet train` wrote. */
export const RUN_DIR_ARG = { name: 'run-dir', description: "a run folder written by 'imnet train'" } as const satisfies PositionalSpec;

/** `<run-or-weights> <dataset-dir>`: a model and the dataset it was trained on. */
export const MODEL_AND_DATASET_ARGS = [
  { name: 'run-or-weights', description: "a run folder of 'imnet train' or a weights folder of 'imnet export'" },
  { name: 'dataset-dir', description: "the dataset written by 'imnet prepare' that the model was trained on" },
] as const satisfies readonly PositionalSpec[];

/** Throws a `UsageError` unless `runDir` holds a run (its run.json). */
export function requireRunDir(runDir: string): void {
  if (!existsSync(`${runDir}/run.json`)) throw new UsageError(`<run-dir> '${runDir}': expected the --out folder of 'imnet train' (no run.json there)`);
}

/** Throws a `UsageError` naming the argument unless `path` exists. */
export function requireExists(argument: string, path: string, expected = ''): void {
  if (!existsSync(path)) throw new UsageError(`<${argument}> '${path}' does not exist${expected ? `; expected ${expected}` : ''}`);
}
