/** `imnet prepare <meshes-dir> --out <dataset-dir>`: meshes to a training dataset. */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { PREPARE_DEFAULTS as D } from '../../data/prepare/config.js';
import { SIGNED_AXES } from '../../data/voxel/normalize.js';
import { defineCommand, UsageError } from '../args.js';
import type { ProgressBar } from '../progress.js';

export const prepareCommand = defineCommand({
  summary: 'Voxelize and sample a folder of meshes (OBJ, STL, PLY, OFF, glTF/GLB) into an IM-NET training dataset.',
  usage: 'imnet prepare <meshes-dir> --out <dataset-dir> [flags]',
  about: `
Each mesh is turned so that its up is +y (--up, --orient, orient.json), normalized into [-0.5, 0.5]^3
(bounding box centred, longest side fixed), voxelized as a solid at --resolution^3 (every voxel the
surface touches, plus the filled interior, as IM-NET/binvox; holes and self-intersections tolerated),
max-pooled to 64/32/16 and sampled as IM-NET does (4096 + 4096 + 16384 points). Bad files are reported
and skipped (--strict: exit 1 if any). Killed runs resume where they stopped when run again with the
same flags. Format: training/data/dataset/FORMAT.md.

Orientation: --up names the source axis that points up; negative axes need the = form (--up=-z).
--orient auto then turns each file by the quarter turn that makes it agree with the rest of the set
(where its surface area lies on a 6x6x6 grid, compared with its 3 most similar files; see autoOrient.ts):
for mixed sets where a few files lie on their side. orient.json in <meshes-dir> (or --orient-file)
pins single files or folders: { "chairs/c3.off": "-x", "psb/": { "up": "z", "front": "-y" } }.

Split: round(n * --test-fraction) test shapes, at least 1 when there are 2 or more (--test-fraction 0
for none), at least 1 training shape unless it is 1.`,
  positionals: [{ name: 'meshes-dir', description: 'folder searched recursively for .obj .stl .ply .off .gltf .glb' }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'dataset-dir', description: 'dataset folder to create or resume' },
    { name: 'resolution', type: 'integer', default: D.resolution, choices: ['64', '128', '192', '256'], description: 'voxels per axis of the solid voxelization' },
    { name: 'jobs', type: 'integer', min: 0, max: 256, valueName: 'n', description: `worker threads, 0 for this thread only (default: the available cores, ${availableParallelism()} here)` },
    { name: 'seed', type: 'integer', min: 0, max: 2 ** 32 - 1, default: D.seed, description: 'seed of the point sampling and the train/test split' },
    { name: 'test-fraction', type: 'number', min: 0, max: 1, default: D.testFraction, description: 'share of shapes in the test split (at least 1 of 2 or more; 0 for none)' },
    { name: 'shard-size', type: 'integer', min: 1, max: 100000, default: D.shardSize, valueName: 'n', description: 'shapes per shard file' },
    { name: 'longest-side', type: 'number', min: 0.01, max: 1, default: D.longestSide, description: 'length of the normalized bounding box\'s longest side' },
    { name: 'up', type: 'string', choices: SIGNED_AXES, default: D.upAxis, description: 'source axis that points up (z: CAD/Blender; negative: --up=-z); turned to +y' },
    { name: 'orient', type: 'string', choices: ['fixed', 'auto'], default: D.orient, description: 'fixed: every file as --up/orient.json say; auto: also turn files to agree with the set (mixed sets)' },
    { name: 'orient-file', type: 'string', valueName: 'json', description: 'per-file up axes (default: orient.json in <meshes-dir>, when present)' },
    { name: 'surface', type: 'string', choices: ['solid', 'center'], default: D.surface, description: 'solid: every voxel the surface touches is occupied (IM-NET/binvox; thin parts survive); center: only if its centre is inside (exact volume of closed, thick meshes; thin parts vanish, reported)' },
    { name: 'max-uncertain', type: 'number', min: 0, default: D.maxUncertain, description: 'skip shapes whose solid is more than this share filled by narrow ray votes (open or very holey meshes)' },
    { name: 'retry-failed', type: 'boolean', default: false, description: 'try again the files an earlier run could not read' },
    { name: 'strict', type: 'boolean', default: false, description: 'exit 1 when any file could not be prepared (default: skip it, exit 0)' },
    { name: 'limit', type: 'integer', min: 1, valueName: 'n', description: 'only the first n files (sorted by path)' },
  ],
  async run({ flags, positionals: [meshesDir] }, { log, progress }) {
    const dirStat = await stat(meshesDir).catch(() => null);
    if (!dirStat?.isDirectory()) throw new UsageError(`<meshes-dir> '${meshesDir}': expected a folder of meshes, ${dirStat ? 'got a file' : 'it does not exist'}`);
    const { prepareDataset, PrepareSettingsMismatch } = await import('../../data/prepare/prepareDataset.js');
    const { OrientFileError } = await import('../../data/prepare/orientOverrides.js');
    log('tfjs backend: none; prepare uses no tensors (plain TypeScript over typed arrays, on worker threads)');
    let bar: ProgressBar | null = null;
    process.once('SIGINT', () => {
      log('\ninterrupted: finished shapes are kept; run the same command again to resume');
      process.exit(130);
    });
    const say = (line: string): void => (bar ? bar.log(line) : log(line));
    try {
      const result = await prepareDataset({
        meshesDir,
        outDir: flags.out,
        resolution: flags.resolution,
        jobs: flags.jobs,
        seed: flags.seed,
        testFraction: flags.testFraction,
        shardSize: flags.shardSize,
        longestSide: flags.longestSide,
        upAxis: flags.up,
        orient: flags.orient,
        orientFile: flags.orientFile,
        surface: flags.surface,
        maxUncertain: flags.maxUncertain,
        retryFailed: flags.retryFailed,
        limit: flags.limit,
        onStart: ({ files, alreadyDone, previouslyFailed, todo, jobs }) => {
          log(`prepare: ${files} mesh files in ${meshesDir}; ${alreadyDone} already done, ` +
            `${previouslyFailed} failed before${previouslyFailed ? ' (--retry-failed tries them again)' : ''}; ` +
            (todo ? `${todo} to do on ${jobs ? `${jobs} worker thread${jobs > 1 ? 's' : ''}` : 'the main thread'} at ${flags.resolution}^3` : 'nothing to do'));
          bar = progress({ label: 'prepare', total: todo, unit: 'shapes' });
        },
        onOrient: ({ mode, orientFile, pinned, turned, outliers, unread, seconds }) => {
          if (orientFile) log(`orientation: ${orientFile} pins ${pinned} file${pinned === 1 ? '' : 's'}`);
          if (mode !== 'auto') return;
          log(`orient auto: compared where the files' surface lies in ${seconds.toFixed(1)} s; turned ${turned.length}` +
            `${unread ? ` (${unread} unreadable, left to fail below)` : ''}${turned.length ? ':' : ''}`);
          for (const t of turned) log(`  ${t.source}: up ${t.orientation.up}, front ${t.orientation.front}`);
          if (outliers.length) {
            log(`orient auto: ${outliers.length} file${outliers.length > 1 ? 's look' : ' looks'} unlike the others; check ${outliers.length > 1 ? 'their' : 'its'} orientation (orient.json pins a file):`);
            for (const o of outliers.slice(0, 10)) log(`  ${o.source}: up ${o.orientation.up}, front ${o.orientation.front}`);
            if (outliers.length > 10) log(`  ... and ${outliers.length - 10} more`);
          }
        },
        onShape: ({ source, ok, reason, warning }) => {
          if (!ok) say(`skipped ${source}: ${reason}`);
          if (warning) say(`warning: ${source}: ${warning}`);
          bar?.tick(1, source);
        },
      });
      (bar as ProgressBar | null)?.finish();
      const { manifest } = result;
      const test = manifest.shapes.filter((s) => s.split === 'test').length;
      const work = result.prepared || result.failed.length
        ? `prepared ${result.prepared} shapes in ${result.seconds.toFixed(1)} s (${result.shapesPerSecond.toFixed(2)} shapes/s on ${result.jobs || 'no'} worker${result.jobs === 1 ? '' : 's'}); `
        : '';
      log(`${work}dataset ${flags.out}: ${manifest.shapes.length} shapes (train ${manifest.shapes.length - test}, test ${test})`);
      if (manifest.failed.length) {
        log(`${manifest.failed.length} file${manifest.failed.length > 1 ? 's' : ''} could not be prepared (listed in manifest.json 'failed'):`);
        for (const f of manifest.failed) log(`  ${f.file}: ${f.reason}`);
      }
      if (manifest.failed.length && flags.strict) {
        log(`--strict: exit 1 because ${manifest.failed.length} file${manifest.failed.length > 1 ? 's' : ''} failed`);
        return 1;
      }
      return manifest.shapes.length > 0 ? 0 : 1;
    } catch (error) {
      if (error instanceof PrepareSettingsMismatch || error instanceof RangeError || error instanceof OrientFileError) throw new UsageError(error.message);
      throw error;
    }
  },
});
