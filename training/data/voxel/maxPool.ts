/** Max-pooling of 0/1 voxel grids (index x + n*(y + n*z)), as IM-NET builds its 64/32/16 grids. */

/** Pools an `n`^3 grid down to `m`^3 (`n` a multiple of `m`): a cell is 1 when any voxel of its block is. */
export function maxPool(grid: Uint8Array, n: number, m: number): Uint8Array {
  if (n % m !== 0) throw new RangeError(`cannot pool ${n}^3 to ${m}^3: ${n} is not a multiple of ${m}`);
  if (grid.length !== n * n * n) throw new RangeError(`grid has ${grid.length} voxels; expected ${n}^3 = ${n * n * n}`);
  const out = new Uint8Array(m * m * m);
  const b = n / m;
  for (let z = 0; z < n; z++) {
    const oz = ((z / b) | 0) * m * m;
    for (let y = 0; y < n; y++) {
      const oyz = oz + ((y / b) | 0) * m;
      const row = n * (y + n * z);
      for (let cx = 0, x = row; cx < m; cx++) {
        if (out[oyz + cx]) {
          x += b;
          continue;
        }
        for (const end = x + b; x < end; x++) {
          if (grid[x]) {
            out[oyz + cx] = 1;
            x = end;
            break;
          }
        }
      }
    }
  }
  return out;
}
