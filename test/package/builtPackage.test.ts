/**
 * The built package as a Node user meets it: `import ... from 'babylon-imnet'` (ESM) and
 * `require('babylon-imnet')` (UMD), the shipped weights, a closed mesh.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url).pathname;

function runNode(args: string[], source: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...args, '-e', source], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const USAGE = `
  const d = await ImNetDecoder.load('chair'); // a shipped category, found in the package's weights/
  const s = new ImplicitShape(d.latents[0], { resolution: 32 }, new Scene(new NullEngine()));
  await s.ready;
  const idx = s.getIndices();
  const directed = new Set();
  for (let t = 0; t < idx.length; t += 3) for (const [u, v] of [[idx[t], idx[t + 1]], [idx[t + 1], idx[t + 2]], [idx[t + 2], idx[t]]]) directed.add(u + ',' + v);
  let unmatched = 0;
  for (const e of directed) { const [u, v] = e.split(','); if (!directed.has(v + ',' + u)) unmatched++; }
  console.log(JSON.stringify({ triangles: idx.length / 3, directedEdges: directed.size, unmatched, backend: s.backendUsed, className: s.getClassName() }));
`;

beforeAll(() => {
  if (!existsSync(`${ROOT}dist/babylon-imnet.mjs`)) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
});

test('ESM: a shipped category by name gives a closed mesh', () => {
  const { status, stdout, stderr } = runNode(['--input-type=module'], `
    import { ImNetDecoder, ImplicitShape } from 'babylon-imnet';
    import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
    import { Scene } from '@babylonjs/core/scene.js';
    ${USAGE}`);
  expect(stderr).not.toMatch(/Error/);
  expect(status).toBe(0);
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result.className).toBe('ImplicitShape');
  expect(result.triangles).toBeGreaterThan(500);
  // Closed and consistently oriented: every directed edge once, each with its reverse.
  expect(result.directedEdges).toBe(result.triangles * 3);
  expect(result.unmatched).toBe(0);
});

test('UMD: require() of the .umd.cjs bundle exposes the same API', () => {
  const { status, stdout, stderr } = runNode([], `
    const IMNET = require('babylon-imnet');
    console.log(JSON.stringify({
      api: Object.keys(IMNET).filter((k) => ['ImNetDecoder', 'ImplicitShape', 'extractSurface', 'LatentCode'].includes(k)).sort(),
      categories: IMNET.ImNetDecoder.categories,
      base: IMNET.ImNetDecoder.weightsBaseUrl,
    }));`);
  expect(stderr).toBe('');
  expect(status).toBe(0);
  const result = JSON.parse(stdout.trim());
  expect(result.api).toEqual(['ImNetDecoder', 'ImplicitShape', 'LatentCode', 'extractSurface']);
  expect(result.categories).toEqual(['airplane', 'car', 'chair', 'rifle', 'table', 'vase']);
  // The bundle finds the package's weights/ beside its dist/ folder.
  expect(result.base).toBe(`${ROOT}weights/`);
});
