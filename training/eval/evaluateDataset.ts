/**
 * `imnet eval`'s work: find the model (a run directory or a weights folder), pair its latents with
 * the dataset's shapes of one split by id, and score the reconstructions.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ImNetDecoder, type LatentCode } from '#core';
import { runPaths } from '../trainer/runDir.js';
import type { SampleSource } from '../models/imnet/samples.js';
import { evaluateReconstruction, type EvaluateReconstructionArgs, type ReconstructionReport } from './evaluateReconstruction.js';
import { EVAL_DEFAULTS } from './config.js';

/** Where a model's manifest is, given a run directory, a weights folder or a manifest path. */
export function resolveModelManifest(path: string): { manifest: string; kind: 'run' | 'weights' } {
  if (!existsSync(path)) throw new Error(`${path}: no such run directory or weights folder`);
  if (statSync(path).isFile()) return { manifest: path, kind: 'weights' };
  const run = runPaths(path);
  if (existsSync(run.info)) {
    if (!existsSync(run.model)) throw new Error(`${path}: the run has no trained model yet (${run.model}); finish or --resume \`imnet train\``);
    return { manifest: run.model, kind: 'run' };
  }
  if (existsSync(join(path, 'model.json'))) return { manifest: join(path, 'model.json'), kind: 'weights' };
  throw new Error(`${path}: expected a run directory (with run.json) or a weights folder (with model.json)`);
}

/** Options of {@link evaluateOnDataset}. */
export interface EvaluateDatasetArgs extends EvaluateReconstructionArgs {
  /** Run directory, weights folder or manifest path. */
  model: string;
  dataset: SampleSource;
  /** Which shapes: the test split (IM-NET's protocol; default) or the training split. */
  split?: 'test' | 'train';
  /** Only the first n shapes. */
  limit?: number;
  /** Only these shapes of the split, in this order (before `limit`). */
  ids?: readonly string[];
  /** Notes (e.g. assumptions about id order). */
  log?: (line: string) => void;
}

/** Scores a model on a dataset split; the decoder is disposed afterwards. */
export async function evaluateOnDataset(args: EvaluateDatasetArgs): Promise<ReconstructionReport & { model: string; split: string }> {
  const { manifest } = resolveModelManifest(args.model);
  const split = args.split ?? EVAL_DEFAULTS.split;
  const decoder = await ImNetDecoder.load(manifest);
  try {
    const latents = split === 'test' ? decoder.testLatents : decoder.latents;
    const recorded = (decoder.provenance?.[split === 'test' ? 'testIds' : 'trainIds'] as string[] | undefined) ?? null;
    const wanted = args.dataset.ids(split);
    const pairs: { id: string; latent: LatentCode }[] = [];
    if (recorded) {
      if (recorded.length !== latents.length) throw new Error(`${manifest}: provenance lists ${recorded.length} ${split} ids for ${latents.length} ${split} latents`);
      const byId = new Map(recorded.map((id, i) => [id, latents[i]]));
      const missing = wanted.filter((id) => !byId.has(id));
      if (missing.length) throw new Error(`${manifest} has no ${split} latent for ${missing.length} of the dataset's ${split} shapes (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', ...' : ''}); was it trained on this dataset?`);
      for (const id of wanted) pairs.push({ id, latent: byId.get(id)! });
    } else {
      if (wanted.length !== latents.length) throw new Error(`${manifest}: ${latents.length} ${split} latents but the dataset has ${wanted.length} ${split} shapes, and the weights record no ids to match them`);
      args.log?.(`note: ${manifest} records no shape ids; pairing its ${split} latents with the dataset's ${split} shapes in order`);
      wanted.forEach((id, i) => pairs.push({ id, latent: latents[i] }));
    }
    if (pairs.length === 0) throw new Error(`the dataset has no ${split} shapes${split === 'test' ? ' (prepare with --test-fraction > 0, or use --split train)' : ''}`);
    const picked = args.ids ? pickIds(pairs.map((p) => p.id), args.ids, `the dataset's ${split} split`).map((i) => pairs[i]) : pairs;
    const chosen = picked.slice(0, args.limit ?? picked.length);
    const shapes = await Promise.all(chosen.map((p) => args.dataset.read(p.id)));
    const report = await evaluateReconstruction(decoder, chosen.map((p) => p.latent), shapes, args);
    return { ...report, model: manifest, split };
  } finally {
    decoder.dispose();
  }
}

/**
 * The positions in `available` of the ids `wanted`, in `wanted`'s order; an id that is not there is
 * an error naming it and `where`.
 */
export function pickIds(available: readonly string[], wanted: readonly string[], where: string): number[] {
  const index = new Map(available.map((id, i) => [id, i]));
  const missing = wanted.filter((id) => !index.has(id));
  if (missing.length) throw new RangeError(`--ids: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not in ${where} (${available.length} shapes, e.g. ${available.slice(0, 3).join(', ')})`);
  return wanted.map((id) => index.get(id)!);
}
