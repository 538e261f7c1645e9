/**
 * `imnet eval --encode`'s work: fit a latent for every shape of a prepared dataset against a trained
 * decoder (frozen; fitLatents.ts: until the fit stops improving, within a budget), score the
 * reconstructions like `imnet eval` does, and write the codes in a form the runtime loads.
 *
 * Latents file (`babylon-imnet-latents` v1, JSON): `{ format, formatVersion, decoder: { source,
 * category, preset, latentSize }, ids: string[], latents: number[][], steps: number[] }`. A page loads
 * the decoder and turns a row into a shape with `new ImplicitShape(decoder.latent(file.latents[i]))`.
 */
import { ImNetDecoder, loadModel } from '#core';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import type { BackendPreference } from '../nn/backend.js';
import { fitLatents, type FitLatentsArgs } from '../models/imnet/fitLatents.js';
import type { SampleSource } from '../models/imnet/samples.js';
import { TrainingDecoder } from '../models/imnet/TrainingDecoder.js';
import { pickIds, resolveModelManifest } from './evaluateDataset.js';
import { evaluateReconstruction, type EvaluateReconstructionArgs, type ReconstructionReport } from './evaluateReconstruction.js';

export const LATENTS_FORMAT = 'babylon-imnet-latents';
export const LATENTS_FORMAT_VERSION = 1;

/** A latents file as written by {@link writeLatentsFile}. */
export interface LatentsFile {
  format: typeof LATENTS_FORMAT;
  formatVersion: number;
  decoder: { source: string; category: string; preset: string | null; latentSize: number };
  ids: string[];
  latents: number[][];
  /** Optimisation steps each code took. */
  steps: number[];
}

/** Options of {@link encodeDataset}. */
export interface EncodeDatasetArgs extends EvaluateReconstructionArgs {
  /** Weights folder, run directory or manifest path. */
  model: string;
  dataset: SampleSource;
  /** Only the first n shapes (in id order). */
  limit?: number;
  /** Only these shapes, in this order (before `limit`). */
  ids?: readonly string[];
  /** The fit's budget and stopping rule (fitLatents.ts); `workers`/`backend` for its data-parallel replicas. */
  fit?: Omit<FitLatentsArgs, 'initial' | 'voxelResolution'>;
  workers?: number;
  backend?: BackendPreference;
  log?: (line: string) => void;
}

/** What an encoding produced: the scores of the reconstructions from the fitted codes, and the codes. */
export interface EncodeResult {
  report: ReconstructionReport & { model: string };
  ids: string[];
  latents: Float32Array[];
  steps: number[];
  decoder: LatentsFile['decoder'];
}

/**
 * Fits every shape of `dataset` (both splits, in id order), then scores the reconstructions. Codes
 * start from the mean of the decoder's training codes (the best guess without an encoder), or 0.5.
 */
export async function encodeDataset(args: EncodeDatasetArgs): Promise<EncodeResult> {
  const log = args.log ?? (() => {});
  const { manifest } = resolveModelManifest(args.model);
  const { model } = await loadModel(manifest);
  const size = model.architecture.latentSize;
  const all = args.dataset.ids();
  const ids = (args.ids ? pickIds(all, args.ids, args.dataset.dir).map((i) => all[i]) : all).slice(0, args.limit ?? Infinity);
  if (ids.length === 0) throw new Error(`${args.dataset.dir}: the dataset has no shapes to encode`);
  const shapes = await Promise.all(ids.map((id) => args.dataset.read(id)));
  const start = new Float32Array(size).fill(0.5);
  if (model.trainLatents.length > 0) {
    start.fill(0);
    for (const code of model.trainLatents) for (let j = 0; j < size; j++) start[j] += code[j] / model.trainLatents.length;
  }
  const decoderSource = { source: args.model, category: model.category, preset: model.preset, latentSize: size };
  const training = new TrainingDecoder(model.decoder);
  let fitted;
  try {
    const started = performance.now();
    fitted = await fitLatents(training, shapes, {
      ...args.fit, workers: args.workers, backend: args.backend,
      initial: shapes.map(() => start), voxelResolution: args.dataset.manifest.voxelResolution,
      onGroup: (g) => {
        log(`encoded shapes ${g.from + 1}-${g.to} of ${shapes.length}: ${g.steps} steps${g.stoppedEarly ? ' (stopped improving)' : ' (budget)'}, loss ${g.loss.toPrecision(3)}`);
        args.fit?.onGroup?.(g);
      },
    });
    log(`encoding: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    training.dispose();
  }
  const decoder = await ImNetDecoder.load(manifest);
  try {
    const report = await evaluateReconstruction(decoder, fitted.latents.map((v) => decoder.latent(v)), shapes, args);
    return { report: { ...report, model: manifest }, ids, latents: fitted.latents, steps: fitted.steps, decoder: decoderSource };
  } finally {
    decoder.dispose();
  }
}

/** Writes the codes as a latents file (atomically). */
export function writeLatentsFile(file: string, result: Pick<EncodeResult, 'ids' | 'latents' | 'steps' | 'decoder'>): void {
  const content: LatentsFile = {
    format: LATENTS_FORMAT, formatVersion: LATENTS_FORMAT_VERSION, decoder: result.decoder,
    ids: result.ids, latents: result.latents.map((code) => Array.from(code)), steps: result.steps,
  };
  writeFileAtomicSync(file, JSON.stringify(content) + '\n');
}
