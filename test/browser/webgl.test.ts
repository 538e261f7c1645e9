/**
 * The package as a game developer uses it: the UMD bundle from three script tags in real Chromium,
 * weights loaded by URL, a shape built on tfjs's WebGL backend and rendered by Babylon. The surface
 * must equal the one the CPU backend builds in Node, and the frame must show a lit, outward-facing
 * shape.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import type { ImNetArchitecture } from '../../src/decoder/architecture.js';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { quietTf } from '../support/backends.js';
import { assertFreshBundle, collectPageErrors, launchChromium, type PageErrors } from '../support/browser.js';
import { randomModel, writeModel } from '../support/fixtures.js';

quietTf();

const RESOLUTION = 24;
/**
 * Small enough for SwiftShader. Seed 1 fills ~30% of the box and puts no grid corner within 1e-4 of the
 * iso-level, so float32 differences between backends (~1e-6) cannot change the topology.
 */
const ARCHITECTURE: ImNetArchitecture = { latentSize: 16, hiddenSizes: [64, 64, 32], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const SEED = 1;

interface PageResult {
  backendUsed: string;
  tfBackend: string;
  positions: number[];
  indices: number[];
  stats: { evaluations: number; rounds: number };
  loadMs: number;
  surfaceMs: number;
  webgl: number;
  clearColor: [number, number, number];
}

interface Image {
  width: number;
  height: number;
  rgba: number[];
}

type Variant = 'default' | 'noCulling' | 'headlight';

/** Fails early, and says why, when the bundle under test is missing or older than the source. */
function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Largest distance from a vertex of `a` to the vertex of `b` nearest it (brute force: a few thousand vertices). */
function maxNearestDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i += 3) {
    let best = Infinity;
    for (let j = 0; j < b.length; j += 3) {
      const d = (a[i] - b[j]) ** 2 + (a[i + 1] - b[j + 1]) ** 2 + (a[i + 2] - b[j + 2]) ** 2;
      if (d < best) best = d;
    }
    worst = Math.max(worst, Math.sqrt(best));
  }
  return worst;
}

/** Per pixel: does it differ from the clear colour (by more than anti-aliasing noise)? */
function shapeMask(image: Image, clear: [number, number, number]): Uint8Array {
  const mask = new Uint8Array(image.width * image.height);
  const c = clear.map((v) => Math.round(v * 255));
  for (let p = 0; p < mask.length; p++) {
    const r = image.rgba[4 * p], g = image.rgba[4 * p + 1], b = image.rgba[4 * p + 2];
    mask[p] = Math.max(Math.abs(r - c[0]), Math.abs(g - c[1]), Math.abs(b - c[2])) > 24 ? 1 : 0;
  }
  return mask;
}

function luminance(image: Image, p: number): number {
  return 0.299 * image.rgba[4 * p] + 0.587 * image.rgba[4 * p + 1] + 0.114 * image.rgba[4 * p + 2];
}

/** One loaded test page: its result, its errors, and screenshots of render variants. */
interface LoadedPage {
  page: Page;
  errors: PageErrors;
  result: PageResult;
  screenshot(variant: Variant): Promise<Image>;
}

