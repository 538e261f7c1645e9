/**
 * Solid voxelization that tolerates the meshes people actually have: holes, flipped faces,
 * self-intersections and overlapping parts.
 *
 * A voxel is occupied when its centre is inside the shape, decided in three passes:
 *  1. Surface: every voxel a triangle touches (exact triangle/box overlap, slightly inflated, so a
 *     closed surface is a closed wall of voxels).
 *  2. Outside flood fill: from the grid's border through non-surface voxels (6-connected). What it
 *     cannot reach is enclosed, hence inside, whatever the faces' orientation or overlaps; cavities
 *     without an opening are filled, as in IM-NET's (HSP) data.
 *  3. Ray-parity voting, for the voxels the fill reached or that lie on the surface and face it: six
 *     axis rays from the voxel centre (+x, -x, +y, ...) each vote "inside" when they cross the surface
 *     an odd number of times; 4 or more of 6 votes is inside. A hole lets the fill leak into the
 *     interior, but it spoils only the rays that leave through it, so the majority holds. When any
 *     outside voxel got a vote (the mark of holes), 12 face-diagonal rays vote too: 10 of 18.
 *
 * Surface voxels, two rules:
 *  - `solid` (default): every voxel the surface touches is occupied. This is IM-NET's data convention
 *    (its HSP/binvox voxels: the surface voxels plus the filled interior), and the only rule under which
 *    parts thinner than a voxel (zero-thickness seats, single-sided sheets, thin rods) survive, at any
 *    resolution and through max-pooling. Volumes grow by about half a voxel layer.
 *  - `center`: a surface voxel is occupied when its centre is inside (by the votes of pass 3), so the
 *    volume is unbiased (the closed bunny within 3% at 128^3). Thin parts vanish; `VoxelizeStats`
 *    counts what was lost. Surface voxels with no reached voxel among their 26 neighbours are buried
 *    inside (a part sunk into another, where parity is wrong: two crossings) and occupied.
 */

/** Options of `voxelizeSolid`. */
export interface VoxelizeOptions {
  /** Voxels per axis; the grid covers [-0.5, 0.5]^3. Default 256. */
  resolution?: number;
  /**
   * `solid` (default): every voxel the surface touches is occupied (IM-NET/binvox; thin parts survive);
   * `center`: only when its centre is inside (unbiased volume of closed, thick meshes; thin parts vanish).
   */
  surface?: SurfaceRule;
}

/** How voxels that the surface touches count, see `voxelizeSolid`. */
export type SurfaceRule = 'solid' | 'center';

/** The default surface rule. */
export const DEFAULT_SURFACE_RULE: SurfaceRule = 'solid';

/** What the voxelization saw, for reports and tests. */
export interface VoxelizeStats {
  /** Voxels touched by a triangle. */
  surfaceVoxels: number;
  /** Non-surface voxels the outside flood fill reached (outside, plus interior behind any hole). */
  reachedVoxels: number;
  /** Reached non-surface voxels that the ray votes still called inside: evidence of holes. */
  leakedInsideVoxels: number;
  /**
   * Voxels decided by a narrow vote (at least a third of the rays dissenting), either way: many of them
   * mean big holes or an open surface (also beside any single-sided sheet, where they stay empty).
   */
  uncertainVoxels: number;
  /** Of those, the ones the vote made occupied: volume that may not be there. */
  uncertainInsideVoxels: number;
  /** Occupied voxels. */
  occupiedVoxels: number;
  /** Ray directions that voted: 3 (axes) for closed meshes, 9 (axes and face diagonals) when holes showed. */
  rayFamilies: number;
  /**
   * Surface voxels with no occupied voxel in their 3x3x3 neighbourhood: surface that left no trace in
   * the grid (always 0 with `surface: 'solid'`; with `center`, parts thinner than a voxel).
   */
  lostSurfaceVoxels: number;
  /**
   * Vanished parts: 26-connected groups of lost surface voxels at least `resolution / 16` voxels big
   * (16 at 256^3), a seat, a sheet or a rod that is missing from the solid. 0 with `surface: 'solid'`.
   */
  vanishedParts: number;
  /** Lost surface voxels in the largest vanished part (0 when none). */
  largestVanishedPart: number;
}

