/**
 * `imnet export <run-dir> --out weights/<category>`: a run's model in the runtime's weights format
 * (export/exportRun.ts). Pure array re-encoding: no tfjs backend is involved.
 */
import { defineCommand } from '../args.js';
import { RUN_DIR_ARG, requireRunDir } from '../commonFlags.js';

export const exportCommand = defineCommand({
  summary: "Write a trained run's decoder, latents and generator in the runtime's weights format (weights/).",
  usage: 'imnet export <run-dir> --out <weights-dir> [--category name] [--float16]',
  about: `
Writes <weights-dir>/model.json + weights.bin: the decoder, the training and test latents and, after
'imnet gan', the latent generator; then loads them back with the runtime's loader (ImNetDecoder.load
reads the folder unchanged). --float16 halves the file; the runtime widens values on load.`,
  positionals: [RUN_DIR_ARG],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'weights-dir', description: 'weights folder (model.json + weights.bin), e.g. weights/chair' },
    { name: 'category', type: 'string', description: 'category name recorded in model.json (default: the folder name of --out)' },
    { name: 'float16', type: 'boolean', default: false, description: 'store tensors as float16' },
  ],
  async run({ flags, positionals: [runDir] }, { log }) {
    requireRunDir(runDir);
    log('tfjs backend: none; export re-encodes typed arrays (no tensors)');
    const { exportRun } = await import('../../export/exportRun.js');
    const { out: outDir, category, float16 } = flags;
    const result = await exportRun({
      runDir, outDir, category, float16,
      command: `imnet export ${runDir} --out ${outDir}${category ? ` --category ${category}` : ''}${float16 ? ' --float16' : ''}`,
    });
    const m = result.model;
    log(`export: ${result.manifestPath} (${(result.bytes / 1024).toFixed(0)} KiB${float16 ? ', float16' : ''}): category ${m.category}, ` +
      `${m.preset ?? 'custom'} decoder, ${m.trainLatents.length} training + ${m.testLatents.length} test latents, ` +
      `${m.generator ? 'latent generator' : "no generator (run 'imnet gan' first to ship one)"}; loads with ImNetDecoder.load`);
    return 0;
  },
});
