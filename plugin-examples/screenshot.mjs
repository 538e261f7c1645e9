/**
 * Saves a screenshot of the demo page (docs/demo.png) from headless Chromium.
 *
 *   npm run build && node plugin-examples/screenshot.mjs [--resolution <cells>] [--out docs/demo.png]
 *       [--width 1280] [--height 800] [--minutes 10] [--model <URL>] [--mount /prefix=<folder>]
 *
 * Serves the repository root, opens /plugin-examples/?still=1 (the demo's defaults: level of detail,
 * the backend `auto` picks), waits for `window.demoReady` (every shape on screen) and then for
 * `window.demoSettled()` (every shape at the level its size asks for), and writes the PNG.
 * --resolution fixes one resolution instead. Chromium comes from PUPPETEER_EXECUTABLE_PATH, else
 * Debian's /usr/bin/chromium (the same choice and flags as test/support/browser.ts).
 *
 *   node plugin-examples/screenshot.mjs --page lod.html [--query 'count=32&t=10'] [--out docs/lod-demo.png]
 *
 * The LOD streaming demo (docs/lod-demo.png): opened paused at path time t = 3 s (entering a lane),
 * with levels 16/32/64 and 6 pixels per cell (the default levels' mix of near and far at a fraction
 * of the points, for software GL: about 6 minutes on 2 cores), it waits until every shape shows the
 * level its size on screen asks for (nothing left building), then two frames more. `--query` adds
 * or overrides query parameters (see lod.js); `--resolution` does not apply there.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import puppeteer from 'puppeteer';
import { startServer } from './serve.mjs';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
// WebGL2 in software on a machine without a GPU; SwiftShader must be allowed explicitly.
const CHROMIUM_ARGS = ['--no-sandbox', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu', '--use-angle=swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function chromiumExecutable() {
  const fromEnv = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) return fromEnv;
  const found = CHROMIUM_CANDIDATES.find((path) => existsSync(path));
  if (!found) throw new Error(`no Chromium found: set PUPPETEER_EXECUTABLE_PATH or install one at ${CHROMIUM_CANDIDATES[0]}`);
  return found;
}

const { values: args } = parseArgs({
  options: {
    resolution: { type: 'string' },
    out: { type: 'string' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    minutes: { type: 'string', default: '10' },
    model: { type: 'string' },
    backend: { type: 'string' },
    mount: { type: 'string', multiple: true, default: [] },
    page: { type: 'string', default: 'index.html' },
    query: { type: 'string', default: '' },
  },
});

async function main() {
  if (!existsSync(resolve(REPO_ROOT, 'dist/babylon-imnet.umd.js'))) {
    throw new Error('dist/babylon-imnet.umd.js is missing: run `npm run build` first');
  }
  const mounts = Object.fromEntries(args.mount.map((m) => {
    const eq = m.indexOf('=');
    if (eq <= 0) throw new Error(`--mount expects /prefix=<folder>, got ${m}`);
    return [m.slice(0, eq), resolve(m.slice(eq + 1))];
  }));
  const lod = args.page === 'lod.html';
  if (!lod && args.page !== 'index.html' && args.page !== 'digits.html') throw new Error(`--page expects index.html, lod.html or digits.html, got ${args.page}`);
  const query = lod ? new URLSearchParams({ paused: '1', t: '3', levels: '16,32,64', pixelsPerCell: '6' }) : new URLSearchParams({ still: '1', ...(args.resolution ? { resolution: args.resolution } : {}) });
  if (args.model) query.set('model', args.model);
  if (args.backend) query.set('backend', args.backend);
  for (const [key, value] of new URLSearchParams(args.query)) query.set(key, value);
  const out = resolve(args.out ?? (lod ? 'docs/lod-demo.png' : args.page === 'digits.html' ? 'docs/digits-demo.png' : 'docs/demo.png'));
  const timeoutMs = Number(args.minutes) * 60_000;

  const server = await startServer({ port: 0, mounts });
  const browser = await puppeteer.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
    protocolTimeout: timeoutMs + 60_000,
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: Number(args.width), height: Number(args.height), deviceScaleFactor: 1 });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') console.error(`page ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => console.error(`page error: ${error.message ?? error}`));
    const url = `${server.url}/plugin-examples/${args.page === 'index.html' ? '' : args.page}?${query}`;
    console.log(`screenshot: opening ${url} (allowing ${args.minutes} min)`);
    const started = Date.now();
    await page.goto(url, { waitUntil: 'load' });
    if (lod) {
      await screenshotLodDemo(page, out, started, timeoutMs);
      return;
    }
    const progress = setInterval(async () => {
      const states = await page.evaluate(() => Array.from(document.querySelectorAll('#shapes .state'), (e) => e.textContent)).catch(() => []);
      const ready = states.filter((s) => s === 'ready').length;
      console.log(`screenshot: ${ready}/${states.length} shapes ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }, 30_000);
    try {
      await page.waitForFunction(() => window.demoSummary || window.demoError, { timeout: timeoutMs, polling: 1000 });
    } finally {
      clearInterval(progress);
    }
    const error = await page.evaluate(() => window.demoError);
    if (error) throw new Error(`the demo failed: ${error}`);
    const summary = await page.evaluate(() => window.demoSummary);
    const levels = await page.evaluate(() => window.demoSettled());
    summary.settledSeconds = Math.round((Date.now() - started) / 1000);
    summary.levels = levels.reduce((count, { resolution }) => ({ ...count, [resolution]: (count[resolution] ?? 0) + 1 }), {});
    // Two frames so the last shape, its shadow and the labels are on the canvas.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(JSON.stringify({ screenshot: out, seconds: Math.round((Date.now() - started) / 1000), ...summary }));
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The LOD demo: waits until every shape is at its level with nothing building, then saves the PNG. */
async function screenshotLodDemo(page, out, started, timeoutMs) {
  const progress = setInterval(async () => {
    const s = await page.evaluate(() => window.lodDemo && window.lodDemo.stats()).catch(() => null);
    if (s) console.log(`screenshot: ${s.ready}/${s.shapes} shapes shown, per level ${JSON.stringify(s.perLevel)}, ${s.building} building, ` +
      `after ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }, 30_000);
  try {
    await page.waitForFunction(() => window.lodDemoError || (window.lodDemo && window.lodDemo.stats().settled),
      { timeout: timeoutMs, polling: 1000 });
  } finally {
    clearInterval(progress);
  }
  const error = await page.evaluate(() => window.lodDemoError);
  if (error) throw new Error(`the LOD demo failed: ${error}`);
  // Two frames so the last level and the tags are on the canvas, then a panel refresh (every 250 ms).
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))));
  const stats = await page.evaluate(() => window.lodDemo.stats());
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  const { backend, shapes, levels, perLevel, extraction, decoderCalls, pointsEvaluated, frameMs, worstFrameMs } = stats;
  console.log(JSON.stringify({ screenshot: out, seconds: Math.round((Date.now() - started) / 1000), backend, shapes, levels, perLevel,
    extraction, decoderCalls, pointsEvaluated, frameMs: Math.round(frameMs), worstFrameMs: Math.round(worstFrameMs) }));
}

main().catch((error) => {
  console.error(`screenshot: ${error.message}`);
  process.exit(1);
});