// Per-voxel state in one byte: the vote count (up to 18) in the low five bits, then two flags.
const VOTES = 0x1f;
const SURFACE = 0x20;
const REACHED = 0x40;
/** Inflation of each voxel in the overlap test, in voxels: makes the wall conservative against rounding. */
const BOX_SLACK = 1e-6;
/**
 * Rays run through voxel centres shifted by these tiny, unrelated offsets (in voxels), so a ray never
 * passes exactly through a mesh edge or vertex placed on the grid (a quad's diagonal, a cube's edge),
 * where it would count one crossing twice or not at all.
 */
const RAY_JITTER = [1.3e-5 * Math.SQRT2, 1.7e-5 * Math.PI, 2.3e-5 * Math.E];

/**
 * Voxelizes a mesh already normalized into [-0.5, 0.5]^3. Returns `resolution`^3 values 0/1 at
 * index x + R*(y + R*z); voxel (x, y, z) has its centre at ((x, y, z) + 0.5) / R - 0.5.
 */
export function voxelizeSolid(positions: Float64Array | Float32Array, indices: Uint32Array, options: VoxelizeOptions = {}): { voxels: Uint8Array; stats: VoxelizeStats } {
  const resolution = options.resolution ?? 256;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1024) {
    throw new RangeError(`resolution: expected an integer in [2, 1024], got ${resolution}`);
  }
  const grid = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i++) grid[i] = (positions[i] + 0.5) * resolution;

  const cells = new Uint8Array(resolution ** 3);
  const surfaceVoxels = markSurface(cells, grid, indices, resolution);
  const reachedVoxels = floodFillOutside(cells, resolution);
  for (const family of AXIS_RAYS) voteAlongRays(cells, grid, indices, resolution, family);
  // A closed mesh gives every outside voxel zero votes. Any vote outside means holes (or open
  // patches), where six rays can be outvoted by the ones that leave through a hole: ask twelve more.
  const diagonal = hasVotesOutside(cells);
  if (diagonal) for (const family of DIAGONAL_RAYS) voteAlongRays(cells, grid, indices, resolution, family);
  const majority = diagonal ? 10 : 4;

  const voxels = new Uint8Array(cells.length);
  const rule = options.surface ?? DEFAULT_SURFACE_RULE;
  if (rule !== 'solid' && rule !== 'center') throw new RangeError(`surface: expected 'solid' or 'center', got ${JSON.stringify(rule)}`);
  const solidSurface = rule === 'solid';
  const rays = diagonal ? 18 : 6;
  let occupiedVoxels = 0, leakedInsideVoxels = 0, uncertainVoxels = 0, uncertainInsideVoxels = 0;
  const r = resolution;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    const votes = c & VOTES;
    let inside: boolean;
    if ((c & (SURFACE | REACHED)) === 0) {
      inside = true;
    } else if (c & SURFACE) {
      if (solidSurface || !isExposed(cells, r, i % r, ((i / r) | 0) % r, (i / (r * r)) | 0)) {
        inside = true;
      } else {
        inside = votes >= majority;
        if (3 * Math.min(votes, rays - votes) >= rays) {
          uncertainVoxels++;
          if (inside) uncertainInsideVoxels++;
        }
      }
    } else {
      // Reached: outside, unless the rays say the fill leaked in through a hole.
      if (votes === 0) continue;
      const narrow = 3 * Math.min(votes, rays - votes) >= rays;
      if (narrow) uncertainVoxels++;
      if (votes < majority) continue;
      if (narrow) uncertainInsideVoxels++;
      inside = true;
      leakedInsideVoxels++;
    }
    if (inside) {
      voxels[i] = 1;
      occupiedVoxels++;
    }
  }
  const lost = findLostSurface(cells, voxels, r);
  return {
    voxels,
    stats: { surfaceVoxels, reachedVoxels, leakedInsideVoxels, uncertainVoxels, uncertainInsideVoxels, occupiedVoxels, rayFamilies: diagonal ? 9 : 3, ...lost },
  };
}

