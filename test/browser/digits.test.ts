/**
 * The digits page in real Chromium: the shipped IM-GAN digit decoder (weights/digits) loaded like any
 * model, two generated digits and their blend built as extruded ImplicitShapes on WebGL, the slider
 * re-meshing the blend and "new digit" drawing a new one. Kept small for SwiftShader (48 cells).
 */
import type { Browser } from 'puppeteer';
import { startServer, type RunningServer } from '../../plugin-examples/serve.mjs';
import { assertFreshBundle, collectPageErrors, launchChromium } from '../support/browser.js';

let server: RunningServer | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  assertFreshBundle();
  server = await startServer({ port: 0 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

test('two GAN digits and their blend become Babylon meshes; the slider and "new digit" re-mesh them', async () => {
  const page = await browser!.newPage();
  await page.setViewport({ width: 640, height: 360 });
  const errors = collectPageErrors(page);
  await page.goto(`${server!.url}/plugin-examples/digits.html?resolution=48&backend=webgl&still=1`, { waitUntil: 'load' });
  await page.waitForFunction(() => (window as any).demoSummary || (window as any).demoError, { timeout: 100_000, polling: 250 });
  const error = await page.evaluate(() => (window as any).demoError);
  if (error) throw new Error(`the digits page failed: ${error}\n${errors.messages.join('\n')}`);
  const summary = await page.evaluate(() => (window as any).demoSummary);
  expect(summary.backend).toBe('webgl');
  for (const [name, triangles] of Object.entries(summary.triangles as Record<string, number>)) expect({ name, meshed: triangles > 20 }).toEqual({ name, meshed: true });
  const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  expect(requested).toEqual(expect.arrayContaining(['/weights/digits/model.json', '/weights/digits/weights.bin']));
  const before = await page.evaluate(() => (window as any).digitsDemo.latents());
  // t = 0: the blend is digit A's code (the same mesh A shows, at another scale).
  await page.evaluate(() => (window as any).digitsDemo.setT(0));
  const atA = await page.evaluate(() => ({ latents: (window as any).digitsDemo.latents(), triangles: (window as any).digitsDemo.triangles() }));
  expect(atA.latents.blend).toEqual(before.a);
  expect(atA.triangles.blend).toBe(atA.triangles.a);
  await page.evaluate(() => (window as any).digitsDemo.newDigit());
  const after = await page.evaluate(() => (window as any).digitsDemo.latents());
  expect(after.a).toEqual(before.b);
  expect(after.b).not.toEqual(before.b);
  expect(await page.evaluate(() => (window as any).digitsDemo.triangles().b)).toBeGreaterThan(20);
  errors.assertNone();
}, 150_000);
