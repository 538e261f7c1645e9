/**
 * `imnet eval <run-dir|weights-dir> <dataset-dir>`: reconstruction scores of a split (eval/evaluateDataset.ts),
 * or, with --encode, of every shape of a dataset fitted against the frozen decoder (eval/encodeDataset.ts);
 * as a table or one JSON object on stdout, and as JSON files. tfjs loads inside `run`.
 */
import { EVAL_DEFAULTS as D } from '../../eval/config.js';
import { FIT_DEFAULTS } from '../../models/imnet/config.js';
import { defaultReplicaCount, MAX_DEFAULT_REPLICAS } from '../../trainer/replicaCount.js';
import { defineCommand, UsageError } from '../args.js';
import { BACKEND_FLAG, MODEL_AND_DATASET_ARGS, requireExists } from '../commonFlags.js';

/** JSON has no NaN or Infinity: they are written as strings. */
function finiteOrString(_: string, v: unknown): unknown {
  return typeof v === 'number' && !Number.isFinite(v) ? String(v) : v;
}

export const evalCommand = defineCommand({
  summary: 'Measure reconstructions of a dataset split (MSE and IoU on 64^3 voxels, Chamfer x1000, floaters), or fit new shapes into a trained category (--encode).',
  usage: 'imnet eval <run-dir|weights-dir> <dataset-dir> [flags]',
  about: `
IM-NET's protocol: each shape is decoded from its stored latent at the voxel centres of a 64^3 grid (MSE and
IoU against the dataset's 64^3 voxels, max-pooled from 256^3 as IM-NET's are: the grid the decoder learns);
both surfaces are meshed by the runtime's marching cubes and 4096 area-weighted points sampled on each;
Chamfer = mean squared nearest-neighbour distance, both directions summed, x1000. The ground-truth surface
is the dataset's 64^3 voxels (the source meshes are not kept). 'IoU strd' (iouUndilated) scores against
the 256^3 grid read once per 64^3 cell instead, which loses parts thinner than 4/256 of the box.
Floaters (at --resolution 64): the reconstruction at 128^3 (the 64^3 values refined where the occupancy
changes) split into face-connected pieces; a piece that does not reach the dataset's solid dilated by one
voxel is a floater. 'shown' counts the floaters ImplicitShape would show: it drops pieces under
--min-part-fraction of the largest piece's volume (its default). The table ends with the share of shapes
without any, both ways.

--encode: fit a latent for every shape of the dataset (both splits; any folder 'imnet prepare' wrote, e.g.
your own meshes) against the decoder, frozen, then score those reconstructions. Codes start from the mean
training code; a fit runs in rounds of ${FIT_DEFAULTS.stepsPerRound} steps (--encode-points per shape per step) and stops when a
round's loss has not improved on the best by ${100 * FIT_DEFAULTS.minImprovement}% for ${FIT_DEFAULTS.patience} rounds, or at --encode-steps. --out <file> then
writes the codes (babylon-imnet-latents JSON: ids, latents) for the runtime:
new ImplicitShape(decoder.latent(file.latents[i])).
--json prints one JSON object (means iou, mse, cd, floaters, floaterFree, floaterFreeShown; shapes; rows per shape) instead
of the table.`,
  positionals: MODEL_AND_DATASET_ARGS,
  flags: [
    { name: 'split', type: 'string', choices: ['train', 'test'], default: D.split, description: 'which split to measure (IM-NET reports test); --encode takes every shape' },
    { name: 'resolution', type: 'integer', choices: ['16', '32', '64'], default: D.resolution, description: 'voxel grid of MSE/IoU and of the surfaces' },
    { name: 'points', type: 'integer', min: 1, default: D.surfacePoints, description: 'points sampled on each surface for the Chamfer distance' },
    { name: 'surface-resolution', type: 'integer', min: 0, max: 1024, default: D.surfaceResolution, description: 'mesh reconstructions with extractSurface at this resolution instead (0: the voxel grid)' },
    { name: 'limit', type: 'integer', min: 1, valueName: 'n', description: 'only the first n shapes of the split' },
    { name: 'ids', type: 'string', valueName: 'id,id,...', description: 'only these shapes, in this order (of the split; with --encode, of the dataset)' },
    { name: 'skip-floaters', type: 'boolean', default: false, description: 'do not count floaters (counted at --resolution 64)' },
    { name: 'min-part-fraction', type: 'number', min: 0, max: 1, default: D.minPartFraction, description: 'floaters \'shown\' leave out pieces under this fraction of the largest, as ImplicitShape\'s minPartFraction does' },
    { name: 'json', type: 'boolean', default: false, description: 'print the report as one JSON object instead of the table' },
    { name: 'out', type: 'string', valueName: 'file', description: 'JSON report (default <run-dir>/eval-<split>.json for a run; none for a weights folder); with --encode, the fitted latents' },
    { name: 'encode', type: 'boolean', default: false, description: 'fit a latent for every shape of the dataset against the frozen decoder, then score those' },
    { name: 'encode-steps', type: 'integer', min: 1, default: FIT_DEFAULTS.maxSteps, description: '--encode: the most steps per fit (it stops earlier when it stops improving)' },
    { name: 'encode-points', type: 'integer', min: 1, default: FIT_DEFAULTS.pointsPerShape, description: '--encode: points per shape per step (of the dataset\'s 64^3 samples)' },
    { name: 'encode-far-fraction', type: 'number', min: 0, max: 1, default: FIT_DEFAULTS.farFraction, description: '--encode: share of those points taken from the 16^3 samples, which cover the whole box (0: near the surface only, where nothing keeps blobs out of the empty space)' },
    { name: 'workers', type: 'integer', min: 1, max: 64, valueName: 'n', description: `--encode: data-parallel replicas of the fit (default: the cores, at most ${MAX_DEFAULT_REPLICAS})` },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals: [modelPath, datasetDir] }, { log, print, progress }) {
    requireExists('run-or-weights', modelPath);
    requireExists('dataset-dir', datasetDir);
    const only = flags.ids?.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
    if (only && only.length === 0) throw new UsageError('--ids: expected shape ids separated by commas');
    const { join } = await import('node:path');
    const { writeFileAtomicSync } = await import('../../util/atomicWrite.js');
    const { selectBackend } = await import('../../nn/backend.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { evaluateOnDataset, resolveModelManifest } = await import('../../eval/evaluateDataset.js');
    const { formatReport, summarize } = await import('../../eval/evaluateReconstruction.js');

    const choice = await selectBackend(flags.backend, log);
    const dataset = await openDataset(datasetDir);
    const { limit } = flags;
    const evaluation = {
      resolution: flags.resolution, surfacePoints: flags.points, surfaceResolution: flags.surfaceResolution,
      ...(flags.skipFloaters ? { skipFloaters: true } : {}),
      minPartFraction: flags.minPartFraction,
    };
    if (flags.encode) {
      const { encodeDataset, writeLatentsFile } = await import('../../eval/encodeDataset.js');
      const count = Math.min(only?.length ?? dataset.ids().length, limit ?? Infinity);
      const workers = flags.workers ?? defaultReplicaCount(Infinity);
      log(`eval --encode: fitting ${count} shapes against ${modelPath} (decoder frozen, at most ${flags.encodeSteps} steps, ${workers} worker${workers > 1 ? 's' : ''})`);
      const bar = progress({ label: 'eval', total: count, unit: 'shapes' });
      const { report, ids, latents, steps, decoder } = await encodeDataset({
        model: modelPath, dataset, limit, ids: only, ...evaluation, workers, backend: choice.key,
        fit: { maxSteps: flags.encodeSteps, pointsPerShape: flags.encodePoints, farFraction: flags.encodeFarFraction },
        log: (line) => bar.log(line),
        onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
      });
      bar.finish();
      const full = { ...summarize(report), ...report, rows: report.rows.map((r, i) => ({ ...r, steps: steps[i] })), dataset: datasetDir, backend: choice.backend, encoded: true };
      print(flags.json ? JSON.stringify(full, finiteOrString) : formatReport(report));
      if (flags.out) {
        writeLatentsFile(flags.out, { ids, latents, steps, decoder });
        log(`eval: wrote ${latents.length} latents to ${flags.out}`);
      }
      return 0;
    }
    const { split } = flags;
    const { kind } = resolveModelManifest(modelPath);
    const count = Math.min(only?.length ?? dataset.ids(split).length, limit ?? Infinity);
    const bar = progress({ label: 'eval', total: count, unit: 'shapes' });
    const report = await evaluateOnDataset({
      model: modelPath, dataset, split, limit, ids: only, ...evaluation,
      log: (line) => bar.log(line),
      onShape: (s) => bar.tick(1, `${s.id} IoU ${s.iou.toFixed(3)}`),
    });
    bar.finish();
    const full = { ...summarize(report), ...report, dataset: datasetDir, backend: choice.backend };
    print(flags.json ? JSON.stringify(full, finiteOrString) : formatReport(report));
    const out = flags.out ?? (kind === 'run' ? join(modelPath, `eval-${split}.json`) : undefined);
    if (out) {
      writeFileAtomicSync(out, JSON.stringify(full, finiteOrString, 2) + '\n');
      log(`eval: wrote ${out}`);
    }
    return 0;
  },
});
