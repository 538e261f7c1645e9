/**
 * Case `firstShape`: milliseconds from `new ImplicitShape(latent)` to its first surface on the mesh
 * (the shipped chair, latent 0, default options: the 32^3 first level), for every backend available
 * and for `auto`, in Node and in Chromium, one JSON line each. Every measurement starts from a fresh
 * process or page, so it includes what a user's first shape pays: the backend starting, the weights
 * uploaded, WebGL/WebGPU programs compiled. Node runs the built ESM bundle as an installed package
 * would be imported; Chromium loads the README's script tags (test/bench/firstShapePage.html).
 *
 * A backend whose first shape takes under 10 s is measured three times (fresh each time, in rounds
 * that interleave the backends, so drifting machine load hits them alike) and the line reports the
 * median (`ms`) and every run (`runsMs`): on a shared 2-core machine one run of a ~2 s measurement
 * varies by +-30%. Slower ones (software WebGL/WebGPU, cpu: a minute or more) are measured once.
 * Each line has `ratioToFastest`: the target is `auto` within 1.2x of the fastest forced backend.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { launchChromium } from '../support/browser.js';
import { startServer } from '../../plugin-examples/serve.mjs';
import { emit } from './timing.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const CATEGORY = 'chair';

interface Measurement {
  backend: string;
  runsMs?: number[];
  backendUsed?: string;
  ms?: number;
  resolution?: number;
  triangles?: number;
  evaluations?: number;
  reason?: string;
  error?: string;
}

const NODE_SCRIPT = `
  const backend = process.argv[1];
  if (backend === 'tensorflow') await import('@tensorflow/tfjs-node');
  const { ImNetDecoder, ImplicitShape, autoBackendChoice } = await import('babylon-imnet');
  const { NullEngine } = await import('@babylonjs/core/Engines/nullEngine.js');
  const { Scene } = await import('@babylonjs/core/scene.js');
  const { Logger } = await import('@babylonjs/core/Misc/logger.js');
  Logger.LogLevels = Logger.ErrorLogLevel;
  const decoder = await ImNetDecoder.load(${JSON.stringify(CATEGORY)});
  const scene = new Scene(new NullEngine());
  const started = performance.now();
  const shape = new ImplicitShape(decoder.latents[0], { backend }, scene);
  await shape.ready;
  const ms = performance.now() - started;
  const choice = autoBackendChoice();
  console.log(JSON.stringify({ backendUsed: shape.backendUsed, ms: Math.round(ms), resolution: shape.surfaceResolution,
    triangles: shape.getTotalIndices() / 3, evaluations: shape.extractionStats.evaluations,
    reason: backend === 'auto' && choice ? choice.reason : undefined }));
`;

function installed(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

function measureInNode(backend: string): Measurement {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', NODE_SCRIPT, backend], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 300_000,
  });
  const last = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !last.startsWith('{')) return { backend, error: (run.stderr || run.stdout || `exit ${run.status}`).trim().split('\n').slice(-3).join(' | ') };
  return { backend, ...JSON.parse(last) };
}

export const REPEAT_BELOW_MS = 10_000;
const REPEATS = 3;

/**
 * Measures every backend once, then the quick ones (under {@link REPEAT_BELOW_MS}) again in rounds
 * until each has {@link REPEATS} runs; per backend the median run's line, with every run's ms.
 */
async function interleaved(backends: string[], measure: (backend: string) => Promise<Measurement> | Measurement): Promise<Measurement[]> {
  const runs = new Map<string, Measurement[]>();
  for (const backend of backends) runs.set(backend, [await measure(backend)]);
  const quick = backends.filter((b) => (runs.get(b)![0].ms ?? Infinity) < REPEAT_BELOW_MS);
  for (let round = 1; round < REPEATS; round++) for (const backend of quick) runs.get(backend)!.push(await measure(backend));
  return backends.map((backend) => {
    const all = runs.get(backend)!;
    const timed = all.filter((r) => r.ms !== undefined).sort((a, b) => a.ms! - b.ms!);
    if (timed.length === 0) return all[0];
    return { ...timed[Math.floor(timed.length / 2)], runsMs: all.flatMap((r) => (r.ms === undefined ? [] : [r.ms])) };
  });
}

async function measureInChromium(backends: string[]): Promise<Measurement[]> {
  const server = await startServer({ root: ROOT, port: 0 });
  const browser = await launchChromium({ protocolTimeout: 600_000 });
  let results: Measurement[];
  try {
    results = await interleaved(backends, async (backend) => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/test/bench/firstShapePage.html?backend=${backend}&category=${CATEGORY}`, { waitUntil: 'load' });
      const result = (await page.evaluate('window.firstShape')) as Omit<Measurement, 'backend'>;
      await page.close();
      return { backend, ...result };
    });
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

function emitAll(where: string, results: Measurement[]): void {
  const forced = results.filter((r) => r.backend !== 'auto' && r.ms !== undefined);
  const fastest = Math.min(...forced.map((r) => r.ms!));
  for (const r of results) {
    emit({
      case: 'firstShape', where, category: CATEGORY, ...r,
      ...(r.ms !== undefined && Number.isFinite(fastest) ? { ratioToFastest: Number((r.ms / fastest).toFixed(2)) } : {}),
    });
  }
}

/** Backends to measure in Chromium: all the page registers; `cpu` (~1 GFLOP/s) last. */
const CHROMIUM_BACKENDS = ['auto', 'wasm', 'webgpu', 'webgl', 'cpu'];

export async function firstShapeBench(): Promise<void> {
  if (!existsSync(`${ROOT}dist/babylon-imnet.mjs`)) throw new Error('firstShape measures the built bundle: run `npm run build` first');
  const nodeBackends = ['auto', ...(installed('@tensorflow/tfjs-node') ? ['tensorflow'] : []), 'wasm', 'cpu'];
  emitAll('node', await interleaved(nodeBackends, measureInNode));
  emitAll('chromium', await measureInChromium(CHROMIUM_BACKENDS));
}
