import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDataset, type Dataset } from '../../../../training/data/dataset/dataset.js';
import { prepareDataset, splitTest } from '../../../../training/data/prepare/prepareDataset.js';
import { main } from '../../../../training/cli/main.js';
import { boxMesh, bunnyMesh, halfPipeMesh, mergeMeshes, toObj, toOff, toPlyBinary, toStlBinary, writeGltf } from '../mesh/meshWriters.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
let root: string;
let meshes: string;
let reference: Dataset;

/** A folder of mixed formats: an open mesh, a self-intersecting one, an unreadable one, one without volume, one without a clear inside. */
async function writeMeshes(dir: string): Promise<void> {
  await mkdir(join(dir, 'sub'), { recursive: true });
  await writeFile(join(dir, 'box.obj'), toObj(boxMesh([0, 0, 0], [1, 0.6, 0.8])));
  await writeFile(join(dir, 'sub', 'box.stl'), toStlBinary(boxMesh([0, 0, 0], [0.5, 1, 0.5])));
  await writeFile(join(dir, 'open-cube.off'), toOff(boxMesh([0, 0, 0], [1, 1, 1], '+y')));
  await writeFile(join(dir, 'parts.ply'), toPlyBinary(mergeMeshes(boxMesh([0, 0, 0], [0.6, 0.6, 0.6]), boxMesh([0.3, 0.2, 0.1], [1, 0.5, 0.4])), true));
  await writeGltf(join(dir, 'bunny.glb'), bunnyMesh(), [0.5, 0, 0]);
  await writeFile(join(dir, 'broken.obj'), 'v 0 0 0\nv 1 0 0\nf 1 2 3\n');
  await writeFile(join(dir, 'sheet.off'), toOff(boxMesh([0, 0, 0], [1, 1, 0])));
  await writeFile(join(dir, 'halfpipe.obj'), toObj(halfPipeMesh()));
  await writeFile(join(dir, 'notes.txt'), 'not a mesh');
}

function cli(args: string[], env: Record<string, string> = {}): { status: number | null; signal: string | null; stderr: string; stdout: string } {
  const { NODE_OPTIONS: _, ...base } = process.env;
  const result = spawnSync(process.execPath, [join(repo, 'training/cli/imnet.mjs'), ...args], { cwd: repo, env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, signal: result.signal, stderr: result.stderr, stdout: result.stdout };
}

/** Runs the CLI's `main` in this process, capturing what it prints. */
async function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const printed = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = ((text: string) => ((printed.stdout += text), true)) as typeof process.stdout.write;
  process.stderr.write = ((text: string) => ((printed.stderr += text), true)) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, ...printed };
  } finally {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  }
}

async function expectSameShapes(a: Dataset, b: Dataset): Promise<void> {
  expect(b.ids()).toEqual(a.ids());
  expect(b.ids('test')).toEqual(a.ids('test'));
  for (const id of a.ids()) {
    const [x, y] = [await a.read(id), await b.read(id)];
    expect(Buffer.from(y.voxels64).equals(Buffer.from(x.voxels64))).toBe(true);
    for (const level of [16, 32, 64] as const) {
      expect(Buffer.from(y.points[level]).equals(Buffer.from(x.points[level]))).toBe(true);
      expect(Buffer.from(y.values[level]).equals(Buffer.from(x.values[level]))).toBe(true);
    }
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'imnet-prepare-'));
  meshes = join(root, 'meshes');
  await writeMeshes(meshes);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('prepareDataset', () => {
  test('prepares every readable mesh, reports each bad file with its reason, and records a seeded 80/20 split', async () => {
    const out = join(root, 'reference');
    const result = await prepareDataset({ meshesDir: meshes, outDir: out, resolution: 64, jobs: 0, shardSize: 2, seed: 7 });
    expect(result.prepared).toBe(5);
    expect(result.failed).toEqual([
      { file: 'broken.obj', reason: "line 3: face vertex '3' is not one of the 2 vertices defined so far" },
      { file: 'halfpipe.obj', reason: expect.stringMatching(/^its inside is a guess: narrow ray votes decided \d+% of its volume \(large holes or an open surface\); the limit is 50% \(--max-uncertain\)$/) },
      { file: 'sheet.off', reason: expect.stringMatching(/^encloses no volume at 64\^3/) },
    ]);
    // Rejected because the share is over the default limit, whatever the share is exactly.
    const halfPipeShare = Number(/decided (\d+)%/.exec(result.failed[1].reason)![1]);
    expect(halfPipeShare).toBeGreaterThan(50);
    reference = await openDataset(out);
    const { manifest } = reference;
    expect(manifest.failed).toEqual(result.failed);
    expect(manifest.split).toEqual({ seed: 7, testFraction: 0.2 });
    expect(reference.ids()).toEqual(['box', 'bunny', 'open-cube', 'parts', 'sub/box']);
    expect(reference.ids('test')).toEqual([...splitTest(reference.ids(), 7, 0.2)]);
    expect(reference.ids('test')).toHaveLength(1);
    expect(manifest.shapes.find((s) => s.id === 'sub/box')!.source).toBe('sub/box.stl');
    // Centred bounding box, longest side 1 (recorded so a shape can be put back where it came from).
    const { center, scale } = manifest.shapes.find((s) => s.id === 'box')!.normalization;
    [0.5, 0.3, 0.4].forEach((c, a) => expect(center[a]).toBeCloseTo(c, 6));
    expect(scale).toBe(1);
    // 5 shapes in shards of 2: three shard files, no pending leftovers.
    expect((await readdir(join(out, 'shards'))).sort()).toEqual(['shard-00000.imds', 'shard-00001.imds', 'shard-00002.imds']);
    expect(await readdir(join(out, 'pending'))).toEqual([]);
    // The open cube is solid: its 64^3 grid is full.
    const openCube = await reference.read('open-cube');
    expect(openCube.voxels64.every((v) => v === 1)).toBe(true);
    expect(openCube.points[64].length).toBe(3 * 16384);
  });

  test('worker threads produce the same records as the main thread', async () => {
    const out = join(root, 'workers');
    const result = await prepareDataset({ meshesDir: meshes, outDir: out, resolution: 64, jobs: 2, shardSize: 2, seed: 7 });
    expect(result.jobs).toBe(2);
    await expectSameShapes(reference, await openDataset(out));
  });

  test('the split depends on the ids and the seed, not on their order', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `shape${i}`);
    const test = splitTest(ids, 3, 0.2);
    expect(test.size).toBe(10);
    expect(splitTest([...ids].reverse(), 3, 0.2)).toEqual(test);
    expect(splitTest(ids, 4, 0.2)).not.toEqual(test);
  });
});

