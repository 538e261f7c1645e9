/**
 * The `imnet` CLI as an installed package runs it: `npm pack`, the tarball installed offline into a
 * fresh project with nothing but the package, its dependencies and its peers (no tsx, no
 * TypeScript, no devDependencies), then the whole toolkit through the package's bin:
 * generate -> prepare (on a worker thread) -> train (tiny) -> gan -> export, and the export loaded
 * by `ImNetDecoder.load` from that same installed package meshes into closed surfaces.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installOffline, packPackage } from '../support/offlineInstall.js';

const ROOT = new URL('../../', import.meta.url).pathname;

let project: string;
let app: string;

/** Runs the installed bin in the project, as `npx imnet ...` would. */
function imnet(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const bin = join(app, 'node_modules', '.bin', 'imnet');
  const result = spawnSync(bin, args, { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 600_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectOk(...args: string[]): { stdout: string; stderr: string } {
  const result = imnet(...args);
  if (result.status !== 0) throw new Error(`imnet ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
  return result;
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/training/imnet.js'))) throw new Error('dist/training/ is missing: run `npm run build` (npm test does) first');
  project = mkdtempSync(join(tmpdir(), 'imnet-cli-tarball-'));
  app = join(project, 'app');
  installOffline(app, packPackage(join(project, 'pack')));
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

test('the installed package has no TypeScript tooling, and its bin answers --help', () => {
  for (const devOnly of ['tsx', 'typescript', 'three', '@gltf-transform/core', 'rollup']) {
    expect({ devOnly, installed: existsSync(join(app, 'node_modules', devOnly)) }).toEqual({ devOnly, installed: false });
  }
  const help = imnet('--help');
  expect(help.status).toBe(0);
  expect(help.stdout).toMatch(/Commands:[\s\S]*generate[\s\S]*prepare[\s\S]*train[\s\S]*gan[\s\S]*export/);
  expect(imnet('--version').stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  expect(imnet('no-such-command').status).toBe(2);
});

test('generate -> prepare -> train -> gan -> export, then ImNetDecoder.load meshes closed surfaces', () => {
  expectOk('generate', 'vase', '--count', '8', '--seed', '1', '--out', 'meshes');
  expect(readdirSync(join(app, 'meshes')).filter((f) => f.endsWith('.obj'))).toHaveLength(8);

  // One worker thread: the built worker entry and task module, not only this thread.
  const prepared = expectOk('prepare', 'meshes', '--out', 'data', '--resolution', '64', '--jobs', '1', '--test-fraction', '0.25', '--seed', '1');
  expect(prepared.stderr).toMatch(/on 1 worker thread/);

  // The end-to-end test's recipe (test/training/cli/endToEnd.test.ts): enough for a surface; on two
  // data-parallel replicas, so the built replica worker and factory modules load too.
  const train = expectOk('train', 'data', '--out', 'run', '--preset', 'web32', '--mode', 'autodecoder',
    '--epochs-16', '6', '--epochs-32', '0', '--epochs-64', '0', '--points', '256', '--lr', '3e-3', '--beta1', '0.9',
    '--latent-lr', '1e-2', '--encode-steps', '20', '--workers', '2');
  // auto, with neither tfjs-node package installed: wasm, and the line says why.
  expect(train.stderr).toMatch(/data-parallel: 2 replicas \(this thread and 1 worker\)/);
  expect(train.stderr).toMatch(/tfjs backend: wasm via @tensorflow\/tfjs-backend-wasm .*auto: tfjs-node-gpu is not installed; tfjs-node is not installed; wasm loaded/);

  expectOk('gan', 'run', '--epochs', '40', '--width', '64', '--noise-size', '16', '--batch-size', '6', '--lr', '1e-3');
  const exported = expectOk('export', 'run', '--out', 'weights/vase', '--float16');
  expect(exported.stderr).toMatch(/category vase, web32 decoder, 6 training \+ 2 test latents, latent generator/);

  // The evaluation commands read data files beside their modules (LFD's constants): a mesh against
  // itself is 0, against another a positive integer.
  const meshes = readdirSync(join(app, 'meshes')).filter((f) => f.endsWith('.obj')).sort().map((f) => join('meshes', f));
  expect(expectOk('lfd', meshes[0], meshes[0]).stdout.trim()).toBe('0');
  // --json is the whole of stdout: one object (the runtime's backend notice goes to stderr).
  const scored = expectOk('eval', 'weights/vase', 'data', '--split', 'test', '--resolution', '32', '--json');
  expect(JSON.parse(scored.stdout)).toMatchObject({ shapes: 2, iou: expect.any(Number) });
  expect(expectOk('lfd', meshes[0], meshes[1]).stdout.trim()).toMatch(/^[1-9][0-9]*$/);

  // The runtime from the same installed package: closed, consistently oriented meshes.
  writeFileSync(join(app, 'load.mjs'), `
    import { ImNetDecoder, ImplicitShape } from 'babylon-imnet';
    import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
    import { Scene } from '@babylonjs/core/scene.js';
    import { Logger } from '@babylonjs/core/Misc/logger.js';
    Logger.LogLevels = Logger.ErrorLogLevel;
    const decoder = await ImNetDecoder.load('./weights/vase/model.json');
    const scene = new Scene(new NullEngine());
    const meshes = [];
    for (const latent of [decoder.latents[0], decoder.testLatents[0], decoder.sample(1)]) {
      const shape = new ImplicitShape(latent, { resolution: 32 }, scene);
      await shape.ready;
      const idx = shape.getIndices();
      const directed = new Set();
      for (let t = 0; t < idx.length; t += 3) for (const [u, v] of [[idx[t], idx[t + 1]], [idx[t + 1], idx[t + 2]], [idx[t + 2], idx[t]]]) directed.add(u + ',' + v);
      let unmatched = 0;
      for (const e of directed) { const [u, v] = e.split(','); if (!directed.has(v + ',' + u)) unmatched++; }
      meshes.push({ label: latent.label, triangles: idx.length / 3, directedEdges: directed.size, unmatched, backend: shape.backendUsed });
    }
    console.log(JSON.stringify({ latents: decoder.latents.length, hasGenerator: decoder.hasGenerator, meshes }));
  `);
  const load = spawnSync(process.execPath, ['load.mjs'], { cwd: app, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 300_000 });
  if (load.status !== 0) throw new Error(`loading the export failed:\n${load.stderr}`);
  const result = JSON.parse(load.stdout.trim().split('\n').pop()!);
  expect(result.latents).toBe(6);
  expect(result.hasGenerator).toBe(true);
  for (const mesh of result.meshes) {
    expect(mesh.backend).toBe('wasm');
    expect(mesh.triangles).toBeGreaterThan(100);
    // Closed and consistently oriented: every directed edge once, each with its reverse.
    expect({ label: mesh.label, directedEdges: mesh.directedEdges, unmatched: mesh.unmatched }).toEqual({ label: mesh.label, directedEdges: mesh.triangles * 3, unmatched: 0 });
  }
}, 900_000);