describe('in Chromium (WebGL2, SwiftShader here), the UMD bundle', () => {
  let tempDir: string;
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const pages = new Map<'left-handed' | 'right-handed', LoadedPage>();

  /** Opens page.html on the temp weights, waits for the shape, and logs what it took. */
  async function openPage(handedness: 'left-handed' | 'right-handed'): Promise<LoadedPage> {
    const page = await browser!.newPage();
    await page.setViewport({ width: 320, height: 320, deviceScaleFactor: 1 });
    const errors = collectPageErrors(page);
    const started = Date.now();
    const query = `model=/test-weights/model.json&backend=webgl&resolution=${RESOLUTION}&rightHanded=${handedness === 'right-handed' ? 1 : 0}`;
    await page.goto(`${server!.url}/test/browser/page.html?${query}`, { waitUntil: 'load' });
    let result: PageResult;
    try {
      result = await page.evaluate(() => (window as any).imnetTest.ready);
    } catch (error) {
      throw new Error(`the test page failed: ${(error as Error).message}\n${errors.messages.join('\n')}`);
    }
    console.log(`browser (${handedness}): weights ${result.loadMs.toFixed(0)} ms, surface on ${result.backendUsed} ${result.surfaceMs.toFixed(0)} ms, ` +
      `${result.indices.length / 3} triangles, ${Date.now() - started} ms from navigation`);
    const screenshot = async (variant: Variant): Promise<Image> => {
      await page.evaluate((v) => (window as any).imnetTest.render(v), variant);
      const canvas = await page.$('#view');
      if (!canvas) throw new Error('test page has no #view canvas');
      const base64 = await canvas.screenshot({ encoding: 'base64' }) as string;
      writeFileSync(join(tempDir, `${handedness}-${variant}.png`), Buffer.from(base64, 'base64'));
      return page.evaluate((b64) => (window as any).imnetTest.decodePng(b64), base64);
    };
    const loaded = { page, errors, result, screenshot };
    pages.set(handedness, loaded);
    return loaded;
  }

  beforeAll(async () => {
    assertFreshBundle();
    tempDir = mkdtempSync(join(tmpdir(), 'imnet-browser-'));
    writeModel(randomModel({ architecture: ARCHITECTURE, seed: SEED, latents: 1 }), { dir: join(tempDir, 'weights') });
    server = await startServer({ port: 0, mounts: { '/test-weights': join(tempDir, 'weights') } });
    browser = await launchChromium();
    await openPage('left-handed');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tempDir && !process.env.KEEP_BROWSER_TEST_OUTPUT) rmSync(tempDir, { recursive: true, force: true });
    else if (tempDir) console.log(`browser test output kept in ${tempDir}`);
  });

  it('builds the surface on the webgl backend, equal to the CPU backend in Node', async () => {
    const { result } = pages.get('left-handed')!;
    expect(result.backendUsed).toBe('webgl');
    expect(result.tfBackend).toBe('webgl');
    expect(result.webgl).toBe(2);

    const engine = new NullEngine();
    const scene = new Scene(engine);
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: ARCHITECTURE, seed: SEED, latents: 1 }));
    const shape = new ImplicitShape(decoder.latents[0], { backend: 'cpu', resolution: RESOLUTION }, scene);
    await shape.ready;
    const positions = shape.getVerticesData(VertexBuffer.PositionKind)!;
    const indices = shape.getIndices()!;
    expect(shape.backendUsed).toBe('cpu');
    decoder.dispose();
    engine.dispose();

    const triangles = indices.length / 3;
    expect(triangles).toBeGreaterThan(100);
    expect(result.indices.length / 3).toBe(triangles);
    expect(result.positions.length).toBe(positions.length);
    // The extractor is deterministic, so the two meshes should match vertex for vertex; if a float
    // difference ever reorders them, fall back to nearest-neighbour distances both ways.
    let maxDistance = maxAbsDifference(result.positions, positions);
    const sameOrder = maxDistance < 1e-3 && maxAbsDifference(result.indices, indices) === 0;
    if (!sameOrder) maxDistance = Math.max(maxNearestDistance(result.positions, positions), maxNearestDistance(positions, result.positions));
    console.log(`webgl vs cpu: ${triangles} triangles each, ${positions.length / 3} vertices, max vertex difference ${maxDistance.toExponential(2)} ` +
      `(${sameOrder ? 'same order' : 'matched by nearest neighbour'})`);
    expect(maxDistance).toBeLessThan(1e-3);
  });

  it('renders a shaded shape, not a blank frame', async () => {
    const { result, screenshot } = pages.get('left-handed')!;
    const image = await screenshot('default');
    const mask = shapeMask(image, result.clearColor);
    const covered = mask.reduce((s, v) => s + v, 0) / mask.length;
    const greys = new Set<number>();
    for (let p = 0; p < mask.length; p++) if (mask[p]) greys.add(Math.round(luminance(image, p)));
    console.log(`frame: ${(100 * covered).toFixed(1)}% of pixels show the shape, ${greys.size} distinct grey levels`);
    expect(covered).toBeGreaterThan(0.05);
    expect(covered).toBeLessThan(0.95);
    expect(greys.size).toBeGreaterThan(20);
  });

  // Our triangles wind counter-clockwise seen from outside; Babylon's front faces are the other way
  // round (its own meshes, and VertexData.ComputeNormals, take (p1 - p2) x (p3 - p2) as outward), in
  // left- and right-handed scenes alike. Either mismatch shows up here as culled near faces.
  it.each(['left-handed', 'right-handed'] as const)('in a %s scene it shows the outside of the surface: culling hides nothing visible, a headlight lights it', async (handedness) => {
    const { result, screenshot } = pages.get(handedness) ?? await openPage(handedness);
    const culled = await screenshot('default');
    const unculled = await screenshot('noCulling');
    const headlight = await screenshot('headlight');
    const maskCulled = shapeMask(culled, result.clearColor);
    const maskUnculled = shapeMask(unculled, result.clearColor);

    // Inside-out winding would cull the near faces and show the far ones: a different picture.
    let union = 0;
    let differing = 0;
    for (let p = 0; p < maskCulled.length; p++) {
      if (!maskCulled[p] && !maskUnculled[p]) continue;
      union++;
      let d = 0;
      for (let c = 0; c < 3; c++) d = Math.max(d, Math.abs(culled.rgba[4 * p + c] - unculled.rgba[4 * p + c]));
      if (d > 16) differing++;
    }
    // With the only light shining along the view, outward normals on the visible faces light them;
    // inward normals (or far faces seen through culled near ones) leave them black.
    let shape = 0;
    let lit = 0;
    for (let p = 0; p < maskUnculled.length; p++) {
      if (!maskUnculled[p]) continue;
      shape++;
      if (luminance(headlight, p) > 60) lit++;
    }
    console.log(`orientation (${handedness}): ${differing}/${union} shape pixels change when back-face culling is turned off; ` +
      `${lit}/${shape} shape pixels lit by a headlight`);
    expect(union).toBeGreaterThan(0);
    expect(differing / union).toBeLessThan(0.02);
    expect(lit / shape).toBeGreaterThan(0.8);
  });

  it('is served with the types a browser insists on, and nothing outside the served folders', async () => {
    const type = async (path: string) => (await fetch(server!.url + path)).headers.get('content-type');
    expect(await type('/dist/babylon-imnet.umd.cjs')).toMatch(/^text\/javascript/);
    expect(await type('/test-weights/model.json')).toMatch(/^application\/json/);
    expect(await type('/test-weights/weights.bin')).toBe('application/octet-stream');
    expect((await fetch(`${server!.url}/`, { redirect: 'manual' })).headers.get('location')).toBe('/plugin-examples/');
    expect((await fetch(`${server!.url}/no/such/file.js`)).status).toBe(404);
    // Encoded slashes survive URL normalisation, so only the server's own check stops these.
    expect((await fetch(`${server!.url}/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd`)).status).toBe(403);
    expect((await fetch(`${server!.url}/test-weights/%2e%2e%2f`)).status).toBe(403);
  });

  it('reported no errors in the pages', () => {
    expect(pages.size).toBeGreaterThan(0);
    for (const { errors } of pages.values()) errors.assertNone();
  });
});
