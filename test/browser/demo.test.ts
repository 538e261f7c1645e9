/**
 * The README's quick-start demo page, as `npm start` serves it, with its defaults: every shipped
 * category loaded by name from the default weights URL, a training shape and three GAN samples per
 * category and an interpolation, all created at once and built through the engine's scheduler on
 * the backend `auto` picks (wasm here, where WebGL is SwiftShader). Issue 9 asks for every shape on
 * screen within 60 s on this 2-core machine without a GPU, so that is the test's deadline; and at
 * 1280x800 nothing may be cut off by the canvas edge or covered by a panel.
 */
import type { Browser, Page } from 'puppeteer';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { assertFreshBundle, collectPageErrors, launchChromium } from '../support/browser.js';

interface DemoSummary {
  backend: string;
  autoReason: string | null;
  categories: string[];
  shapes: { name: string; ms: number; triangles: number }[];
  totalMs: number;
}

interface Rect { left: number; right: number; top: number; bottom: number }

interface DemoLayout {
  width: number;
  height: number;
  items: { kind: 'shape' | 'label'; name: string; rect: Rect }[];
  panels: { info: Rect; controls: Rect };
}

const DEADLINE_MS = 60_000;

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

const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('quick-start demo page', () => {
  it(`shows all 25 shapes within ${DEADLINE_MS / 1000} s, built through the scheduler in shared decoder calls`, async () => {
    page = await browser!.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    const errors = collectPageErrors(page);
    const warnings: string[] = [];
    page.on('console', (message) => { if (message.type() === 'warn') warnings.push(message.text()); });
    await page.goto(`${server!.url}/plugin-examples/`, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => (window as any).demoSummary || (window as any).demoError, { timeout: DEADLINE_MS, polling: 500 });
    } catch (error) {
      const status = await page.evaluate(() => document.getElementById('shapes')?.textContent);
      throw new Error(`the demo did not show every shape within ${DEADLINE_MS / 1000} s; its status panel: ${status}\n${(error as Error).message}`);
    }
    const error = await page.evaluate(() => (window as any).demoError);
    if (error) throw new Error(`the demo failed: ${error}\n${errors.messages.join('\n')}`);
    errors.assertNone();
    const summary: DemoSummary = await page.evaluate(() => (window as any).demoSummary);
    const calls = await page.evaluate(() => {
      const scheduler = (window as any).IMNET.ExtractionScheduler.ForEngine((window as any).BABYLON.EngineStore.LastCreatedEngine);
      return { ...scheduler.counters, batchSize: scheduler.batchSize };
    });
    console.log(`demo: ${summary.shapes.length} shapes in ${(summary.totalMs / 1000).toFixed(1)} s on ${summary.backend} ` +
      `(${calls.calls} decoder calls, ${calls.points} points); auto: ${summary.autoReason}`);
    expect(summary.categories).toEqual(['airplane', 'car', 'chair', 'rifle', 'table', 'vase']);
    expect(summary.shapes).toHaveLength(25);
    for (const shape of summary.shapes) expect({ name: shape.name, meshed: shape.triangles > 20 }).toEqual({ name: shape.name, meshed: true });
    // Shared calls: full ones. One shape's 32^3 level (35937 points) alone fills two calls of 16384
    // and a third with 3169, ~73% on average; points from several shapes fill every call.
    expect(calls.points / calls.calls).toBeGreaterThan(0.9 * calls.batchSize);
    // The weights came from the default base URL, next to the served dist/ folder.
    const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    expect(requested).toEqual(expect.arrayContaining(['/weights/vase/model.json', '/weights/chair/model.json', '/weights/chair/weights.bin']));
    // The interpolation endpoints list the chosen category's shapes and GAN seeds.
    const options = await page.evaluate(() => Array.from((document.getElementById('to') as HTMLSelectElement).options, (o) => o.value));
    expect(options).toEqual(expect.arrayContaining(['train:0', 'train:5', 'gan:1']));
    expect(warnings.filter((w) => /High memory usage/.test(w))).toEqual([]);
  }, DEADLINE_MS + 60_000);

  it('at 1280x800 cuts off no shape or label and hides none under a panel', async () => {
    // Independent of the deadline above: given the time, every shape must be placed right.
    expect(page).toBeDefined();
    await page!.waitForFunction(() => (window as any).demoSummary || (window as any).demoError, { timeout: 240_000, polling: 500 });
    expect(await page!.evaluate(() => (window as any).demoError)).toBeUndefined();
    const layout: DemoLayout = await page!.evaluate(() => (window as any).demoLayout());
    expect(layout.width).toBe(1280);
    expect(layout.items.filter((i) => i.kind === 'shape')).toHaveLength(25);
    expect(layout.items.map((i) => i.name)).toEqual(expect.arrayContaining(['training', 'GAN 1', 'GAN 3', 'airplane', 'vase']));
    const problems: string[] = [];
    for (const { kind, name, rect } of layout.items) {
      if (rect.left < 0 || rect.top < 0 || rect.right > layout.width || rect.bottom > layout.height) problems.push(`${kind} '${name}' cut off: ${JSON.stringify(rect)}`);
      for (const [panel, panelRect] of Object.entries(layout.panels)) {
        if (overlaps(rect, panelRect)) problems.push(`${kind} '${name}' under the ${panel} panel: ${JSON.stringify(rect)} vs ${JSON.stringify(panelRect)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
});
