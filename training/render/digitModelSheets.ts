/**
 * The pictures of one digit model, as in the paper's supplementary: 1,024 random samples as a 32 x 32
 * grid, grey and binarized at 0.5; interpolation strips (8 steps between two sampling inputs, several
 * rows); and for implicit models the same samples decoded at 4x resolution (112 x 112) beside their
 * 28 x 28 versions. Inputs come from fixed seeds, so every model's sheet is drawn from the same noise
 * stream (each model reads as many values as its input size takes).
 */
import { join } from 'node:path';
import { normalNoise } from '../models/digits/DigitModel.js';
import type { DigitSampler } from '../models/digits/DigitSampler.js';
import { DIGIT_MODEL_TITLES } from '../models/digits/digitsConfig.js';
import { DIGIT_SIZE } from '../data/mnist/mnistDigits.js';
import { renderDigitSheet } from './digitSheets.js';

/** Seeds of the sheets' sampling inputs. */
export const SAMPLE_SEED = 2019;
const STRIP_SEED = 11;
/** Samples per sheet (a 32 x 32 grid). */
export const SHEET_SAMPLES = 1024;
/** Images per interpolation strip (both ends included) and strips per sheet. */
export const STRIP_STEPS = 8;
export const STRIP_ROWS = 8;
/** Resolution of the super-resolution sheet, and how many samples it shows. */
export const SUPER_RESOLUTION = 4 * DIGIT_SIZE;
const SUPER_RESOLUTION_SAMPLES = 36;

/** Files written for one model. */
export interface DigitModelSheets {
  samples: string;
  strips: string;
  superResolution: string | null;
  /** The 1,024 samples at 28 x 28 (what the scores are computed on). */
  images: Float32Array;
}

/** The 1,024 sampling inputs of the sheets. */
export function sheetInputs(sampler: DigitSampler): Float32Array {
  return normalNoise(SHEET_SAMPLES, sampler.sampleInputSize, SAMPLE_SEED);
}

/** Inputs of the interpolation strips: `STRIP_ROWS` rows of `STRIP_STEPS` straight-line blends between two random inputs. */
export function stripInputs(size: number): Float32Array {
  const ends = normalNoise(2 * STRIP_ROWS, size, STRIP_SEED);
  const out = new Float32Array(STRIP_ROWS * STRIP_STEPS * size);
  for (let r = 0; r < STRIP_ROWS; r++) {
    for (let s = 0; s < STRIP_STEPS; s++) {
      const t = s / (STRIP_STEPS - 1);
      for (let k = 0; k < size; k++) out[(r * STRIP_STEPS + s) * size + k] = (1 - t) * ends[2 * r * size + k] + t * ends[(2 * r + 1) * size + k];
    }
  }
  return out;
}

/** Writes `<model>-samples.png`, `<model>-strips.png` and (implicit models) `<model>-superres.png` into `outDir`. */
export async function writeDigitModelSheets(sampler: DigitSampler, outDir: string, note = ''): Promise<DigitModelSheets> {
  const title = `${DIGIT_MODEL_TITLES[sampler.model]}${note ? ` (${note})` : ''}`;
  const images = await sampler.generate(sheetInputs(sampler), { size: DIGIT_SIZE });
  const samples = join(outDir, `${sampler.model}-samples.png`);
  renderDigitSheet([
    { images, size: DIGIT_SIZE, columns: 32, caption: 'grey' },
    { images, size: DIGIT_SIZE, columns: 32, binarize: true, caption: 'binarized at 0.5' },
  ], { title: `${title}: ${SHEET_SAMPLES} random samples`, out: samples });
  const strips = join(outDir, `${sampler.model}-strips.png`);
  const stripImages = await sampler.generate(stripInputs(sampler.sampleInputSize), { size: DIGIT_SIZE });
  renderDigitSheet([
    { images: stripImages, size: DIGIT_SIZE, columns: STRIP_STEPS, scale: 2 },
    { images: stripImages, size: DIGIT_SIZE, columns: STRIP_STEPS, scale: 2, binarize: true },
  ], { title: `${title}: interpolation, ${STRIP_STEPS} steps`, out: strips });
  let superResolution: string | null = null;
  if (sampler.implicit) {
    superResolution = join(outDir, `${sampler.model}-superres.png`);
    const inputs = sheetInputs(sampler).subarray(0, SUPER_RESOLUTION_SAMPLES * sampler.sampleInputSize);
    const fine = await sampler.generate(inputs, { size: SUPER_RESOLUTION, batchSize: 4 });
    const coarse = images.subarray(0, SUPER_RESOLUTION_SAMPLES * DIGIT_SIZE * DIGIT_SIZE);
    renderDigitSheet([
      { images: coarse, size: DIGIT_SIZE, columns: 6, scale: 4, caption: '28 x 28' },
      { images: fine, size: SUPER_RESOLUTION, columns: 6, caption: '112 x 112' },
      { images: fine, size: SUPER_RESOLUTION, columns: 6, binarize: true, caption: 'binarized' },
    ], { title: `${title}: the same samples decoded at 4x resolution`, out: superResolution });
  }
  return { samples, strips, superResolution, images };
}
