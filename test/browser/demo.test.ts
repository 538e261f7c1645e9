/**
 * The README's quick-start demo page, as `npm start` serves it: shipped categories loaded by name
 * from the default weights URL (next to dist/), a training shape and GAN samples per category and an
 * interpolation, all built on WebGL in real Chromium. Kept small for SwiftShader (two categories,
 * one sample each, 16^3 cells).
 */
import type { Browser, Page } from 'puppeteer';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { assertFreshBundle, collectPageErrors, launchChromium } from '../support/browser.js';

interface DemoSummary {
  backend: string;
  resolution: number;
  categories: string[];
  shapes: { name: string; ms: number; triangles: number }[];
}

let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

beforeAll(async () => {
  assertFreshBundle();
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('quick-start demo page', () => {
  it('shows categories by name, their GAN samples and an interpolation, on WebGL', async () => {
    page = await browser!.newPage();
    await page.setViewport({ width: 640, height: 360 });
    const errors = collectPageErrors(page);
    await page.goto(`${server!.url}/plugin-examples/?categories=vase,chair&samples=1&resolution=16&backend=webgl&still=1`, { waitUntil: 'load' });
    await page.waitForFunction(() => (window as any).demoSummary || (window as any).demoError, { timeout: 150_000, polling: 500 });
    const error = await page.evaluate(() => (window as any).demoError);
    if (error) throw new Error(`the demo failed: ${error}\n${errors.messages.join('\n')}`);
    errors.assertNone();
    const summary: DemoSummary = await page.evaluate(() => (window as any).demoSummary);
    expect(summary.backend).toBe('webgl');
    expect(summary.categories).toEqual(['vase', 'chair']);
    expect(summary.shapes.map((s) => s.name).sort()).toEqual(['blend', 'chair GAN 1', 'chair shape 0', 'vase GAN 1', 'vase shape 0']);
    for (const shape of summary.shapes) expect({ name: shape.name, meshed: shape.triangles > 20 }).toEqual({ name: shape.name, meshed: true });
    // The weights came from the default base URL, next to the served dist/ folder.
    const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(requested).toEqual(expect.arrayContaining(['/weights/vase/model.json', '/weights/chair/model.json', '/weights/chair/weights.bin']));
    // The interpolation endpoints list the chosen category's shapes and GAN seeds.
    const options = await page.evaluate(() => Array.from((document.getElementById('to') as HTMLSelectElement).options, (o) => o.value));
    expect(options).toEqual(expect.arrayContaining(['train:0', 'train:5', 'gan:1']));
  }, 180_000);
});
