/**
 * Case `train`, stage `prepare`: data-prep throughput of `imnet prepare` (read, voxelize at 256^3,
 * sample, write) on a small mixed folder, on one worker thread and on all cores, in the same run.
 * One JSON line per variant: shapes/s, CPU seconds per shape, and the median per-shape time inside a worker.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDataset } from '../../training/data/prepare/prepareDataset.js';
import { boxMesh, bunnyMesh, mergeMeshes, teapotMesh, toObj, toOff, toPlyBinary, toStlBinary, writeGltf } from '../training/data/mesh/meshWriters.js';
import { emit, round } from './timing.js';

/** Eight shapes in six formats: closed, open and self-intersecting meshes. */
async function writeBenchMeshes(dir: string): Promise<number> {
  const bunny = bunnyMesh(), teapot = teapotMesh();
  await writeFile(join(dir, 'bunny.obj'), toObj(bunny));
  await writeGltf(join(dir, 'bunny.glb'), bunny, [0.2, 0, 0]);
  await writeFile(join(dir, 'bunny.ply'), toPlyBinary(bunny, true));
  await writeFile(join(dir, 'teapot.stl'), toStlBinary(teapot));
  await writeFile(join(dir, 'teapot.off'), toOff(teapot));
  await writeFile(join(dir, 'box.off'), toOff(boxMesh([0, 0, 0], [1, 0.6, 0.8])));
  await writeFile(join(dir, 'open-box.obj'), toObj(boxMesh([0, 0, 0], [1, 0.7, 0.5], '+y')));
  await writeFile(join(dir, 'parts.stl'), toStlBinary(mergeMeshes(boxMesh([0, 0, 0], [0.6, 0.6, 0.6]), boxMesh([0.3, 0.2, 0.1], [1, 0.5, 0.4]))));
  return 8;
}

export async function prepareBench(resolution = 256): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'imnet-prepare-bench-'));
  try {
    const meshes = join(root, 'meshes');
    await mkdir(meshes);
    const shapes = await writeBenchMeshes(meshes);
    const cores = availableParallelism();
    for (const jobs of [...new Set([1, cores])]) {
      const cpu = process.cpuUsage();
      const result = await prepareDataset({ meshesDir: meshes, outDir: join(root, `out-${jobs}`), resolution, jobs, shardSize: 64 });
      const { user, system } = process.cpuUsage(cpu);
      const perShape = result.manifest.shapes.map((s) => s.stats?.milliseconds ?? 0).sort((a, b) => a - b);
      emit({
        case: 'train', stage: 'prepare', variant: `jobs=${jobs}`, shapesPerSecond: round(result.shapesPerSecond),
        shapes, failed: result.failed.length, resolution, jobs, cores,
        medianShapeMs: perShape[Math.floor(perShape.length / 2)], seconds: round(result.seconds),
        // Process CPU time (all threads) per shape: steadier than wall time on a shared machine.
        cpuSecondsPerShape: round((user + system) / 1e6 / shapes),
      });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

// `npx tsx test/bench/prepareBench.ts` runs it alone (the lead wires it into run.ts as part of `train`).
if (process.argv[1]?.endsWith('prepareBench.ts')) await prepareBench();