/**
 * Surface voxels with nothing occupied in their 3x3x3 neighbourhood, and their 26-connected groups of
 * at least r/16 voxels. The neighbourhood, not the voxel alone: under the `center` rule a thick part's
 * outer surface voxels are empty by design (their centres lie outside) but sit next to occupied ones.
 */
function findLostSurface(cells: Uint8Array, voxels: Uint8Array, r: number): { lostSurfaceVoxels: number; vanishedParts: number; largestVanishedPart: number } {
  const rr = r * r;
  const lost = new Uint8Array(cells.length);
  let lostSurfaceVoxels = 0;
  for (let i = 0; i < cells.length; i++) {
    if (!(cells[i] & SURFACE) || voxels[i]) continue;
    const x = i % r, y = ((i / r) | 0) % r, z = (i / rr) | 0;
    let occupied = false;
    for (let dz = -1; dz <= 1 && !occupied; dz++) {
      const zz = z + dz;
      if (zz < 0 || zz >= r) continue;
      for (let dy = -1; dy <= 1 && !occupied; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= r) continue;
        const row = r * yy + rr * zz;
        if ((x > 0 && voxels[row + x - 1]) || voxels[row + x] || (x < r - 1 && voxels[row + x + 1])) occupied = true;
      }
    }
    if (!occupied) {
      lost[i] = 1;
      lostSurfaceVoxels++;
    }
  }
  let vanishedParts = 0, largestVanishedPart = 0;
  if (lostSurfaceVoxels === 0) return { lostSurfaceVoxels, vanishedParts, largestVanishedPart };
  const minPart = Math.max(2, Math.ceil(r / 16));
  const stack = new IndexStack();
  for (let seed = 0; seed < lost.length; seed++) {
    if (lost[seed] !== 1) continue;
    // Flood the group, marking visited voxels 2.
    lost[seed] = 2;
    stack.push(seed);
    let size = 0;
    while (stack.top > 0) {
      const i = stack.data[--stack.top];
      size++;
      const x = i % r, y = ((i / r) | 0) % r, z = (i / rr) | 0;
      for (let dz = -1; dz <= 1; dz++) {
        const zz = z + dz;
        if (zz < 0 || zz >= r) continue;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= r) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= r) continue;
            const j = xx + r * yy + rr * zz;
            if (lost[j] === 1) {
              lost[j] = 2;
              stack.push(j);
            }
          }
        }
      }
    }
    if (size >= minPart) {
      vanishedParts++;
      if (size > largestVanishedPart) largestVanishedPart = size;
    }
  }
  return { lostSurfaceVoxels, vanishedParts, largestVanishedPart };
}

/** Whether any voxel the outside fill reached got an "inside" vote: the mark of holes. */
function hasVotesOutside(cells: Uint8Array): boolean {
  for (let i = 0; i < cells.length; i++) {
    if ((cells[i] & (REACHED | SURFACE)) === REACHED && (cells[i] & VOTES) !== 0) return true;
  }
  return false;
}

/**
 * Whether a surface voxel touches the outside: a reached voxel among its 26 neighbours, or the grid's
 * border. 26 rather than 6 neighbours, because a voxel in a concave crease between two parts has
 * surface voxels on all six sides and the outside only diagonally.
 */
function isExposed(cells: Uint8Array, r: number, x: number, y: number, z: number): boolean {
  if (x === 0 || y === 0 || z === 0 || x === r - 1 || y === r - 1 || z === r - 1) return true;
  for (let dz = -1; dz <= 1; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      const row = r * (y + dy) + r * r * (z + dz) + x;
      if ((cells[row - 1] | cells[row] | cells[row + 1]) & REACHED) return true;
    }
  }
  return false;
}

