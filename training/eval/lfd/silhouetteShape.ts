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

/** Centre and extent of a silhouette. */
export interface SilhouetteCentre {
  /** Middle of the bounding box, (minX + maxX) / 2. */
  x: number;
  /** (minY + maxY) / 2. */
  y: number;
  /** Silhouette pixels (0: empty view). */
  pixels: number;
}

/** The middle of the silhouette's bounding box (not its centroid: the C notes it moves less between views). */
export function silhouetteCentre(image: Uint8Array, size: number): SilhouetteCentre {
  let minX = size, maxX = -1, minY = size, maxY = -1, pixels = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (image[y * size + x] === 0) continue;
      pixels++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return pixels === 0 ? { x: -1, y: -1, pixels } : { x: (minX + maxX) / 2, y: (minY + maxY) / 2, pixels };
}

/** The largest distance from `centre` to a silhouette pixel (0 for an empty image). */
export function silhouetteRadius(image: Uint8Array, size: number, centre: SilhouetteCentre): number {
  let radius = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (image[y * size + x] === 0) continue;
      const r = Math.hypot(x - centre.x, y - centre.y);
      if (r > radius) radius = r;
    }
  }
  return radius;
}

/**
 * The 10 Fourier values (before quantization) into `out` at `offset`: distances d_i from the centre to
 * the N pixels of the outer contour, unnormalized DFT X_k, value k = |X_k| / |X_0| for k = 1..10 (0 for
 * k > N/2); all 0 when the contour has fewer than 8 pixels. Only 11 frequencies are needed, so a direct
 * DFT replaces the C's FFTW call.
 */
export function fourierValues(out: Float64Array, offset: number, image: Uint8Array, centre: SilhouetteCentre, scratch: ContourScratch, delTab: Uint8Array): void {
  out.fill(0, offset, offset + FOURIER_COEFFICIENTS);
  const n = outerContour(image, scratch, delTab);
  if (n < 8) return;
  const { contour, size } = scratch;
  const distances = scratch.signature;
  let dc = 0;
  for (let i = 0; i < n; i++) {
    distances[i] = Math.hypot((contour[i] % size) - centre.x, Math.floor(contour[i] / size) - centre.y);
    dc += distances[i];
  }
  const magnitude0 = Math.abs(dc);
  const last = Math.min(FOURIER_COEFFICIENTS, Math.floor(n / 2));
  for (let k = 1; k <= last; k++) {
    let re = 0, im = 0;
    for (let i = 0; i < n; i++) {
      const angle = (2 * Math.PI * ((k * i) % n)) / n;
      re += distances[i] * Math.cos(angle);
      im -= distances[i] * Math.sin(angle);
    }
    out[offset + k - 1] = Math.hypot(re, im) / magnitude0;
  }
}

/**
 * 4 pi A / P^2, at most 1: A = silhouette pixels, P = silhouette pixels with a background pixel among
 * their 8 neighbours inside the image. 0 for an empty image.
 */
export function circularity(image: Uint8Array, size: number): number {
  let area = 0, perimeter = 0;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      if (image[i] === 0) continue;
      area++;
      let edge = false;
      for (let dy = -1; dy <= 1 && !edge; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= size) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= size) continue;
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
  for (let y = 0; y < size; y++) {
    const dy = y - centre.y;
    for (let x = 0; x < size; x++) {
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
