/**
 * The outer contour of a silhouette, as 3DRetrieval_v1.8 finds it for its Fourier descriptor
 * (`TraceContour.c`, `FourierDescriptor.c`'s `IsMultiPart`, `MORPHOLOGY.C`, `Thin.c`). Images are
 * `size x size` bytes, 1 = silhouette, 0 = background; indices are `y * size + x` (buffer order). The
 * silhouette must keep 3 pixels away from the image border, which normalized models always do.
 */

/** Scratch buffers for one image size (the tracer's mask, the dilation copy, the thinning flags). */
export class ContourScratch {
  /** Contour pixel indices, in walking order. */
  readonly contour: Int32Array;
  /** 0 = unvisited, CONTOUR, OUTSIDE. */
  readonly mask: Uint8Array;
  readonly work: Uint8Array;
  readonly flags: Uint8Array;
  readonly queue: Int32Array;
  /** The contour's centre distances (the Fourier descriptor's signal). */
  readonly signature: Float64Array;
  /** cos and sin of 2 pi i / N for the contour's DFT. */
  readonly cosTable: Float64Array;
  readonly sinTable: Float64Array;
  constructor(readonly size: number) {
    const total = size * size;
    this.contour = new Int32Array(total + 1);
    this.mask = new Uint8Array(total);
    this.work = new Uint8Array(total);
    this.flags = new Uint8Array(total);
    this.queue = new Int32Array(total);
    this.signature = new Float64Array(total + 1);
    this.cosTable = new Float64Array(total + 1);
    this.sinTable = new Float64Array(total + 1);
  }
}

const CONTOUR = 255;
const OUTSIDE = 128;

/**
 * Border following from the first silhouette pixel in buffer order (8-connected, starting downwards
 * in buffer terms), until it is back at the start; the start is recorded again at the end. Returns the
 * number of recorded pixels, or -1 for an empty image or an isolated start pixel (the C's error value).
 * Marks the contour in `scratch.mask`.
 */
export function traceContour(image: Uint8Array, scratch: ContourScratch): number {
  const { size: w, contour, mask } = scratch;
  const total = w * w;
  let start = -1;
  for (let i = 0; i < total; i++) if (image[i] !== 0) { start = i; break; }
  if (start < 0) return -1;
  // Directions 0..3 (down, right, up, left in buffer rows); per direction the three candidates P1..P3
  // and the direction taken after stepping to each.
  const nextPos = [w - 1, w, w + 1, w + 1, 1, -w + 1, -w + 1, -w, -w - 1, -w - 1, -1, w - 1];
  const nextDir = [3, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3];
  // Three start neighbourhoods where the walk would return early and miss a part: remember them.
  const mayLoss = image[start + w - 1] !== 0 && image[start + w] === 0 && (image[start + w + 1] !== 0 || image[start + 1] !== 0);
  mask.fill(0);
  let position = start, direction = 0, count = 0;
  contour[count++] = position;
  mask[position] = CONTOUR;
  while (count < contour.length) {
    let walked = false;
    for (let turn = 0; turn < 4 && !walked; turn++) {
      for (let i = 0; i < 3; i++) {
        const next = position + nextPos[3 * direction + i];
        if (image[next] !== 0) {
          position = next;
          direction = nextDir[3 * direction + i];
          contour[count++] = position;
          mask[position] = CONTOUR;
          walked = true;
          break;
        }
      }
      if (!walked) direction = (direction + 1) % 4;
    }
    if (!walked) return -1;
    if (position === start && (!mayLoss || direction !== 1)) return count;
  }
  return -1;
}

/**
 * Whether the traced contour leaves more than 5% of the silhouette outside it: a flood fill from the
 * image border through pixels that are not contour (4-connected) reaches silhouette pixels that the
 * contour does not enclose. Uses the mask left by `traceContour`. An empty silhouette counts as multi-part (0/0 in the C).
 */
export function isMultiPart(image: Uint8Array, scratch: ContourScratch): boolean {
  const { size: w, mask, queue } = scratch;
  const total = w * w;
  // The border is outside; the fill enters interior pixels that are not contour (the C loops skip the
  // border rows and columns). Seeding the interior ring keeps every neighbour read inside the image.
  for (let x = 0; x < w; x++) { mask[x] = OUTSIDE; mask[total - w + x] = OUTSIDE; }
  for (let y = 1; y < w - 1; y++) { mask[y * w] = OUTSIDE; mask[y * w + w - 1] = OUTSIDE; }
  let head = 0, tail = 0;
  const seed = (i: number): void => {
    if (mask[i] === 0) { mask[i] = OUTSIDE; queue[tail++] = i; }
  };
  for (let x = 1; x < w - 1; x++) { seed(w + x); seed(total - 2 * w + x); }
  for (let y = 2; y < w - 2; y++) { seed(y * w + 1); seed(y * w + w - 2); }
  while (head < tail) {
    const i = queue[head++];
    if (mask[i - 1] === 0) { mask[i - 1] = OUTSIDE; queue[tail++] = i - 1; }
    if (mask[i + 1] === 0) { mask[i + 1] = OUTSIDE; queue[tail++] = i + 1; }
    if (mask[i - w] === 0) { mask[i - w] = OUTSIDE; queue[tail++] = i - w; }
    if (mask[i + w] === 0) { mask[i + w] = OUTSIDE; queue[tail++] = i + w; }
  }
  let inside = 0, outside = 0;
  for (let i = 0; i < total; i++) {
    if (image[i] === 0) continue;
    if (mask[i] === OUTSIDE) outside++; else inside++;
  }
  return !(inside / (inside + outside) > 0.95);
}