// Module-level scratch (no allocation per triangle).
const _v = new Float64Array(9);
const _n = [0, 0, 0];
const _lo = [0, 0, 0];
const _hi = [0, 0, 0];

/**
 * Marks every voxel that a triangle overlaps. Per triangle we walk the voxel columns along its
 * dominant normal axis; in each column the plane spans at most a few voxels, each checked with the
 * separating-axis triangle/box test (Akenine-Moller), so the cost follows the triangle's area.
 */
function markSurface(cells: Uint8Array, grid: Float64Array, indices: Uint32Array, r: number): number {
  let count = 0;
  const stride = [1, r, r * r];
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const e0x = grid[b] - grid[a], e0y = grid[b + 1] - grid[a + 1], e0z = grid[b + 2] - grid[a + 2];
    const e1x = grid[c] - grid[b], e1y = grid[c + 1] - grid[b + 1], e1z = grid[c + 2] - grid[b + 2];
    const n = _n, lo = _lo, hi = _hi;
    n[0] = e0y * e1z - e0z * e1y; n[1] = e0z * e1x - e0x * e1z; n[2] = e0x * e1y - e0y * e1x;
    const ax = Math.abs(n[0]), ay = Math.abs(n[1]), az = Math.abs(n[2]);
    // A zero-area triangle is a segment or a point: it separates nothing.
    if (ax + ay + az < 1e-12) continue;
    const d = ax >= ay && ax >= az ? 0 : ay >= az ? 1 : 2;
    const u = (d + 1) % 3, w = (d + 2) % 3;
    for (let k = 0; k < 3; k++) {
      const min = Math.min(grid[a + k], grid[b + k], grid[c + k]);
      const max = Math.max(grid[a + k], grid[b + k], grid[c + k]);
      lo[k] = Math.max(0, Math.floor(min - BOX_SLACK));
      hi[k] = Math.min(r - 1, Math.floor(max + BOX_SLACK));
    }
    // Plane: n . p = offset; along the dominant axis p_d = (offset - n_u p_u - n_w p_w) / n_d.
    const offset = n[0] * grid[a] + n[1] * grid[a + 1] + n[2] * grid[a + 2];
    for (let iu = lo[u]; iu <= hi[u]; iu++) {
      for (let iw = lo[w]; iw <= hi[w]; iw++) {
        let dMin = Infinity, dMax = -Infinity;
        for (let corner = 0; corner < 4; corner++) {
          const pu = iu + (corner & 1), pw = iw + (corner >> 1);
          const pd = (offset - n[u] * pu - n[w] * pw) / n[d];
          if (pd < dMin) dMin = pd;
          if (pd > dMax) dMax = pd;
        }
        const d0 = Math.max(lo[d], Math.floor(dMin - BOX_SLACK));
        const d1 = Math.min(hi[d], Math.floor(dMax + BOX_SLACK));
        for (let id = d0; id <= d1; id++) {
          const index = id * stride[d] + iu * stride[u] + iw * stride[w];
          if (cells[index] & SURFACE) continue;
          const cx = (d === 0 ? id : u === 0 ? iu : iw) + 0.5;
          const cy = (d === 1 ? id : u === 1 ? iu : iw) + 0.5;
          const cz = (d === 2 ? id : u === 2 ? iu : iw) + 0.5;
          _v[0] = grid[a] - cx; _v[1] = grid[a + 1] - cy; _v[2] = grid[a + 2] - cz;
          _v[3] = grid[b] - cx; _v[4] = grid[b + 1] - cy; _v[5] = grid[b + 2] - cz;
          _v[6] = grid[c] - cx; _v[7] = grid[c + 1] - cy; _v[8] = grid[c + 2] - cz;
          if (triangleOverlapsBox(_v, 0.5 + BOX_SLACK, n)) {
            cells[index] |= SURFACE;
            count++;
          }
        }
      }
    }
  }
  return count;
}

