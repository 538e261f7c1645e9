/** Digit sheets: a grid of the requested size in a greyscale PNG, binarized panels pure black and white. */
import { inflateSync } from 'node:zlib';
import { renderDigitSheet } from '../../../training/render/digitSheets.js';

/** Width, height, colour type and pixel rows of a PNG written by encodeGreyPng (filter 0 rows). */
function decode(png: Buffer): { width: number; height: number; colorType: number; rows: Uint8Array[] } {
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20), colorType = png[25];
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return { width, height, colorType, rows: Array.from({ length: height }, (_, y) => raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1))) };
}

test('three 2 x 2 images in two columns, binarized at 0.5, scaled 3x', () => {
  const images = Float32Array.from([0, 0.49, 0.5, 1, 0.2, 0.8, 0.8, 0.2, 1, 1, 1, 1]);
  const sheet = renderDigitSheet([{ images, size: 2, columns: 2, scale: 3, binarize: true }], { gap: 1 });
  const { width, height, colorType, rows } = decode(sheet.png);
  expect(colorType).toBe(0);
  // Two columns of 6 px and a 1 px gap, margins of 8; two rows.
  expect([width, height]).toEqual([8 + 13 + 8, 8 + 13 + 8]);
  expect([sheet.width, sheet.height]).toEqual([width, height]);
  // First image: pixel (0,0) = 0 -> black, (1,0) = 0.49 -> black, (0,1) = 0.5 -> white.
  expect(rows[8][8]).toBe(0);
  expect(rows[8][8 + 3]).toBe(0);
  expect(rows[8 + 3][8]).toBe(255);
  // Third image (second row) is all white; the gap keeps the background grey.
  expect(rows[8 + 7][8 + 2]).toBe(255);
  expect(rows[8 + 6][8]).toBe(96);
});