describe('imnet prepare', () => {
  test('resumes after a kill without redoing finished shapes, and ends equal to an uninterrupted run', async () => {
    const out = join(root, 'killed');
    const flags = [meshes, '--out', out, '--resolution', '64', '--jobs', '1', '--shard-size', '2', '--seed', '7'];
    const killed = cli(['prepare', ...flags], { IMNET_PREPARE_KILL_AFTER: '3' });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    // broken.obj failed, box and bunny were committed, halfpipe.obj failed, open-cube was committed:
    // one shard of 2, one pending.
    expect(await readdir(join(out, 'shards'))).toHaveLength(1);
    expect(await readdir(join(out, 'pending'))).toHaveLength(1);

    const resumed = cli(['prepare', ...flags]);
    expect(resumed.stderr).toContain('8 mesh files');
    expect(resumed.stderr).toContain('3 already done, 2 failed before (--retry-failed tries them again); 3 to do');
    expect(resumed.stderr).toMatch(/prepared 2 shapes/);
    expect(resumed.stderr).toContain('sheet.off: encloses no volume');
    expect(resumed.stderr).toContain('broken.obj: line 3');
    expect(resumed.stderr).toContain('halfpipe.obj: its inside is a guess');
    expect(resumed.status).toBe(0);
    await expectSameShapes(reference, await openDataset(out));
  });

  test('prints the backend line, --help per command, and exits 2 on bad flags or changed settings', async () => {
    const out = join(root, 'killed');
    const help = await run(['prepare', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--resolution <64\|128\|192\|256>/);
    expect((await run(['train', '--help'])).stdout).toMatch(/--backend <auto\|tfjs-node-gpu\|tfjs-node\|wasm\|cpu>/);
    const bad: [string[], RegExp][] = [
      [['prepare', meshes, '--out', out, '--resolution', '100'], /--resolution "100": expected one of 64, 128, 192, 256/],
      [['prepare', meshes, '--out', out, '--frobnicate'], /unknown flag --frobnicate; expected one of: --out/],
      [['prepare', meshes, '--out', out, '--jobs', 'many'], /--jobs "many": expected an integer/],
      [['prepare', meshes], /missing --out <dataset-dir>/],
      [['prepare', join(root, 'nowhere'), '--out', out], /<meshes-dir> '.*nowhere': expected a folder of meshes, it does not exist/],
      [['nonsense'], /unknown command 'nonsense'; expected one of generate, prepare, train, gan, export, eval/],
    ];
    for (const [args, message] of bad) {
      const result = await run(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const changed = await run(['prepare', meshes, '--out', out, '--resolution', '128']);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toContain('tfjs backend: none');
    expect(changed.stderr).toMatch(/prepared with other settings \(resolution 64 there, 128 now/);
  });
});
