/**
 * `npm run bench [-- <case> ...]`: one JSON object per line, each with a `case` field.
 * Cases: decoder, extract, train (training points/s + prepare shapes/s), scene, firstShape (time to a first shape per backend). Speed lives here, not in tests; compare ratios within one run (machines are noisy).
 */
import { decoderBench } from './decoderBench.js';
import { browserDecoderBench } from './browserDecoderBench.js';
import { emit } from './timing.js';
import { extractBench } from './extractBench.js';
import { firstShapeBench } from './firstShapeBench.js';
import { prepareBench } from './prepareBench.js';
import { sceneBench } from './sceneBench.js';
import { trainBench } from './trainBench.js';

const CASES: Record<string, () => Promise<void>> = {
  decoder: async () => {
    await decoderBench();
    // webgl lives in a browser: the same case, measured in Chromium on the built UMD bundle.
    await browserDecoderBench().catch((error: Error) => emit({ case: 'decoder', where: 'chromium', skipped: error.message.split('\n')[0] }));
  },
  extract: () => extractBench(),
  train: async () => {
    await trainBench();
    await prepareBench();
  },
  scene: () => sceneBench(),
  firstShape: () => firstShapeBench(),
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