/** 3 x 3 square. */
const DILATE_3X3: readonly (readonly [number, number])[] = [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 0], [0, 1], [1, -1], [1, 0], [1, 1]];
/** The 21-pixel 5 x 5 disc (corners cut). */
const DILATE_5X5: readonly (readonly [number, number])[] = [
  [-2, -1], [-2, 0], [-2, 1],
  [-1, -2], [-1, -1], [-1, 0], [-1, 1], [-1, 2],
  [0, -2], [0, -1], [0, 0], [0, 1], [0, 2],
  [1, -2], [1, -1], [1, 0], [1, 1], [1, 2],
  [2, -1], [2, 0], [2, 1],
];

/** Grows the silhouette by a structuring element, in place; only pixels 2 or more from the border change (`BINARYErosion` of the background). */
function dilate(image: Uint8Array, size: number, element: readonly (readonly [number, number])[], backup: Uint8Array): void {
  backup.set(image);
  for (const [dx, dy] of element) {
    const offset = dy * size + dx;
    for (let y = 2; y < size - 2; y++) {
      for (let x = 2; x < size - 2; x++) {
        const i = y * size + x;
        if (backup[i + offset] !== 0) image[i] = 1;
      }
    }
  }
}

/** Fills the bounding box of the silhouette. */
function fillBoundingBox(image: Uint8Array, size: number): void {
  let left = size, right = -1, bottom = size, top = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (image[y * size + x] === 0) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < bottom) bottom = y;
      if (y > top) top = y;
    }
  }
  for (let y = bottom; y <= top; y++) image.fill(1, y * size + left, y * size + right + 1);
}

/**
 * Thins a grown silhouette back towards the original (`Thin.c`): sides up, down, left, right in turn,
 * each side's deletable border pixels removed in parallel, only pixels outside `original`, until
 * nothing changes. `delTab` decides deletability from the 8-neighbourhood bit pattern.
 */
function thin(image: Uint8Array, original: Uint8Array, size: number, delTab: Uint8Array, flags: Uint8Array): void {
  const w = size, total = w * w;
  // Neighbour k = 1..8 is bit k-1 of the pattern: right, up, left, down (in buffer rows), then the diagonals.
  const around = [0, 1, -w, -1, w, 1 + w, 1 - w, -1 - w, -1 + w];
  const sideOrder = [2, 4, 3, 1];
  for (let i = 0; i < total; i++) flags[i] = image[i] !== 0 ? 1 : 0;
  let changed: boolean;
  do {
    changed = false;
    for (const side of sideOrder) {
      const sideOffset = around[side];
      let sideChanged = false;
      for (let y = 1; y < w - 1; y++) {
        for (let x = 1; x < w - 1; x++) {
          const i = y * w + x;
          if (flags[i] === 0 || flags[i + sideOffset] !== 0 || original[i] !== 0) continue;
          let pattern = 0;
          for (let k = 1; k < 9; k++) pattern |= flags[i + around[k]] << (k - 1);
          if (delTab[pattern]) {
            image[i] = 0;
            sideChanged = true;
          }
        }
      }
      if (sideChanged) {
        changed = true;
        for (let i = 0; i < total; i++) if (flags[i] !== 0 && image[i] === 0) flags[i] = 0;
      }
    }
  } while (changed);
}

/**
 * The contour the Fourier descriptor uses; returns its length (the start counted twice) or -1. A
 * silhouette in several parts is first joined: grown by 3 x 3, then also by the 5 x 5 disc, else
 * replaced by its bounding box, until the contour encloses it, then thinned back (never into the
 * original silhouette) and traced again. The contour is in `scratch.contour`.
 */
export function outerContour(image: Uint8Array, scratch: ContourScratch, delTab: Uint8Array): number {
  const { size, work, flags } = scratch;
  const count = traceContour(image, scratch);
  if (!isMultiPart(image, scratch)) return count;
  work.set(image);
  dilate(work, size, DILATE_3X3, flags);
  traceContour(work, scratch);
  if (isMultiPart(work, scratch)) {
    dilate(work, size, DILATE_5X5, flags);
    traceContour(work, scratch);
    if (isMultiPart(work, scratch)) {
      work.set(image);
      fillBoundingBox(work, size);
    }
  }
  thin(work, image, size, delTab, flags);
  return traceContour(work, scratch);
}
