/**
 * `imnet eval <run-dir|weights-dir> <dataset-dir>`: reconstruction scores of a split (evaluateDataset.ts),
 * as a table on stdout and as JSON. tfjs loads inside `run`.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';

export const evalCommand: Command = {
  summary: 'Measure reconstructions of a dataset split: MSE and IoU on 64^3 voxels, Chamfer distance x1000.',
  usage: [
    'imnet eval <run-dir|weights-dir> <dataset-dir> [flags]',
    '',
    "IM-NET's protocol: each shape is decoded from its stored latent at the voxel centres of a 64^3 grid (MSE and",
    'IoU against the dataset\'s voxels); both surfaces are meshed by the runtime\'s marching cubes and 4096',
    'area-weighted points sampled on each; Chamfer = mean squared nearest-neighbour distance, both directions',
    'summed, x1000. The ground-truth surface is the dataset\'s 64^3 voxels (the source meshes are not kept).',
  ].join('\n'),
  positionals: [
    { name: 'run-or-weights', description: "a run folder of 'imnet train' or a weights folder of 'imnet export'" },
    { name: 'dataset-dir', description: "the dataset written by 'imnet prepare' that the model was trained on" },
  ],
  flags: [
    { name: 'split', type: 'string', choices: ['train', 'test'], default: 'test', description: 'which split to measure (IM-NET reports test)' },
    { name: 'resolution', type: 'integer', choices: ['16', '32', '64'], default: 64, description: 'voxel grid of MSE/IoU and of the surfaces' },
    { name: 'points', type: 'integer', min: 1, default: 4096, description: 'points sampled on each surface for the Chamfer distance' },
    { name: 'surface-resolution', type: 'integer', min: 0, max: 1024, default: 0, description: 'mesh reconstructions with extractSurface at this resolution instead (0: the voxel grid)' },
    { name: 'limit', type: 'integer', min: 1, valueName: 'n', description: 'only the first n shapes of the split' },
    { name: 'out', type: 'string', valueName: 'file', description: 'JSON report (default <run-dir>/eval-<split>.json for a run; none for a weights folder)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const [modelPath, datasetDir] = positionals;
    if (!existsSync(modelPath)) throw new UsageError(`<run-or-weights> '${modelPath}' does not exist`);
    if (!existsSync(datasetDir)) throw new UsageError(`<dataset-dir> '${datasetDir}' does not exist`);
    const { writeFileAtomicSync } = await import('../../util/atomicWrite.js');
    const { join } = await import('node:path');
    const { selectBackend } = await import('../../nn/backend.js');
    const { ProgressBar } = await import('../progress.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { evaluateOnDataset, resolveModelManifest } = await import('../../eval/evaluateDataset.js');
    const { formatReport } = await import('../../eval/evaluateReconstruction.js');

    const choice = await selectBackend(flags.backend as BackendPreference, log);
    const dataset = await openDataset(datasetDir);
    const split = flags.split as 'train' | 'test';
    const { kind } = resolveModelManifest(modelPath);
    const count = Math.min(dataset.ids(split).length, (flags.limit as number | undefined) ?? Infinity);
    const bar = new ProgressBar({ label: 'eval', total: count, unit: 'shapes' });
    const report = await evaluateOnDataset({
      model: modelPath, dataset, split,
      limit: flags.limit as number | undefined,
      resolution: flags.resolution as 16 | 32 | 64,
      surfacePoints: flags.points as number,
      surfaceResolution: flags['surface-resolution'] as number,
      log: (line) => bar.log(line),
      onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
    });
    bar.finish();
    process.stdout.write(formatReport(report) + '\n');
    const out = (flags.out as string | undefined) ?? (kind === 'run' ? join(modelPath, `eval-${split}.json`) : undefined);
    if (out) {
      writeFileAtomicSync(out, JSON.stringify({ ...report, dataset: datasetDir, backend: choice.backend }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n');
      log(`eval: wrote ${out}`);
    }
    return 0;
  },
};