/**
 * Separating-axis test of a triangle (vertices relative to the box centre, v[0..8]) against the cube
 * [-h, h]^3; `normal` is the triangle's (unnormalized) normal. The bounding-box axes are covered by
 * the caller's voxel range, so only the plane and the nine edge-cross axes are tested.
 */
export function triangleOverlapsBox(v: Float64Array, h: number, normal: number[]): boolean {
  // Plane against box.
  const nv = normal[0] * v[0] + normal[1] * v[1] + normal[2] * v[2];
  if (Math.abs(nv) > h * (Math.abs(normal[0]) + Math.abs(normal[1]) + Math.abs(normal[2]))) return false;
  for (let e = 0; e < 3; e++) {
    const i = 3 * e, j = 3 * ((e + 1) % 3);
    const ex = v[j] - v[i], ey = v[j + 1] - v[i + 1], ez = v[j + 2] - v[i + 2];
    const fx = Math.abs(ex), fy = Math.abs(ey), fz = Math.abs(ez);
    // axis = X x e = (0, -ez, ey)
    let p0 = -ez * v[1] + ey * v[2], p1 = -ez * v[4] + ey * v[5], p2 = -ez * v[7] + ey * v[8];
    let rad = h * (fz + fy);
    if (Math.min(p0, p1, p2) > rad || Math.max(p0, p1, p2) < -rad) return false;
    // axis = Y x e = (ez, 0, -ex)
    p0 = ez * v[0] - ex * v[2]; p1 = ez * v[3] - ex * v[5]; p2 = ez * v[6] - ex * v[8];
    rad = h * (fz + fx);
    if (Math.min(p0, p1, p2) > rad || Math.max(p0, p1, p2) < -rad) return false;
    // axis = Z x e = (-ey, ex, 0)
    p0 = -ey * v[0] + ex * v[1]; p1 = -ey * v[3] + ex * v[4]; p2 = -ey * v[6] + ex * v[7];
    rad = h * (fy + fx);
    if (Math.min(p0, p1, p2) > rad || Math.max(p0, p1, p2) < -rad) return false;
  }
  return true;
}

/** A growable stack of voxel indices. */
class IndexStack {
  data = new Int32Array(4096);
  top = 0;
  push(i: number): void {
    if (this.top === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.top++] = i;
  }
}

/**
 * Marks REACHED every non-surface voxel connected (6-neighbours) to the grid's border. A scanline
 * fill: each stack entry seeds a run along x, which is filled whole, and the rows beside it (y +-1,
 * z +-1) get one seed per open run; this touches the stack per run instead of per voxel.
 */
function floodFillOutside(cells: Uint8Array, r: number): number {
  const rr = r * r;
  const BLOCKED = SURFACE | REACHED;
  const stack = new IndexStack();
  // The border: whole rows on the y and z faces, the two end voxels of every other row.
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      const row = r * y + rr * z;
      if (y === 0 || z === 0 || y === r - 1 || z === r - 1) {
        for (let x = 0; x < r; x++) stack.push(row + x);
      } else {
        stack.push(row);
        stack.push(row + r - 1);
      }
    }
  }
  let reached = 0;
  while (stack.top > 0) {
    const i = stack.data[--stack.top];
    if (cells[i] & BLOCKED) continue;
    const row = i - (i % r);
    let x0 = i - row, x1 = x0;
    while (x0 > 0 && !(cells[row + x0 - 1] & BLOCKED)) x0--;
    while (x1 < r - 1 && !(cells[row + x1 + 1] & BLOCKED)) x1++;
    for (let x = x0; x <= x1; x++) cells[row + x] |= REACHED;
    reached += x1 - x0 + 1;
    const y = ((row / r) | 0) % r, z = (row / rr) | 0;
    if (y > 0) seedRuns(cells, row - r, x0, x1, stack);
    if (y < r - 1) seedRuns(cells, row + r, x0, x1, stack);
    if (z > 0) seedRuns(cells, row - rr, x0, x1, stack);
    if (z < r - 1) seedRuns(cells, row + rr, x0, x1, stack);
  }
  return reached;
}

