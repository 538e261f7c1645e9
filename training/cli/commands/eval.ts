/**
 * `imnet eval <run-dir|weights-dir> <dataset-dir>`: reconstruction scores of a split (eval/evaluateDataset.ts),
 * as a table on stdout and as JSON. tfjs loads inside `run`.
 */
import { EVAL_DEFAULTS as D } from '../../eval/config.js';
import { defineCommand } from '../args.js';
import { BACKEND_FLAG, MODEL_AND_DATASET_ARGS, requireExists } from '../commonFlags.js';

export const evalCommand = defineCommand({
  summary: 'Measure reconstructions of a dataset split: MSE and IoU on 64^3 voxels, Chamfer distance x1000.',
  usage: 'imnet eval <run-dir|weights-dir> <dataset-dir> [flags]',
  about: `
IM-NET's protocol: each shape is decoded from its stored latent at the voxel centres of a 64^3 grid (MSE and
IoU against the dataset's voxels); both surfaces are meshed by the runtime's marching cubes and 4096
area-weighted points sampled on each; Chamfer = mean squared nearest-neighbour distance, both directions
summed, x1000. The ground-truth surface is the dataset's 64^3 voxels (the source meshes are not kept).`,
  positionals: MODEL_AND_DATASET_ARGS,
  flags: [
    { name: 'split', type: 'string', choices: ['train', 'test'], default: D.split, description: 'which split to measure (IM-NET reports test)' },
    { name: 'resolution', type: 'integer', choices: ['16', '32', '64'], default: D.resolution, description: 'voxel grid of MSE/IoU and of the surfaces' },
    { name: 'points', type: 'integer', min: 1, default: D.surfacePoints, description: 'points sampled on each surface for the Chamfer distance' },
    { name: 'surface-resolution', type: 'integer', min: 0, max: 1024, default: D.surfaceResolution, description: 'mesh reconstructions with extractSurface at this resolution instead (0: the voxel grid)' },
    { name: 'limit', type: 'integer', min: 1, valueName: 'n', description: 'only the first n shapes of the split' },
    { name: 'out', type: 'string', valueName: 'file', description: 'JSON report (default <run-dir>/eval-<split>.json for a run; none for a weights folder)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals: [modelPath, datasetDir] }, { log, print, progress }) {
    requireExists('run-or-weights', modelPath);
    requireExists('dataset-dir', datasetDir);
    const { join } = await import('node:path');
    const { writeFileAtomicSync } = await import('../../util/atomicWrite.js');
    const { selectBackend } = await import('../../nn/backend.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { evaluateOnDataset, resolveModelManifest } = await import('../../eval/evaluateDataset.js');
    const { formatReport } = await import('../../eval/evaluateReconstruction.js');

    const choice = await selectBackend(flags.backend, log);
    const dataset = await openDataset(datasetDir);
    const { split, limit } = flags;
    const { kind } = resolveModelManifest(modelPath);
    const count = Math.min(dataset.ids(split).length, limit ?? Infinity);
    const bar = progress({ label: 'eval', total: count, unit: 'shapes' });
    const report = await evaluateOnDataset({
      model: modelPath, dataset, split, limit,
      resolution: flags.resolution,
      surfacePoints: flags.points,
      surfaceResolution: flags.surfaceResolution,
      log: (line) => bar.log(line),
      onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
    });
    bar.finish();
    print(formatReport(report));
    const out = flags.out ?? (kind === 'run' ? join(modelPath, `eval-${split}.json`) : undefined);
    if (out) {
      writeFileAtomicSync(out, JSON.stringify({ ...report, dataset: datasetDir, backend: choice.backend }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
      log(`eval: wrote ${out}`);
    }
    return 0;
  },
});
