/**
 * Backends in real Chromium, from the README's script tags: WebGPU (tfjs-backend-webgpu) gives the
 * mesh the CPU backend gives in Node, and `auto` takes wasm where WebGL and WebGPU are software
 * rasterisers (this machine: SwiftShader for both). On a machine with a GPU the second test's
 * expectation would not hold; it says so when it fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import type { ImNetArchitecture } from '../../src/decoder/architecture.js';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { quietTf } from '../support/backends.js';
import { assertFreshBundle, CHROMIUM_ARGS, collectPageErrors, launchChromium } from '../support/browser.js';
import { randomModel, writeModel } from '../support/fixtures.js';

quietTf();

/** The webgl test's decoder and grid: ~15k evaluations, which SwiftShader's WebGPU runs in seconds. */
const RESOLUTION = 24;
const ARCHITECTURE: ImNetArchitecture = { latentSize: 16, hiddenSizes: [64, 64, 32], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const SEED = 1;

interface PageResult {
  backendUsed: string;
  tfBackend: string;
  autoReason: string | null;
  autoMeasuredMs: Record<string, number> | null;
  positions: number[];
  indices: number[];
}

interface WebgpuSupport {
  navigatorGpu: boolean;
  adapter: string | null;
  fallback: boolean | null;
  registered: boolean;
}

let tempDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  assertFreshBundle();
  tempDir = mkdtempSync(join(tmpdir(), 'imnet-backends-'));
  writeModel(randomModel({ architecture: ARCHITECTURE, seed: SEED, latents: 1 }), { dir: join(tempDir, 'weights') });
  server = await startServer({ port: 0, mounts: { '/test-weights': join(tempDir, 'weights') } });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** Opens test/browser/page.html with `backend` and returns what it built, failing with the page's own errors. */
async function buildInPage(backend: string, without = ''): Promise<{ result: PageResult; webgpu: WebgpuSupport }> {
  const page = await browser!.newPage();
  const errors = collectPageErrors(page);
  await page.goto(`${server!.url}/test/browser/page.html?model=/test-weights/model.json&backend=${backend}&resolution=${RESOLUTION}&without=${without}`, { waitUntil: 'load' });
  const webgpu: WebgpuSupport = await page.evaluate(async () => {
    const gpu = (navigator as any).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const info = adapter?.info ?? {};
    return {
      navigatorGpu: Boolean(gpu),
      adapter: adapter ? `${info.vendor ?? ''} ${info.architecture ?? ''}`.trim() : null,
      fallback: adapter ? Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) : null,
      registered: (window as any).IMNET.registeredBackends().includes('webgpu'),
    };
  });
  if (backend === 'webgpu' && (!webgpu.navigatorGpu || !webgpu.adapter || !webgpu.registered)) {
    await page.close();
    throw new Error(`WebGPU is unavailable in this Chromium (${JSON.stringify(webgpu)}), launched with ${CHROMIUM_ARGS.join(' ')}: ` +
      'navigator.gpu needs --enable-unsafe-webgpu on Linux and a secure context (http://127.0.0.1 is one); without a GPU, ' +
      'Chromium offers SwiftShader\'s fallback adapter. tfjs-backend-webgpu registers itself only where navigator.gpu exists.');
  }
  let result: PageResult;
  try {
    result = await page.evaluate(() => (window as any).imnetTest.ready);
  } catch (error) {
    throw new Error(`the test page failed on ${backend}: ${(error as Error).message}\n${errors.messages.join('\n')}`);
  } finally {
    await page.close();
  }
  errors.assertNone();
  return { result, webgpu };
}

async function referenceMesh(): Promise<{ positions: Float32Array; indices: Uint32Array }> {
  const engine = new NullEngine();
  const decoder = ImNetDecoder.fromModel(randomModel({ architecture: ARCHITECTURE, seed: SEED, latents: 1 }));
  const shape = new ImplicitShape(decoder.latents[0], { backend: 'cpu', resolution: RESOLUTION }, new Scene(engine));
  await shape.ready;
  const mesh = { positions: Float32Array.from(shape.getVerticesData(VertexBuffer.PositionKind)!), indices: Uint32Array.from(shape.getIndices()!) };
  decoder.dispose();
  engine.dispose();
  return mesh;
}

describe('in Chromium', () => {
  it('WebGPU (tfjs-backend-webgpu) builds the mesh the CPU backend builds in Node', async () => {
    const { result, webgpu } = await buildInPage('webgpu');
    console.log(`WebGPU adapter here: ${webgpu.adapter}${webgpu.fallback ? ' (fallback, i.e. software)' : ''}`);
    expect(result.backendUsed).toBe('webgpu');
    expect(result.tfBackend).toBe('webgpu');
    const reference = await referenceMesh();
    expect(reference.indices.length / 3).toBeGreaterThan(100);
    // Deterministic extraction: the same corners on the same side of the iso-level give the same
    // triangles in the same order; float32 differences move vertices by ~1e-6 at most.
    expect(result.indices).toEqual(Array.from(reference.indices));
    let worst = 0;
    for (let i = 0; i < reference.positions.length; i++) worst = Math.max(worst, Math.abs(result.positions[i] - reference.positions[i]));
    expect(result.positions.length).toBe(reference.positions.length);
    expect(worst).toBeLessThan(1e-4);
  }, 150_000);

  it('auto takes wasm when WebGL and WebGPU are software rasterisers, and says why', async () => {
    const { result } = await buildInPage('auto');
    expect(result.autoReason).toMatch(/webgl: software renderer/);
    expect(result.autoReason).toMatch(/webgpu: software adapter|webgpu: no WebGPU adapter/);
    expect(result.backendUsed).toBe('wasm');
    expect(result.autoReason).toMatch(/wasm: WebAssembly/);
  }, 120_000);

  it('without wasm, auto measures the software GPUs against cpu and takes the fastest', async () => {
    const { result } = await buildInPage('auto', 'wasm');
    console.log(`auto without wasm: ${result.autoReason}`);
    const measured = result.autoMeasuredMs!;
    expect(Object.keys(measured).sort()).toEqual(['cpu', 'webgl', 'webgpu']);
    const fastest = Object.entries(measured).sort((a, b) => a[1] - b[1])[0][0];
    expect(result.backendUsed).toBe(fastest);
    expect(result.autoReason).toMatch(/no wasm: software GPU rasterisers measured against plain JS/);
  }, 150_000);
});
