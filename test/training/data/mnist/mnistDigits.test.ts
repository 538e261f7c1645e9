/**
 * The digits come from the npm package on disk: 10,000 images of 784 values in [0, 1], the first
 * 5,000 (500 of each class) train and the rest are held out, with no image in both halves.
 */
import { DIGIT_PIXELS, DIGIT_TRAIN_COUNT, loadMnist, pixelCentres } from '../../../../training/data/mnist/mnistDigits.js';

describe('loadMnist', () => {
  const { train, heldOut } = loadMnist();

  test('5,000 training digits, 500 per class, and 5,000 held out', () => {
    expect(train.count).toBe(DIGIT_TRAIN_COUNT);
    expect(train.images.length).toBe(DIGIT_TRAIN_COUNT * DIGIT_PIXELS);
    expect(train.count + heldOut.count).toBe(10000);
    const perClass = new Array(10).fill(0);
    for (const label of train.labels) perClass[label]++;
    expect(perClass).toEqual(new Array(10).fill(500));
    expect(new Set(heldOut.labels).size).toBe(10);
  });

  test('values are grey levels in [0, 1] with a dark background, as MNIST', () => {
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of train.images) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const mean = sum / train.images.length;
    expect(mean).toBeGreaterThan(0.08);
    expect(mean).toBeLessThan(0.2);
  });

  test('no held-out image is also a training image', () => {
    const key = (images: Float32Array, i: number) => Array.from(images.subarray(i * DIGIT_PIXELS, (i + 1) * DIGIT_PIXELS), (v) => Math.round(v * 1000)).join(',');
    const seen = new Set(Array.from({ length: train.count }, (_, i) => key(train.images, i)));
    let shared = 0;
    for (let i = 0; i < heldOut.count; i++) if (seen.has(key(heldOut.images, i))) shared++;
    expect(shared).toBe(0);
  });
});

test('pixel centres: row-major from the top row, x right and y up, inside [-0.5, 0.5]', () => {
  const xy = pixelCentres(4);
  expect(Array.from(xy.subarray(0, 4))).toEqual([-0.375, 0.375, -0.125, 0.375]);
  expect(Array.from(xy.subarray(2 * 15))).toEqual([0.375, -0.375]);
});
