/**
 * The cells just beyond the box, which let marching cubes cap a shape where it leaves the box: the
 * dense extractor marches a grid padded with one layer of corners below any iso-level, and the
 * adaptive one reaches the same padding cells through the grid cells they clamp to.
 */

/** Corner value standing for the empty space beyond the grid: below any iso-level. */
export const OUTSIDE = Number.NEGATIVE_INFINITY;

/**
 * Writes cell (cx, cy, cz) first, then the padding cells that clamp to it (beyond each box face it
 * touches), into `out`, 3 coordinates each; returns how many (1..8). Each padding cell clamps to
 * exactly one grid cell, so iterating the kept cells visits each padding cell at most once.
 */
export function paddedCells(cx: number, cy: number, cz: number, r: number, out: Int32Array): number {
  out[0] = cx;
  out[1] = cy;
  out[2] = cz;
  if (cx !== 0 && cy !== 0 && cz !== 0 && cx !== r - 1 && cy !== r - 1 && cz !== r - 1) return 1;
  let count = 1;
  for (let z = cz === 0 ? -1 : cz; z <= (cz === r - 1 ? r : cz); z++) {
    for (let y = cy === 0 ? -1 : cy; y <= (cy === r - 1 ? r : cy); y++) {
      for (let x = cx === 0 ? -1 : cx; x <= (cx === r - 1 ? r : cx); x++) {
        if (x === cx && y === cy && z === cz) continue;
        out[3 * count] = x;
        out[3 * count + 1] = y;
        out[3 * count + 2] = z;
        count++;
      }
    }
  }
  return count;
}

/**
 * The 8 corner values of padded cell (px, py, pz) from those of grid cell (cx, cy, cz) it clamps to
 * (its corners inside the grid are that cell's), OUTSIDE beyond the grid.
 */
export function paddedCorners(
  corners: Float32Array,
  offset: number,
  cx: number,
  cy: number,
  cz: number,
  px: number,
  py: number,
  pz: number,
  r: number,
  out: Float64Array,
): void {
  for (let c = 0; c < 8; c++) {
    const x = px + (c & 1);
    const y = py + ((c >> 1) & 1);
    const z = pz + (c >> 2);
    out[c] =
      x >= 0 && x <= r && y >= 0 && y <= r && z >= 0 && z <= r
        ? corners[offset + (x - cx) + 2 * (y - cy) + 4 * (z - cz)]
        : OUTSIDE;
  }
}

/** A padding cell's coordinate clamped into the grid's 0..r-1. */
export function clampCell(v: number, r: number): number {
  return v < 0 ? 0 : v > r - 1 ? r - 1 : v;
}
