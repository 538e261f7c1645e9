/**
 * `npm run bench [-- <case> ...]`: one JSON object per line, each with a `case` field.
 * Cases: decoder, extract, train (training points/s + prepare shapes/s), scene, timeSlice, flythrough,
 * lfd (descriptor, LFD and Chamfer costs).
 * Speed lives here, not in tests; compare ratios within one run (machines are noisy).
 *
 * Browser halves (decoder's webgl line, flythrough) run in headless Chromium on the built bundle
 * (`npm run build` first). Where no Chromium is installed they print a `skipped` line; anywhere else a
 * browser failure is a failure: the run exits 1.
 */
import { decoderBench } from './decoderBench.js';
import { browserDecoderBench } from './browserDecoderBench.js';
import { emit } from './timing.js';
import { chromiumExecutable } from '../support/browser.js';
import { extractBench } from './extractBench.js';
import { flythroughBench } from './flythroughBench.js';
import { lfdBench } from './lfdBench.js';
import { prepareBench } from './prepareBench.js';
import { sceneBench } from './sceneBench.js';
import { timeSliceBench } from './timeSliceBench.js';
import { trainBench } from './trainBench.js';

/**
 * Runs a browser half, or says it was skipped when this machine has no Chromium at all (none named
 * by PUPPETEER_EXECUTABLE_PATH, none in the usual places). A named one that is missing, a launch
 * that fails or a page that throws is an error.
 */
async function inChromium(caseName: string, run: () => Promise<void>): Promise<void> {
  if (!process.env.PUPPETEER_EXECUTABLE_PATH) {
    try {
      chromiumExecutable();
    } catch (error) {
      emit({ case: caseName, where: 'chromium', skipped: (error as Error).message.split('\n')[0] });
      return;
    }
  }
  try {
    await run();
  } catch (error) {
    throw new Error(`bench ${caseName} in Chromium failed: ${(error as Error).message}`);
  }
}

const CASES: Record<string, () => Promise<void>> = {
  decoder: async () => {
    await decoderBench();
    // webgl lives in a browser: the same case, measured in Chromium on the built UMD bundle.
    await inChromium('decoder', browserDecoderBench);
  },
  extract: () => extractBench(),
  train: async () => {
    await trainBench();
    await prepareBench();
  },
  scene: () => sceneBench(),
  timeSlice: () => timeSliceBench(),
  flythrough: () => inChromium('flythrough', flythroughBench),
  lfd: () => lfdBench(),
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = requested.filter((c) => !(c in CASES));
  if (unknown.length) {
    console.error(`bench: unknown case(s) ${unknown.join(', ')}; expected one of: ${Object.keys(CASES).join(', ')}`);
    process.exit(2);
  }
  for (const name of requested.length ? requested : Object.keys(CASES)) await CASES[name]();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
