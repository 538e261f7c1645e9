/**
 * Floaters: pieces of a reconstruction that float free of the shape, like the flat blobs a chair
 * decoder put between its legs. A reconstruction's occupied voxels at 128^3 are split into 6-connected
 * components (voxels sharing a face); a component is a floater when none of its voxels lies in the
 * ground-truth solid dilated by one voxel (its 26-neighbourhood), so a piece that merely misses a thin
 * part by a voxel is not one. Plain functions over `n^3` grids, index `x + n * (y + n * z)`.
 */

/** The floaters of one reconstruction. */
export interface FloaterCount {
  /** Connected components of the reconstruction. */
  components: number;
  /** Components that do not touch the dilated truth. */
  floaters: number;
  /** Voxels in those components. */
  floaterVoxels: number;
  /**
   * Floaters that `ImplicitShape` shows: those with at least `minPartFraction` times the voxels of
   * the largest component (it drops smaller pieces, by enclosed volume; see `dropSmallParts`).
   */
  floatersShown: number;
}

/** `grid` (n^3, nonzero = solid) dilated by one voxel in every direction (3x3x3 cube), as 0/1. */
export function dilateVoxels(grid: Uint8Array, n: number): Uint8Array {
  if (grid.length !== n * n * n) throw new RangeError(`dilateVoxels: ${grid.length} voxels; expected ${n}^3 = ${n ** 3}`);
  // A cube's dilation is three 1D dilations, one per axis.
  let from = Uint8Array.from(grid, (v) => (v ? 1 : 0));
  for (const stride of [1, n, n * n]) {
    const to = new Uint8Array(from.length);
    for (let i = 0; i < from.length; i++) {
      if (!from[i]) continue;
      to[i] = 1;
      const c = Math.floor(i / stride) % n;
      if (c > 0) to[i - stride] = 1;
      if (c < n - 1) to[i + stride] = 1;
    }
    from = to;
  }
  return from;
}

/** `grid` (m^3) at `factor` times the resolution: each voxel becomes factor^3 voxels. */
export function upsampleVoxels(grid: Uint8Array, m: number, factor: number): Uint8Array {
  if (grid.length !== m * m * m) throw new RangeError(`upsampleVoxels: ${grid.length} voxels; expected ${m}^3 = ${m ** 3}`);
  const n = m * factor;
  const out = new Uint8Array(n * n * n);
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) {
    const row = m * (Math.floor(y / factor) + m * Math.floor(z / factor));
    const to = n * (y + n * z);
    for (let x = 0; x < n; x++) out[to + x] = grid[row + Math.floor(x / factor)];
  }
  return out;
}

/**
 * Counts the floaters of `occupied` against `truth` (both n^3, nonzero = solid): 6-connected
 * components of `occupied` with no voxel in `truth` dilated by one voxel; `floatersShown` counts
 * those not under `minPartFraction` of the largest component (default 0: all of them).
 */
export function countFloaters(occupied: Uint8Array, truth: Uint8Array, n: number, minPartFraction = 0): FloaterCount {
  const size = n * n * n;
  if (occupied.length !== size || truth.length !== size) throw new RangeError(`countFloaters: grids of ${occupied.length} and ${truth.length} voxels; expected ${n}^3 = ${size}`);
  const near = dilateVoxels(truth, n);
  const seen = new Uint8Array(size);
  const stack = new Int32Array(size);
  let components = 0, floaters = 0, floaterVoxels = 0, largest = 0;
  const floaterSizes: number[] = [];
  for (let start = 0; start < size; start++) {
    if (!occupied[start] || seen[start]) continue;
    components++;
    let touches = false;
    let count = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top];
      count++;
      if (near[i]) touches = true;
      const x = i % n, y = Math.floor(i / n) % n, z = Math.floor(i / (n * n));
      // The six face neighbours inside the grid.
      if (x > 0 && occupied[i - 1] && !seen[i - 1]) { seen[i - 1] = 1; stack[top++] = i - 1; }
      if (x < n - 1 && occupied[i + 1] && !seen[i + 1]) { seen[i + 1] = 1; stack[top++] = i + 1; }
      if (y > 0 && occupied[i - n] && !seen[i - n]) { seen[i - n] = 1; stack[top++] = i - n; }
      if (y < n - 1 && occupied[i + n] && !seen[i + n]) { seen[i + n] = 1; stack[top++] = i + n; }
      const nn = n * n;
      if (z > 0 && occupied[i - nn] && !seen[i - nn]) { seen[i - nn] = 1; stack[top++] = i - nn; }
      if (z < n - 1 && occupied[i + nn] && !seen[i + nn]) { seen[i + nn] = 1; stack[top++] = i + nn; }
    }
    largest = Math.max(largest, count);
    if (!touches) {
      floaters++;
      floaterVoxels += count;
      floaterSizes.push(count);
    }
  }
  const floatersShown = floaterSizes.filter((size) => size >= minPartFraction * largest).length;
  return { components, floaters, floaterVoxels, floatersShown };
}

/**
 * A reconstruction's occupancy at twice the resolution of `coarse` (its values at the m^3 voxel
 * centres): every fine voxel whose coarse parent lies where the coarse occupancy changes (the parent
 * or one of its 26 neighbours on the other side of `isoLevel`) is evaluated at its own centre; the
 * rest take their parent's side. Exact wherever the coarse occupancy is locally constant, at a small
 * multiple of the coarse grid's cost instead of 8x; a blob that no coarse centre sees is missed, as
 * the runtime's coarse levels miss it.
 */
export async function refineOccupancy(
  coarse: Float32Array, m: number, isoLevel: number, evaluate: (points: Float32Array) => Promise<Float32Array>, batchSize = 65536,
): Promise<Uint8Array> {
  if (coarse.length !== m * m * m) throw new RangeError(`refineOccupancy: ${coarse.length} values; expected ${m}^3 = ${m ** 3}`);
  const inside = Uint8Array.from(coarse, (v) => (v >= isoLevel ? 1 : 0));
  // Coarse voxels near a change of side: the dilation of the inside minus the erosion (dilation of the outside).
  const grown = dilateVoxels(inside, m);
  const outsideGrown = dilateVoxels(Uint8Array.from(inside, (v) => 1 - v), m);
  const n = 2 * m;
  const fine = upsampleVoxels(inside, m, 2);
  const pending: number[] = [];
  for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const parent = (x >> 1) + m * ((y >> 1) + m * (z >> 1));
    if (grown[parent] && outsideGrown[parent]) pending.push(x + n * (y + n * z));
  }
  for (let start = 0; start < pending.length; start += batchSize) {
    const chunk = pending.slice(start, start + batchSize);
    const points = new Float32Array(3 * chunk.length);
    chunk.forEach((i, k) => {
      points[3 * k] = ((i % n) + 0.5) / n - 0.5;
      points[3 * k + 1] = ((Math.floor(i / n) % n) + 0.5) / n - 0.5;
      points[3 * k + 2] = (Math.floor(i / (n * n)) + 0.5) / n - 0.5;
    });
    const values = await evaluate(points);
    chunk.forEach((i, k) => { fine[i] = values[k] >= isoLevel ? 1 : 0; });
  }
  return fine;
}
