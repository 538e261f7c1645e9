/**
 * `imnet eval <run-dir|weights-dir> <dataset-dir>`: reconstruction scores of a split (evaluateDataset.ts),
 * as a table on stdout and as JSON. tfjs loads inside `run`.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';
import { FIT_DEFAULTS } from '../../models/imnet/config.js';
import { defaultReplicaCount } from '../../trainer/replicaCount.js';

export const evalCommand: Command = {
  summary: 'Measure reconstructions of a dataset split: MSE and IoU on 64^3 voxels, Chamfer distance x1000, floaters.',
  usage: [
    'imnet eval <run-dir|weights-dir> <dataset-dir> [flags]',
    '',
    "IM-NET's protocol: each shape is decoded from its stored latent at the voxel centres of a 64^3 grid (MSE and",
    'IoU against the dataset\'s voxels); both surfaces are meshed by the runtime\'s marching cubes and 4096',
    'area-weighted points sampled on each; Chamfer = mean squared nearest-neighbour distance, both directions',
    'summed, x1000. The ground-truth surface is the dataset\'s 64^3 voxels (the source meshes are not kept).',
    'Floaters (at --resolution 64): the reconstruction at 128^3 (the 64^3 values refined where the occupancy changes)',
    'split into face-connected pieces; a piece that does not reach the dataset\'s solid dilated by one voxel is a',
    'floater. The table ends with the share of shapes without any.',
    '',
    '--encode: fit a latent for every shape of the dataset (both splits; any folder `imnet prepare` wrote, e.g. your',
    'own meshes) against the decoder, frozen, then score those reconstructions. Codes start from the mean training',
    `code; each fit runs in rounds of ${FIT_DEFAULTS.stepsPerRound} steps (--encode-points per shape per step) and stops when a round's`,
    `loss has not improved on the best by ${100 * FIT_DEFAULTS.minImprovement}% for ${FIT_DEFAULTS.patience} rounds, or at --encode-steps. --out <file> then writes the codes`,
    '(babylon-imnet-latents JSON: ids, latents) for the runtime: new ImplicitShape(decoder.latent(file.latents[i])).',
    '--json prints one JSON object (means iou, mse, cd, floaters, floaterFree; shapes; rows per shape) instead of the table.',
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
    { name: 'skip-floaters', type: 'boolean', default: false, description: 'do not count floaters (counted at --resolution 64: pieces of the 128^3 reconstruction that do not reach the truth dilated by a voxel)' },
    { name: 'out', type: 'string', valueName: 'file', description: 'JSON report (default <run-dir>/eval-<split>.json for a run; none for a weights folder); with --encode, the fitted latents' },
    { name: 'json', type: 'boolean', default: false, description: 'print the report as one JSON object instead of the table' },
    { name: 'encode', type: 'boolean', default: false, description: 'fit a latent for every shape of the dataset against the frozen decoder, then score those' },
    { name: 'encode-steps', type: 'integer', min: 1, default: FIT_DEFAULTS.maxSteps, description: '--encode: the most steps per fit (it stops earlier when it stops improving)' },
    { name: 'encode-points', type: 'integer', min: 1, default: FIT_DEFAULTS.pointsPerShape, description: '--encode: points per shape per step (of the dataset\'s 64^3 samples)' },
    { name: 'workers', type: 'integer', min: 1, max: 64, valueName: 'n', description: '--encode: data-parallel replicas of the fit (default: the cores, at most 8)' },
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
    const { formatReport, summarize } = await import('../../eval/evaluateReconstruction.js');

    const choice = await selectBackend(flags.backend as BackendPreference, log);
    const dataset = await openDataset(datasetDir);
    const limit = flags.limit as number | undefined;
    const evaluation = {
      resolution: flags.resolution as 16 | 32 | 64,
      surfacePoints: flags.points as number,
      surfaceResolution: flags['surface-resolution'] as number,
      ...(flags['skip-floaters'] ? { skipFloaters: true } : {}),
    };
    const print = (report: object): void => {
      if (flags.json) process.stdout.write(JSON.stringify(report, finiteOrString) + '\n');
    };
    if (flags.encode) {
      const { encodeDataset, writeLatentsFile } = await import('../../eval/encodeDataset.js');
      const count = Math.min(dataset.ids().length, limit ?? Infinity);
      const workers = (flags.workers as number | undefined) ?? defaultReplicaCount(Infinity);
      log(`eval --encode: fitting ${count} shapes against ${modelPath} (decoder frozen, at most ${flags['encode-steps']} steps, ${workers} worker${workers > 1 ? 's' : ''})`);
      const bar = new ProgressBar({ label: 'eval', total: count, unit: 'shapes' });
      const { report, ids, latents, steps, decoder } = await encodeDataset({
        model: modelPath, dataset, limit, ...evaluation, workers, backend: choice.key,
        fit: { maxSteps: flags['encode-steps'] as number, pointsPerShape: flags['encode-points'] as number },
        log: (line) => bar.log(line),
        onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
      });
      bar.finish();
      const full = { ...summarize(report), ...report, rows: report.rows.map((r, i) => ({ ...r, steps: steps[i] })), dataset: datasetDir, backend: choice.backend, encoded: true };
      if (flags.json) print(full);
      else process.stdout.write(formatReport(report) + '\n');
      const out = flags.out as string | undefined;
      if (out) {
        writeLatentsFile(out, { ids, latents, steps, decoder });
        log(`eval: wrote ${latents.length} latents to ${out}`);
      }
      return 0;
    }
    const split = flags.split as 'train' | 'test';
    const { kind } = resolveModelManifest(modelPath);
    const count = Math.min(dataset.ids(split).length, limit ?? Infinity);
    const bar = new ProgressBar({ label: 'eval', total: count, unit: 'shapes' });
    const report = await evaluateOnDataset({
      model: modelPath, dataset, split, limit, ...evaluation,
      log: (line) => bar.log(line),
      onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
    });
    bar.finish();
    const full = { ...summarize(report), ...report, dataset: datasetDir, backend: choice.backend };
    if (flags.json) print(full);
    else process.stdout.write(formatReport(report) + '\n');
    const out = (flags.out as string | undefined) ?? (kind === 'run' ? join(modelPath, `eval-${split}.json`) : undefined);
    if (out) {
      writeFileAtomicSync(out, JSON.stringify(full, finiteOrString, 2) + '\n');
      log(`eval: wrote ${out}`);
    }
    return 0;
  },
};

/** JSON has no NaN or Infinity: they are written as strings. */
function finiteOrString(_: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}
