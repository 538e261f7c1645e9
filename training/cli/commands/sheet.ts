/**
 * `imnet sheet <run-dir|weights-dir> <dataset-dir> --out <prefix>`: pictures of what a model learned,
 * for people rather than tables: held-out reconstructions beside their ground truth, and GAN samples
 * labelled with their distance to the nearest training latent (a copy would sit at ~0).
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';

export const sheetCommand: Command = {
  summary: 'Contact sheets of a model: held-out reconstructions beside ground truth, and GAN samples with their nearest-latent distances.',
  usage: [
    'imnet sheet <run-dir|weights-dir> <dataset-dir> --out <prefix> [flags]',
    '',
    'Writes <prefix>-reconstructions.png (the first --count test shapes: ground truth, then the reconstruction',
    'from the stored test latent, with its IoU at 64^3), <prefix>-gan.png (GAN samples, seeds 1..--samples, each',
    'labelled with the L2 distance of its latent to the nearest training latent) and <prefix>-sheet.json with',
    'those numbers and, for scale, the median distance between a training latent and its nearest other one.',
    'Surfaces are marching cubes of the 64^3 voxel-centre grid, as `imnet eval` measures them.',
  ].join('\n'),
  positionals: [
    { name: 'run-or-weights', description: "a run folder of 'imnet train' (after 'imnet gan') or a weights folder of 'imnet export'" },
    { name: 'dataset-dir', description: "the dataset written by 'imnet prepare' that the model was trained on" },
  ],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'prefix', description: 'path prefix of the PNG and JSON files (folders are created)' },
    { name: 'count', type: 'integer', min: 1, default: 8, description: 'held-out shapes to show' },
    { name: 'samples', type: 'integer', min: 1, default: 16, description: 'GAN samples to show (seeds 1..n)' },
    { name: 'title', type: 'string', description: 'name shown in the sheets\' titles (default: the model\'s category)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const [modelPath, datasetDir] = positionals;
    if (!existsSync(modelPath)) throw new UsageError(`<run-or-weights> '${modelPath}' does not exist`);
    if (!existsSync(datasetDir)) throw new UsageError(`<dataset-dir> '${datasetDir}' does not exist`);
    const { selectBackend } = await import('../../nn/backend.js');
    const { ProgressBar } = await import('../progress.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { writeModelSheets } = await import('../../render/modelSheets.js');
    await selectBackend(flags.backend as BackendPreference, log);
    const dataset = await openDataset(datasetDir);
    const count = flags.count as number;
    const samples = flags.samples as number;
    const bar = new ProgressBar({ label: 'sheet', total: count + samples, unit: 'shapes' });
    const result = await writeModelSheets({
      model: modelPath, dataset, prefix: flags.out as string, count, samples, title: flags.title as string | undefined,
      onShape: (label) => bar.tick(1, label),
    });
    bar.finish();
    log(`sheet: wrote ${result.files.join(', ')}`);
    log(`sheet: mean IoU of the shown reconstructions ${result.meanIou.toFixed(3)}; GAN nearest-latent distance ` +
      `min ${result.gan.minDistance.toFixed(3)}, median ${result.gan.medianDistance.toFixed(3)} (training latents' own median nearest distance ${result.gan.trainMedianNearest.toFixed(3)})`);
    return 0;
  },
};