/** Pushes the first voxel of each open run of a row within [x0, x1]. */
function seedRuns(cells: Uint8Array, row: number, x0: number, x1: number, stack: IndexStack): void {
  let open = false;
  for (let x = x0; x <= x1; x++) {
    const free = (cells[row + x] & (SURFACE | REACHED)) === 0;
    if (free && !open) stack.push(row + x);
    open = free;
  }
}

/**
 * A family of parallel rays through every voxel centre: along axis `a`, optionally sheared so they
 * run diagonally, direction e_a + sign * e_b (sign 1 or -1; 0 for the axis itself). In the sheared
 * frame B' = B - sign * A every such ray is parallel to the A axis, so one routine serves all: lines
 * are indexed by (B', C), and along a line the crossings are compared with each voxel's A.
 */
interface RayFamily {
  a: number;
  b: number;
  c: number;
  sign: 0 | 1 | -1;
}

/** The three axis families. */
const AXIS_RAYS: readonly RayFamily[] = [
  { a: 0, b: 1, c: 2, sign: 0 }, { a: 1, b: 0, c: 2, sign: 0 }, { a: 2, b: 0, c: 1, sign: 0 },
];

/** Six diagonal families (face diagonals), used when holes make the axis votes doubtful. */
const DIAGONAL_RAYS: readonly RayFamily[] = [
  { a: 0, b: 1, c: 2, sign: 1 }, { a: 0, b: 1, c: 2, sign: -1 },
  { a: 0, b: 2, c: 1, sign: 1 }, { a: 0, b: 2, c: 1, sign: -1 },
  { a: 1, b: 2, c: 0, sign: 1 }, { a: 1, b: 2, c: 0, sign: -1 },
];

/**
 * Adds, for every voxel centre, the two parity votes of its rays in `family` (towards -inf and +inf
 * along the family's direction) into `votes`. Each line of voxel centres collects its crossings with
 * all triangles, sorted; a voxel's crossings below it are counted with a moving pointer.
 */
