/**
 * Case `decoder`, browser half: the webgl backend in headless Chromium (SwiftShader here, a real GPU
 * on a user's machine), points/s and GFLOP/s of the web32 and web64 presets at batch 32768 beside
 * webgl's plain matMul GFLOP/s measured in the same page. Loads the UMD bundle as a user would.
 * The imnet preset is left out: at SwiftShader's ~3 GFLOP/s one batch takes about a minute.
 */
import { launchChromium } from '../support/browser.js';
import { startServer } from '../../plugin-examples/serve.mjs';
import { emit } from './timing.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export async function browserDecoderBench(): Promise<void> {
  const server = await startServer({ root: ROOT, port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/test/bench/benchPage.html`, { waitUntil: 'load' });
    const lines = (await page.evaluate('runDecoderBench()')) as Record<string, unknown>[];
    for (const line of lines) emit({ case: 'decoder', where: 'chromium', batch: 32768, ...line });
  } finally {
    await browser.close();
    await server.close();
  }
}
