/**
 * Case `decoder`, browser half: the GPU backends in headless Chromium (SwiftShader here, a real GPU
 * on a user's machine), points/s and GFLOP/s of the web32 and web64 presets beside the backend's
 * plain matMul GFLOP/s measured in the same page. Loads the UMD bundle as a user would. WebGL at
 * batch 32768; WebGPU, where the page has an adapter, at 32768 on hardware and 4096 on a fallback
 * (software) adapter, which runs at ~0.2 GFLOP/s here. The imnet preset is left out: at
 * SwiftShader's ~3 GFLOP/s one batch takes about a minute.
 */
import { launchChromium } from '../support/browser.js';
import { startServer } from '../../plugin-examples/serve.mjs';
import { emit } from './timing.js';

const ROOT = new URL('../../', import.meta.url).pathname;

export async function browserDecoderBench(): Promise<void> {
  const server = await startServer({ root: ROOT, port: 0, host: '127.0.0.1' });
  const browser = await launchChromium({ protocolTimeout: 600_000 });
  try {
    const open = async () => {
      const page = await browser.newPage();
      await page.goto(`${server.url}/test/bench/benchPage.html`, { waitUntil: 'load' });
      return page;
    };
    const probePage = await open();
    const gpus = (await probePage.evaluate('describeGpus()')) as { webgl: string; webgpu: string | null; registered: string[] };
    await probePage.close();
    const runs: [string, number][] = [['webgl', 32768]];
    if (gpus.webgpu && gpus.registered.includes('webgpu')) runs.push(['webgpu', /fallback|swiftshader/i.test(gpus.webgpu) ? 4096 : 32768]);
    else emit({ case: 'decoder', where: 'chromium', backend: 'webgpu', skipped: 'no WebGPU adapter in this Chromium' });
    for (const [backend, batch] of runs) {
      const page = await open();
      const lines = (await page.evaluate(`runDecoderBench(${JSON.stringify(backend)}, ${batch})`)) as Record<string, unknown>[];
      const device = backend === 'webgl' ? gpus.webgl : gpus.webgpu;
      for (const line of lines) emit({ case: 'decoder', where: 'chromium', device, ...line });
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}