function voteAlongRays(votes: Uint8Array, grid: Float64Array, indices: Uint32Array, r: number, family: RayFamily): void {
  const { a, b, c, sign } = family;
  // Line lattice in B': voxel (ia, ib) sits at B' = ib + 0.5 - sign * (ia + 0.5) = lineB + offsetB.
  const lineCountB = sign === 0 ? r : 2 * r - 1;
  const offsetB = sign === 0 ? 0.5 : sign === 1 ? -(r - 1) : 1;
  const jitterB = RAY_JITTER[b] * (sign === 0 ? 1 : 0.7), jitterC = RAY_JITTER[c];
  let hitLine = new Int32Array(1 << 16);
  let hitAt = new Float64Array(1 << 16);
  let hits = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const i0 = 3 * indices[t], i1 = 3 * indices[t + 1], i2 = 3 * indices[t + 2];
    const b0 = grid[i0 + b] - sign * grid[i0 + a], b1 = grid[i1 + b] - sign * grid[i1 + a], b2 = grid[i2 + b] - sign * grid[i2 + a];
    const c0 = grid[i0 + c], c1 = grid[i1 + c], c2 = grid[i2 + c];
    const area = (b1 - b0) * (c2 - c0) - (c1 - c0) * (b2 - b0);
    // Edge-on to the rays: they graze it, never cross it.
    if (area === 0) continue;
    const lb0 = Math.max(0, Math.ceil(Math.min(b0, b1, b2) - offsetB - jitterB));
    const lb1 = Math.min(lineCountB - 1, Math.floor(Math.max(b0, b1, b2) - offsetB - jitterB));
    const lc0 = Math.max(0, Math.ceil(Math.min(c0, c1, c2) - 0.5 - jitterC));
    const lc1 = Math.min(r - 1, Math.floor(Math.max(c0, c1, c2) - 0.5 - jitterC));
    for (let lc = lc0; lc <= lc1; lc++) {
      const qc = lc + 0.5 + jitterC;
      for (let lb = lb0; lb <= lb1; lb++) {
        const qb = lb + offsetB + jitterB;
        const w0 = edgeFunction(b1, c1, b2, c2, qb, qc);
        const w1 = edgeFunction(b2, c2, b0, c0, qb, qc);
        const w2 = edgeFunction(b0, c0, b1, c1, qb, qc);
        const inside = area > 0 ? w0 > 0 && w1 > 0 && w2 > 0 : w0 < 0 && w1 < 0 && w2 < 0;
        if (!inside) continue;
        if (hits === hitLine.length) {
          const line = new Int32Array(hits * 2); line.set(hitLine); hitLine = line;
          const at = new Float64Array(hits * 2); at.set(hitAt); hitAt = at;
        }
        hitLine[hits] = lb + lineCountB * lc;
        hitAt[hits++] = (w0 * grid[i0 + a] + w1 * grid[i1 + a] + w2 * grid[i2 + a]) / (w0 + w1 + w2);
      }
    }
  }
  // Counting sort of the hits by line, then each line's few hits by position.
  const lines = lineCountB * r;
  const lineStart = new Int32Array(lines + 1);
  for (let h = 0; h < hits; h++) lineStart[hitLine[h] + 1]++;
  for (let l = 0; l < lines; l++) lineStart[l + 1] += lineStart[l];
  const fill = lineStart.slice(0, lines);
  const sorted = new Float64Array(hits);
  for (let h = 0; h < hits; h++) sorted[fill[hitLine[h]]++] = hitAt[h];
  const stride = [1, r, r * r];
  const sa = stride[a], sb = stride[b], sc = stride[c];
  for (let lc = 0; lc < r; lc++) {
    for (let lb = 0; lb < lineCountB; lb++) {
      const line = lb + lineCountB * lc;
      const start = lineStart[line], end = lineStart[line + 1];
      const total = end - start;
      if (total === 0) continue;
      insertionSort(sorted, start, end);
      // Voxels on this line: ib = ib0 + sign * ia, for the ia that keep ib in the grid.
      const ib0 = sign === 0 ? lb : sign === 1 ? lb - (r - 1) : lb;
      let iaFirst = 0, iaLast = r - 1;
      if (sign === 1) { iaFirst = Math.max(0, -ib0); iaLast = Math.min(r - 1, r - 1 - ib0); }
      if (sign === -1) { iaFirst = Math.max(0, ib0 - (r - 1)); iaLast = Math.min(r - 1, ib0); }
      let below = 0;
      for (let ia = iaFirst; ia <= iaLast; ia++) {
        const centre = ia + 0.5;
        while (start + below < end && sorted[start + below] < centre) below++;
        const v = (below & 1) + ((total - below) & 1);
        if (v) votes[ia * sa + (ib0 + sign * ia) * sb + lc * sc] += v;
      }
    }
  }
}

/**
 * Twice the signed area of (p, q, point), evaluated with the edge's endpoints in a fixed order, so
 * the two triangles sharing an edge get exactly opposite values and a ray near it is counted once.
 */
function edgeFunction(pb: number, pc: number, qb: number, qc: number, xb: number, xc: number): number {
  if (pb < qb || (pb === qb && pc < qc)) return (qb - pb) * (xc - pc) - (qc - pc) * (xb - pb);
  return -((pb - qb) * (xc - qc) - (pc - qc) * (xb - qb));
}

function insertionSort(values: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= start && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}
