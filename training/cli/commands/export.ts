/**
 * `imnet export <run-dir> --out weights/<category>`: a run's model in the runtime's weights format
 * (exportRun.ts). Pure array re-encoding: no tfjs backend is involved.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';

export const exportCommand: Command = {
  summary: "Write a trained run's decoder, latents and generator in the runtime's weights format (weights/).",
  usage: [
    'imnet export <run-dir> --out <weights-dir> [--category name] [--float16]',
    '',
    'Writes <weights-dir>/model.json + weights.bin: the decoder, the training and test latents and, after',
    "'imnet gan', the latent generator; then loads them back with the runtime's loader (ImNetDecoder.load",
    'reads the folder unchanged). --float16 halves the file; the runtime widens values on load.',
  ].join('\n'),
  positionals: [{ name: 'run-dir', description: "a run folder written by 'imnet train'" }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'weights-dir', description: 'weights folder (model.json + weights.bin), e.g. weights/chair' },
    { name: 'category', type: 'string', description: 'category name recorded in model.json (default: the folder name of --out)' },
    { name: 'float16', type: 'boolean', default: false, description: 'store tensors as float16' },
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const runDir = positionals[0];
    if (!existsSync(`${runDir}/run.json`)) throw new UsageError(`<run-dir> '${runDir}': expected the --out folder of 'imnet train' (no run.json there)`);
    log('tfjs backend: none; export re-encodes typed arrays (no tensors)');
    const { exportRun } = await import('../../export/exportRun.js');
    const outDir = flags.out as string;
    const result = await exportRun({
      runDir, outDir,
      category: flags.category as string | undefined,
      float16: flags.float16 as boolean,
      command: `imnet export ${runDir} --out ${outDir}${flags.category ? ` --category ${flags.category}` : ''}${flags.float16 ? ' --float16' : ''}`,
    });
    const m = result.model;
    log(`export: ${result.manifestPath} (${(result.bytes / 1024).toFixed(0)} KiB${flags.float16 ? ', float16' : ''}): category ${m.category}, ` +
      `${m.preset ?? 'custom'} decoder, ${m.trainLatents.length} training + ${m.testLatents.length} test latents, ` +
      `${m.generator ? 'latent generator' : "no generator (run 'imnet gan' first to ship one)"}; loads with ImNetDecoder.load`);
    return 0;
  },
};
