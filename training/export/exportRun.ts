/**
 * `imnet export`'s work: a finished run's model (decoder, training and test latents, and the GAN
 * generator when `imnet gan` has run) written in the runtime's weights format, then read back with
 * the runtime's own loader to prove `ImNetDecoder.load` takes it unchanged.
 */
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadModel, type ImNetModel } from '#core';
import { readRunModel, writeModelFiles } from '../trainer/runDir.js';

/** Options of {@link exportRun}. */
export interface ExportArgs {
  runDir: string;
  /** Output folder (`weights/<category>`); gets model.json + weights.bin. */
  outDir: string;
  /** Category name in the manifest. Default: the output folder's name. */
  category?: string;
  /** Store tensors as float16 (half the bytes; the runtime widens them on load). */
  float16?: boolean;
  /** Recorded in the provenance. */
  command?: string;
}

/** What was written. */
export interface ExportResult {
  manifestPath: string;
  model: ImNetModel;
  /** Bytes of weights.bin. */
  bytes: number;
}

export async function exportRun(args: ExportArgs): Promise<ExportResult> {
  const runModel = await readRunModel(args.runDir);
  const category = args.category ?? basename(resolve(args.outDir));
  if (!/^[\w.-]+$/.test(category)) throw new RangeError(`category '${category}': expected letters, digits, '_', '-' or '.'`);
  const model: ImNetModel = {
    ...runModel,
    category,
    provenance: {
      ...runModel.provenance,
      exportedFrom: resolve(args.runDir),
      float16: Boolean(args.float16),
      ...(args.command ? { command: args.command } : {}),
    },
  };
  const manifestPath = writeModelFiles(args.outDir, model, { float16: args.float16 });
  // The runtime's loader checks the manifest, every shape and every byte count.
  const { model: loaded } = await loadModel(manifestPath);
  return { manifestPath, model: loaded, bytes: statSync(join(args.outDir, 'weights.bin')).size };
}
