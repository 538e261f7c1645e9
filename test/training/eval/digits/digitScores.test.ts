/**
 * The digit scores: the pixel-set Chamfer distance equals the 3D `chamferDistance` on the pixel
 * centres, and the classifier scores respond to confidence and to how classes spread.
 */
import { chamferDistance } from '../../../../training/eval/metrics.js';
import { binarizedPixelSets, pixelChamferMatrix, squaredDistanceTransform } from '../../../../training/eval/digits/pixelChamfer.js';
import { classifierScores } from '../../../../training/eval/digits/classifierScores.js';
import { createRandom } from '#core';

/** Pixel centres of a set as 3D points (z = 0) in the unit square, as `chamferDistance` takes them. */
function asPoints(set: Int32Array, size: number): Float32Array {
  const out = new Float32Array(3 * set.length);
  set.forEach((p, k) => { out[3 * k] = ((p % size) + 0.5) / size - 0.5; out[3 * k + 1] = 0.5 - (Math.floor(p / size) + 0.5) / size; });
  return out;
}

describe('pixelChamferMatrix', () => {
  test('equals chamferDistance on the pixel centres, for random digits-like sets', () => {
    const size = 12;
    const random = createRandom(3);
    const images = Float32Array.from({ length: 5 * size * size }, () => (random() < 0.2 ? random() * 0.5 + 0.5 : random() * 0.5));
    const sets = binarizedPixelSets(images, size);
    const matrix = pixelChamferMatrix(sets.slice(0, 2), sets.slice(2), size);
    for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
      expect(matrix[r * 3 + c]).toBeCloseTo(chamferDistance(asPoints(sets[r], size), asPoints(sets[2 + c], size)), 6);
    }
  });

  test('an empty digit is infinitely far from a non-empty one and 0 from another empty one', () => {
    const empty = new Int32Array(0), dot = Int32Array.from([5]);
    expect(Array.from(pixelChamferMatrix([empty, dot], [empty, dot], 4))).toEqual([0, Infinity, Infinity, 0]);
  });

  test('the distance transform is the squared pixel distance to the nearest set pixel', () => {
    const dt = squaredDistanceTransform(Int32Array.from([0]), 3);
    expect(Array.from(dt)).toEqual([0, 1, 4, 1, 2, 5, 4, 5, 8]);
  });
});

describe('classifierScores', () => {
  const oneHot = (classes: number[], p = 1) => Float32Array.from(classes.flatMap((c) => Array.from({ length: 10 }, (_, k) => (k === c ? p : (1 - p) / 9))));

  test('confident samples of all ten classes score 10 and cover every class', () => {
    const s = classifierScores(oneHot(Array.from({ length: 100 }, (_, i) => i % 10)));
    expect(s.confidence).toBeCloseTo(1, 6);
    expect(s.classifierScore).toBeCloseTo(10, 4);
    expect(s.classesCovered).toBe(10);
    expect(s.largestClassShare).toBeCloseTo(0.1, 6);
  });

  test('one class only scores 1 and covers one class; unsure samples lower confidence', () => {
    const s = classifierScores(oneHot(new Array(50).fill(3)));
    expect(s.classifierScore).toBeCloseTo(1, 6);
    expect(s.classesCovered).toBe(1);
    expect(s.histogram[3]).toBe(50);
    expect(classifierScores(oneHot([1, 2, 3], 0.4)).confidence).toBeCloseTo(0.4, 6);
  });
});
