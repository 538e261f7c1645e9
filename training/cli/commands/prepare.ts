/** `imnet prepare <meshes-dir> --out <dataset-dir>`: meshes to a training dataset. */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { PREPARE_DEFAULTS as D } from '../../data/prepare/config.js';
import { defineCommand, UsageError } from '../args.js';
import type { ProgressBar } from '../progress.js';

export const prepareCommand = defineCommand({
  summary: 'Voxelize and sample a folder of meshes (OBJ, STL, PLY, OFF, glTF/GLB) into an IM-NET training dataset.',
  usage: 'imnet prepare <meshes-dir> --out <dataset-dir> [flags]',
  about: `
Each mesh is normalized into [-0.5, 0.5]^3 (bounding box centred, longest side fixed), voxelized as a
solid at --resolution^3 (holes and self-intersections tolerated), max-pooled to 64/32/16 and sampled as
IM-NET does (4096 + 4096 + 16384 points). Bad files are reported and skipped. Killed runs resume where
they stopped when run again with the same flags. Format: training/data/dataset/FORMAT.md.`,
  positionals: [{ name: 'meshes-dir', description: 'folder searched recursively for .obj .stl .ply .off .gltf .glb' }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'dataset-dir', description: 'dataset folder to create or resume' },
    { name: 'resolution', type: 'integer', default: D.resolution, choices: ['64', '128', '192', '256'], description: 'voxels per axis of the solid voxelization' },
    { name: 'jobs', type: 'integer', min: 0, max: 256, valueName: 'n', description: `worker threads, 0 for this thread only (default: the available cores, ${availableParallelism()} here)` },
    { name: 'seed', type: 'integer', min: 0, max: 2 ** 32 - 1, default: D.seed, description: 'seed of the point sampling and the train/test split' },
    { name: 'test-fraction', type: 'number', min: 0, max: 1, default: D.testFraction, description: 'share of shapes in the test split' },
    { name: 'shard-size', type: 'integer', min: 1, max: 100000, default: D.shardSize, valueName: 'n', description: 'shapes per shard file' },
    { name: 'longest-side', type: 'number', min: 0.01, max: 1, default: D.longestSide, description: 'length of the normalized bounding box\'s longest side' },
    { name: 'up', type: 'string', choices: ['y', 'z'], default: D.upAxis, description: 'up axis of the source meshes (z-up ones are turned to y up)' },
    { name: 'surface', type: 'string', choices: ['center', 'solid'], default: D.surface, description: 'surface voxels: occupied when their centre is inside, or always (keeps thin sheets)' },
    { name: 'max-uncertain', type: 'number', min: 0, default: D.maxUncertain, description: 'skip shapes whose solid is more than this share decided by narrow ray votes (open or very holey meshes)' },
    { name: 'retry-failed', type: 'boolean', default: false, description: 'try again the files an earlier run could not read' },
    { name: 'limit', type: 'integer', min: 1, valueName: 'n', description: 'only the first n files (sorted by path)' },
  ],
  async run({ flags, positionals: [meshesDir] }, { log, progress }) {
    const dirStat = await stat(meshesDir).catch(() => null);
    if (!dirStat?.isDirectory()) throw new UsageError(`<meshes-dir> '${meshesDir}': expected a folder of meshes, ${dirStat ? 'got a file' : 'it does not exist'}`);
    const { prepareDataset, PrepareSettingsMismatch } = await import('../../data/prepare/prepareDataset.js');
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
      return manifest.shapes.length > 0 ? 0 : 1;
    } catch (error) {
      if (error instanceof PrepareSettingsMismatch || error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    }
  },
});
