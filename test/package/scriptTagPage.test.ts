/**
 * The README's script-tag page, as a user meets it: the package packed, installed into a fresh
 * folder offline with the packages the README's script-tag install line names, the page copied out
 * of README.md into that folder, the folder served by a common static server (Python's
 * http.server where there is one), opened in Chromium. It must build a chair on wasm (WebGL here is
 * SwiftShader) from the installed package's own weights, and the bundle it loads must be served as
 * JavaScript, which the `.umd.cjs` file is not by that server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { collectPageErrors, launchChromium } from '../support/browser.js';
import { installOffline, packPackage } from '../support/offlineInstall.js';

const ROOT = new URL('../../', import.meta.url).pathname;

/** The html block that follows the `script-tag-page` marker in README.md. */
function readmePage(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- script-tag-page[^>]*-->\s*```html\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no ```html block after a <!-- script-tag-page --> marker');
  return match[1];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `python3 -m http.server` on the folder, or (without Python) this repository's own server. */
async function serveFolder(folder: string): Promise<{ url: string; name: string; close(): Promise<void> }> {
  if (spawnSync('python3', ['--version']).status === 0) {
    const port = await freePort();
    const child: ChildProcess = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', folder], { stdio: 'ignore' });
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${url}/`).then(() => true, () => false)) {
        return { url, name: 'python3 -m http.server', close: async () => { child.kill(); } };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill();
    throw new Error('python3 -m http.server did not start within 10 s');
  }
  const server: RunningServer = await startServer({ root: folder, port: 0, redirectRootTo: '' });
  return { url: server.url, name: 'plugin-examples/serve.mjs', close: () => server.close() };
}

let project: string;
let browser: Browser | undefined;
let server: { url: string; name: string; close(): Promise<void> } | undefined;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/babylon-imnet.umd.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
  project = mkdtempSync(join(tmpdir(), 'imnet-script-tags-'));
  const tarball = packPackage(join(project, 'pack'));
  // The README's script-tag install line: the package, Babylon's UMD build, tfjs and its wasm backend.
  installOffline(join(project, 'app'), tarball, ['babylonjs', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
  writeFileSync(join(project, 'app', 'index.html'), readmePage());
  server = await serveFolder(join(project, 'app'));
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the README's script-tag page against the installed package", () => {
  it('is served by a common static server with the bundle as JavaScript', async () => {
    const type = async (path: string) => (await fetch(server!.url + path)).headers.get('content-type');
    console.log(`served by ${server!.name}`);
    expect(await type('/node_modules/babylon-imnet/dist/babylon-imnet.umd.js')).toMatch(/^(text|application)\/javascript/);
    expect(await type('/node_modules/babylon-imnet/weights/chair/model.json')).toMatch(/^application\/json/);
    if (server!.name.startsWith('python')) {
      // Why the .js copy exists: the .cjs file reaches the browser as bytes it refuses to run.
      expect(await type('/node_modules/babylon-imnet/dist/babylon-imnet.umd.cjs')).not.toMatch(/javascript/);
    }
  });

  it('builds a GAN chair on wasm from the installed weights', async () => {
    const page = await browser!.newPage();
    await page.setViewport({ width: 400, height: 300 });
    const errors = collectPageErrors(page);
    const info: string[] = [];
    page.on('console', (message) => { if (message.type() === 'info') info.push(message.text()); });
    await page.goto(`${server!.url}/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => /triangles/.test(document.title), { timeout: 120_000, polling: 250 })
      .catch((error: Error) => { throw new Error(`the page built no chair: ${error.message}\n${errors.messages.join('\n')}`); });
    errors.assertNone();
    const title = await page.title();
    const [, backend, triangles] = /^chair on (\w+): (\d+) triangles$/.exec(title) ?? [];
    expect(backend).toBe('wasm');
    expect(Number(triangles)).toBeGreaterThan(500);
    expect(info.join('\n')).toMatch(/babylon-imnet: tfjs backend 'wasm' \(auto\): .*webgl: software renderer/);
    const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(requested).toEqual(expect.arrayContaining(['/node_modules/babylon-imnet/weights/chair/model.json']));
    expect(requested.some((p) => p.endsWith('.wasm'))).toBe(true);
  }, 150_000);
});
