/**
 * The small per-silhouette measures of 3DRetrieval_v1.8: the centre (`FindCenter`), the Fourier
 * descriptor of the centroid-distance signature (`FourierDescriptor.c`), circularity (`Circularity.c`
 * with `EdgeDetectSil`) and eccentricity (`Eccentricity.c`). Images: `size x size`, 1 = silhouette.
 */
import { outerContour, type ContourScratch } from './contour.js';

/** Fourier values per view. */
export const FOURIER_COEFFICIENTS = 10;
/** The C's 4 pi. */
const PI4 = 12.5663704;

/** Centre and bounding box of a silhouette. */
export interface SilhouetteCentre {
  /** Middle of the bounding box, (minX + maxX) / 2 (-1 for an empty image). */
  x: number;
  /** (minY + maxY) / 2. */
  y: number;
  /** Silhouette pixels (0: empty view). */
  pixels: number;
  /** Bounding box, inclusive (empty: minX > maxX). */
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** The middle of the silhouette's bounding box (not its centroid: the C notes it moves less between views). */
export function silhouetteCentre(image: Uint8Array, size: number): SilhouetteCentre {
  let minX = size, maxX = -1, minY = size, maxY = -1, pixels = 0;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    let rowPixels = 0;
    for (let x = 0; x < size; x++) {
      if (image[row + x] === 0) continue;
      rowPixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
    if (rowPixels === 0) continue;
    pixels += rowPixels;
    if (y < minY) minY = y;
    maxY = y;
  }
  return pixels === 0
    ? { x: -1, y: -1, pixels, minX, maxX, minY, maxY }
    : { x: (minX + maxX) / 2, y: (minY + maxY) / 2, pixels, minX, maxX, minY, maxY };
}

/** The largest distance from the centre to a silhouette pixel (0 for an empty image). */
export function silhouetteRadius(image: Uint8Array, size: number, centre: SilhouetteCentre): number {
  let radius2 = 0;
  for (let y = centre.minY; y <= centre.maxY; y++) {
    const row = y * size, dy = y - centre.y;
    for (let x = centre.minX; x <= centre.maxX; x++) {
      if (image[row + x] === 0) continue;
      const dx = x - centre.x;
      const r2 = dx * dx + dy * dy;
      if (r2 > radius2) radius2 = r2;
    }
  }
  return Math.sqrt(radius2);
}

/**
 * The 10 Fourier values (before quantization) into `out` at `offset`: distances d_i from the centre to
 * the N pixels of the outer contour, unnormalized DFT X_k, value k = |X_k| / |X_0| for k = 1..10 (0 for
 * k > N/2); all 0 when the contour has fewer than 8 pixels. Only 11 frequencies are needed, so a direct
 * DFT replaces the C's FFTW call.
 */
export function fourierValues(out: Float64Array, offset: number, image: Uint8Array, centre: SilhouetteCentre, scratch: ContourScratch, delTab: Uint8Array): void {
  out.fill(0, offset, offset + FOURIER_COEFFICIENTS);
  if (centre.pixels === 0) return;
  const n = outerContour(image, scratch, delTab);
  if (n < 8) return;
  const { contour, size, signature: distances, cosTable, sinTable } = scratch;
  let dc = 0;
  for (let i = 0; i < n; i++) {
    const dx = (contour[i] % size) - centre.x, dy = Math.floor(contour[i] / size) - centre.y;
    distances[i] = Math.sqrt(dx * dx + dy * dy);
    dc += distances[i];
  }
  for (let i = 0; i < n; i++) {
    cosTable[i] = Math.cos((2 * Math.PI * i) / n);
    sinTable[i] = Math.sin((2 * Math.PI * i) / n);
  }
  const last = Math.min(FOURIER_COEFFICIENTS, Math.floor(n / 2));
  for (let k = 1; k <= last; k++) {
    let re = 0, im = 0;
    for (let i = 0, phase = 0; i < n; i++, phase += k) {
      if (phase >= n) phase -= n;
      re += distances[i] * cosTable[phase];
      im -= distances[i] * sinTable[phase];
    }
    out[offset + k - 1] = Math.sqrt(re * re + im * im) / Math.abs(dc);
  }
}

/**
 * 4 pi A / P^2, at most 1: A = silhouette pixels, P = silhouette pixels with a background pixel among
 * their 8 neighbours inside the image. 0 for an empty image.
 */
export function circularity(image: Uint8Array, size: number, centre: SilhouetteCentre = silhouetteCentre(image, size)): number {
  let area = 0, perimeter = 0;
  for (let y = centre.minY; y <= centre.maxY; y++) {
    const y0 = Math.max(0, y - 1), y1 = Math.min(size - 1, y + 1);
    for (let x = centre.minX; x <= centre.maxX; x++) {
      if (image[y * size + x] === 0) continue;
      area++;
      const x0 = Math.max(0, x - 1), x1 = Math.min(size - 1, x + 1);
      let edge = false;
      for (let ny = y0; ny <= y1 && !edge; ny++) {
        for (let nx = x0; nx <= x1; nx++) {
          if (image[ny * size + nx] === 0) { edge = true; break; }
        }
      }
      if (edge) perimeter++;
    }
  }
  return perimeter > 0 ? Math.min(1, (PI4 * area) / (perimeter * perimeter)) : 0;
}

/** ((i20 - i02)^2 + 4 i11^2) / (i20 + i02)^2 from second moments about the centre, at most 1; 0 below 2 pixels. */
export function eccentricity(image: Uint8Array, size: number, centre: SilhouetteCentre): number {
  let i20 = 0, i02 = 0, i11 = 0, count = 0;
  for (let y = centre.minY; y <= centre.maxY; y++) {
    const dy = y - centre.y;
    for (let x = centre.minX; x <= centre.maxX; x++) {
      if (image[y * size + x] === 0) continue;
      const dx = x - centre.x;
      i02 += dy * dy;
      i11 += dx * dy;
      i20 += dx * dx;
      count++;
    }
  }
  if (count < 2) return 0;
  return Math.min(1, ((i20 - i02) ** 2 + 4 * i11 * i11) / (i20 + i02) ** 2);
}
