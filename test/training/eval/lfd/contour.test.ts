/**
 * The contour the Fourier descriptor walks, on small hand-drawn silhouettes: its length, holes versus
 * separate parts, and the join of a two-part silhouette that never eats into the original.
 */
import { LFD_CONSTANTS } from '../../../../training/eval/lfd/lfdConstants.js';
import { ContourScratch, isMultiPart, outerContour, traceContour } from '../../../../training/eval/lfd/contour.js';

const SIZE = 24;

/** A SIZE x SIZE image with the given filled rectangles [x0, y0, x1, y1] (inclusive) and optional holes. */
function image(rects: number[][], holes: number[][] = []): Uint8Array {
  const out = new Uint8Array(SIZE * SIZE);
  const paint = ([x0, y0, x1, y1]: number[], value: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out[y * SIZE + x] = value;
  };
  rects.forEach((r) => paint(r, 1));
  holes.forEach((r) => paint(r, 0));
  return out;
}

test('a 3 x 3 square: 8 border pixels walked once, the start recorded again', () => {
  const scratch = new ContourScratch(SIZE);
  const square = image([[5, 5, 7, 7]]);
  expect(traceContour(square, scratch)).toBe(9);
  const walked = Array.from(scratch.contour.subarray(0, 9));
  expect(walked[0]).toBe(5 * SIZE + 5);
  expect(walked[8]).toBe(walked[0]);
  expect(new Set(walked).size).toBe(8);
  expect(walked).not.toContain(6 * SIZE + 6);
  expect(isMultiPart(square, scratch)).toBe(false);
});

test('an isolated pixel and an empty image have no contour', () => {
  const scratch = new ContourScratch(SIZE);
  expect(traceContour(image([[9, 9, 9, 9]]), scratch)).toBe(-1);
  expect(traceContour(image([]), scratch)).toBe(-1);
});

test('a hole does not make a silhouette multi-part; a second part does', () => {
  const scratch = new ContourScratch(SIZE);
  const ring = image([[4, 4, 15, 15]], [[7, 7, 12, 12]]);
  traceContour(ring, scratch);
  expect(isMultiPart(ring, scratch)).toBe(false);
  const twoParts = image([[4, 4, 9, 9], [13, 4, 18, 9]]);
  traceContour(twoParts, scratch);
  expect(isMultiPart(twoParts, scratch)).toBe(true);
});

test('two parts are joined into one contour that encloses both, without removing original pixels', () => {
  const scratch = new ContourScratch(SIZE);
  const twoParts = image([[4, 4, 9, 9], [13, 4, 18, 9]]);
  const n = outerContour(twoParts, scratch, LFD_CONSTANTS.delTab);
  expect(n).toBeGreaterThan(8);
  // The final contour is in the mask: a flood from the border no longer reaches the parts.
  expect(isMultiPart(twoParts, scratch)).toBe(false);
  for (let i = 0; i < twoParts.length; i++) if (twoParts[i]) expect(scratch.work[i]).toBe(1);
  // Thinning takes the growth back to a thin bridge across the 3-pixel gap.
  const added = scratch.work.reduce((s, v) => s + v, 0) - twoParts.reduce((s, v) => s + v, 0);
  expect(added).toBeGreaterThanOrEqual(3);
  expect(added).toBeLessThanOrEqual(6);
});
