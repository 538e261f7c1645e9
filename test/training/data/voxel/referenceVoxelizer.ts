/**
 * Test-only reference voxelization, binvox/IM-NET style (every voxel the surface touches, plus the
 * inside), written apart from training/voxel/voxelize.ts and deliberately simple and slow, so the two
 * can check each other:
 *  - Surface: for every voxel in a triangle's bounding box, the full 13-axis separating-axis test
 *    (3 box normals, the triangle's normal, 9 edge cross products) on the closed voxel cube: touching
 *    counts.
 *  - Inside, binvox's two tests both passed: not visible from outside along any of the six axis
 *    directions past the surface voxels (binvox's carving), and a generalized winding number at the
 *    voxel's centre (the triangles' signed solid angles over 4 pi, Van Oosterom-Strackee) of magnitude
 *    above 1/2 (standing in for binvox's parity vote). No flood fill and no ray parity, unlike the real
 *    voxelizer. Carving keeps the winding number from filling the concave corner of two single-sided
 *    sheets (a seat and a back), where the two half-sheets' solid angles add up past 1/2.
 * Positions are normalized into [-0.5, 0.5]^3; the result is r^3 bytes 0/1 at index x + r*(y + r*z).
 */

/** The reference solid of a mesh at r^3. */
export function referenceVoxels(positions: ArrayLike<number>, indices: ArrayLike<number>, r: number): Uint8Array {
  const grid = Array.from(positions, (v) => (v + 0.5) * r);
  const out = new Uint8Array(r * r * r);
  for (let t = 0; t < indices.length; t += 3) {
    const tri = [0, 1, 2].map((k) => [grid[3 * indices[t + k]], grid[3 * indices[t + k] + 1], grid[3 * indices[t + k] + 2]]);
    const separating = separatingAxes(tri);
    const lo = [0, 1, 2].map((a) => Math.max(0, Math.ceil(Math.min(tri[0][a], tri[1][a], tri[2][a])) - 1));
    const hi = [0, 1, 2].map((a) => Math.min(r - 1, Math.floor(Math.max(tri[0][a], tri[1][a], tri[2][a]))));
    for (let z = lo[2]; z <= hi[2]; z++) {
      for (let y = lo[1]; y <= hi[1]; y++) {
        for (let x = lo[0]; x <= hi[0]; x++) {
          if (cubeOverlaps(separating, x + 0.5, y + 0.5, z + 0.5, 0.5)) out[x + r * (y + r * z)] = 1;
        }
      }
    }
  }
  const hidden = hiddenFromAxes(out, r);
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++) {
        const i = x + r * (y + r * z);
        if (!out[i] && hidden[i] && Math.abs(windingNumber(grid, indices, [x + 0.5, y + 0.5, z + 0.5])) > 0.5) out[i] = 1;
      }
    }
  }
  return out;
}

/** 1 where a voxel sees a surface voxel in each of the six axis directions (binvox's carving keeps it). */
function hiddenFromAxes(surface: Uint8Array, r: number): Uint8Array {
  const hidden = new Uint8Array(r * r * r);
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++) {
        const blocked = (dx: number, dy: number, dz: number): boolean => {
          for (let k = 1; ; k++) {
            const xx = x + k * dx, yy = y + k * dy, zz = z + k * dz;
            if (xx < 0 || yy < 0 || zz < 0 || xx >= r || yy >= r || zz >= r) return false;
            if (surface[xx + r * (yy + r * zz)]) return true;
          }
        };
        if (blocked(1, 0, 0) && blocked(-1, 0, 0) && blocked(0, 1, 0) && blocked(0, -1, 0) && blocked(0, 0, 1) && blocked(0, 0, -1)) hidden[x + r * (y + r * z)] = 1;
      }
    }
  }
  return hidden;
}

const sub = (a: number[], b: number[]): number[] => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: number[], b: number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: number[], b: number[]): number[] => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

/** The 13 candidate separating axes of a triangle against axis-aligned cubes, with the triangle's extent along each. */
interface SeparatingAxes {
  axes: number[][];
  min: number[];
  max: number[];
}

function separatingAxes(triangle: number[][]): SeparatingAxes {
  const edges = [sub(triangle[1], triangle[0]), sub(triangle[2], triangle[1]), sub(triangle[0], triangle[2])];
  const units = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const axes = [...units, cross(edges[0], edges[1])];
  for (const e of edges) for (const u of units) axes.push(cross(u, e));
  const kept = axes.filter((a) => a[0] !== 0 || a[1] !== 0 || a[2] !== 0);
  return {
    axes: kept,
    min: kept.map((a) => Math.min(...triangle.map((p) => dot(p, a)))),
    max: kept.map((a) => Math.max(...triangle.map((p) => dot(p, a)))),
  };
}

/** Whether no axis separates the triangle from the closed cube of half size `h` around (cx, cy, cz). */
function cubeOverlaps({ axes, min, max }: SeparatingAxes, cx: number, cy: number, cz: number, h: number): boolean {
  for (let k = 0; k < axes.length; k++) {
    const a = axes[k];
    const centre = a[0] * cx + a[1] * cy + a[2] * cz;
    const radius = h * (Math.abs(a[0]) + Math.abs(a[1]) + Math.abs(a[2]));
    if (min[k] > centre + radius || max[k] < centre - radius) return false;
  }
  return true;
}

/** Separating-axis test of a triangle against the closed cube of half size `h` around `centre`. */
export function triangleTouchesCube(triangle: number[][], centre: number[], h: number): boolean {
  return cubeOverlaps(separatingAxes(triangle), centre[0], centre[1], centre[2], h);
}

/** Generalized winding number of the triangles around `point` (1 inside a closed outward mesh, 0 outside). */
export function windingNumber(positions: ArrayLike<number>, indices: ArrayLike<number>, point: number[]): number {
  let total = 0;
  const px = point[0], py = point[1], pz = point[2];
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const ax = positions[a] - px, ay = positions[a + 1] - py, az = positions[a + 2] - pz;
    const bx = positions[b] - px, by = positions[b + 1] - py, bz = positions[b + 2] - pz;
    const cx = positions[c] - px, cy = positions[c + 1] - py, cz = positions[c + 2] - pz;
    const la = Math.sqrt(ax * ax + ay * ay + az * az), lb = Math.sqrt(bx * bx + by * by + bz * bz), lc = Math.sqrt(cx * cx + cy * cy + cz * cz);
    const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
    const den = la * lb * lc + (ax * bx + ay * by + az * bz) * lc + (ax * cx + ay * cy + az * cz) * lb + (bx * cx + by * cy + bz * cz) * la;
    total += 2 * Math.atan2(det, den);
  }
  return total / (4 * Math.PI);
}

/** Intersection over union of two 0/1 grids. */
export function gridIoU(a: Uint8Array, b: Uint8Array): number {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && b[i]) both++;
    if (a[i] || b[i]) either++;
  }
  return either === 0 ? 1 : both / either;
}
