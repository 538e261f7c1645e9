/**
 * `imnet sheet <run-dir|weights-dir> <dataset-dir> --out <prefix>`: pictures of what a model learned,
 * for people rather than tables: held-out reconstructions beside their ground truth, and GAN samples
 * labelled with their distance to the nearest training latent (a copy would sit at ~0).
 */
import { defineCommand } from '../args.js';
import { BACKEND_FLAG, MODEL_AND_DATASET_ARGS, requireExists } from '../commonFlags.js';

export const sheetCommand = defineCommand({
  summary: 'Contact sheets of a model: held-out reconstructions beside ground truth, and GAN samples with their nearest-latent distances.',
  usage: 'imnet sheet <run-dir|weights-dir> <dataset-dir> --out <prefix> [flags]',
  about: `
Writes <prefix>-reconstructions.png (the first --count test shapes: ground truth, then the reconstruction
from the stored test latent, with its IoU at 64^3), <prefix>-gan.png (GAN samples, seeds 1..--samples, each
labelled with the L2 distance of its latent to the nearest training latent) and <prefix>-sheet.json with
those numbers and, for scale, the median distance between a training latent and its nearest other one.
Surfaces are marching cubes of the 64^3 voxel-centre grid, as \`imnet eval\` measures them. The model needs
a GAN generator ('imnet gan').`,
  positionals: MODEL_AND_DATASET_ARGS,
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'prefix', description: 'path prefix of the PNG and JSON files (folders are created)' },
    { name: 'count', type: 'integer', min: 1, default: 8, description: 'held-out shapes to show' },
    { name: 'samples', type: 'integer', min: 1, default: 16, description: 'GAN samples to show (seeds 1..n)' },
    { name: 'title', type: 'string', description: 'name shown in the sheets\' titles (default: the model\'s category)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals: [modelPath, datasetDir] }, { log, progress }) {
    requireExists('run-or-weights', modelPath);
    requireExists('dataset-dir', datasetDir);
    const { selectBackend } = await import('../../nn/backend.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { writeModelSheets } = await import('../../render/modelSheets.js');
    await selectBackend(flags.backend, log);
    const dataset = await openDataset(datasetDir);
    const { count, samples, title } = flags;
    const bar = progress({ label: 'sheet', total: count + samples, unit: 'shapes' });
    const result = await writeModelSheets({
      model: modelPath, dataset, prefix: flags.out, count, samples, title,
      onShape: (label) => bar.tick(1, label),
    });
    bar.finish();
    log(`sheet: wrote ${result.files.join(', ')}`);
    log(`sheet: mean IoU of the shown reconstructions ${result.meanIou.toFixed(3)}; GAN nearest-latent distance ` +
      `min ${result.gan.minDistance.toFixed(3)}, median ${result.gan.medianDistance.toFixed(3)} (training latents' own median nearest distance ${result.gan.trainMedianNearest.toFixed(3)})`);
    return 0;
  },
});
