/**
 * Chamfer distance between binarized digits, each taken as the set of its pixel centres with value
 * >= 0.5 (in the decoder's square, so one pixel is 1/28): the same measure as `chamferDistance`
 * (mean squared nearest-neighbour distance each way, summed), computed through each image's squared
 * distance transform, so a 1,024 x 1,024 matrix costs lookups instead of nearest-neighbour searches.
 */

/** Indices (row-major) of the pixels of each `size * size` image with value >= `threshold`. */
export function binarizedPixelSets(images: Float32Array, size: number, threshold = 0.5): Int32Array[] {
  const pixels = size * size;
  const count = images.length / pixels;
  if (!Number.isInteger(count)) throw new RangeError(`binarizedPixelSets: ${images.length} values are not whole ${size} x ${size} images`);
  const sets: Int32Array[] = [];
  for (let i = 0; i < count; i++) {
    const on: number[] = [];
    for (let p = 0; p < pixels; p++) if (images[i * pixels + p] >= threshold) on.push(p);
    sets.push(Int32Array.from(on));
  }
  return sets;
}

/** Squared distance, in pixels^2, from every pixel of a `size` x `size` grid to the nearest pixel of `set` (Infinity for an empty set). */
export function squaredDistanceTransform(set: Int32Array, size: number): Float32Array {
  const out = new Float32Array(size * size).fill(Infinity);
  const xs = Int32Array.from(set, (p) => p % size), ys = Int32Array.from(set, (p) => Math.floor(p / size));
  for (let y = 0, p = 0; y < size; y++) {
    for (let x = 0; x < size; x++, p++) {
      let best = Infinity;
      for (let k = 0; k < set.length; k++) {
        const dx = xs[k] - x, dy = ys[k] - y;
        const d = dx * dx + dy * dy;
        if (d < best) best = d;
      }
      out[p] = best;
    }
  }
  return out;
}

/**
 * Chamfer distances, row-major `rows.length x cols.length`, between binarized `size` x `size` digits
 * (pixel sets from {@link binarizedPixelSets}), in the unit square's units. Infinity when exactly one
 * set is empty, 0 when both are (as `chamferDistance`).
 */
export function pixelChamferMatrix(rows: readonly Int32Array[], cols: readonly Int32Array[], size: number): Float64Array {
  const unit = 1 / (size * size);
  const rowTransforms = rows.map((s) => squaredDistanceTransform(s, size));
  const colTransforms = cols.map((s) => squaredDistanceTransform(s, size));
  const out = new Float64Array(rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) {
    const a = rows[r], da = rowTransforms[r];
    for (let c = 0; c < cols.length; c++) {
      const b = cols[c], db = colTransforms[c];
      let d: number;
      if (a.length === 0 || b.length === 0) d = a.length === b.length ? 0 : Infinity;
      else {
        let ab = 0, ba = 0;
        for (let k = 0; k < a.length; k++) ab += db[a[k]];
        for (let k = 0; k < b.length; k++) ba += da[b[k]];
        d = (ab / a.length + ba / b.length) * unit;
      }
      out[r * cols.length + c] = d;
    }
  }
  return out;
}
