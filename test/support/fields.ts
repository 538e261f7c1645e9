/**
 * Analytic occupancy fields for the extraction tests and the `extract` bench, and the grid
 * comparisons they use (which corners are inside, voxel IoU, identical triangles).
 *
 * The fields imitate IM-NET's output: occupancy = leakyClip(0.5 - k * sdf(p)), where sdf is a signed
 * distance (negative inside). h = 0.5 - k * sdf is Lipschitz with constant k, like IM-NET's
 * piecewise-linear pre-activation, and the leaky clip keeps distance information far from the
 * surface. k = 120 makes the 0..1 transition 1/120 wide: about two cells of a 256^3 grid.
 */

import { leakyClip } from '../../src/decoder/activations.js';
import type { OccupancyFunction, TriangleMesh } from '../../src/extract/index.js';

// Aliases: inside jest's vm contexts every global lookup (Math.*) costs ~20x more, and a 256^3
// reference evaluates these fields 17M times.
const { abs, cos, floor, max, min, round, sin, sqrt } = Math;

/** Euclidean length; Math.hypot's overflow care is not needed here and costs 10x. */
function length3(x: number, y: number, z: number): number {
  return sqrt(x * x + y * y + z * z);
}

/** Signed distance: negative inside. */
export type Sdf = (x: number, y: number, z: number) => number;

/** |grad h| of the fields: h = 0.5 - SHARPNESS * sdf. */
export const SHARPNESS = 120;

/** IM-NET-like occupancy of a signed distance: leakyClip(0.5 - k * sdf). */
export function occupancyOfSdf(sdf: Sdf, sharpness = SHARPNESS): OccupancyFunction {
  return async (points) => {
    const out = new Float32Array(points.length / 3);
    for (let i = 0; i < out.length; i++) {
      out[i] = leakyClip(0.5 - sharpness * sdf(points[3 * i], points[3 * i + 1], points[3 * i + 2]));
    }
    return out;
  };
}

/** A binary field (0 or 1): no distance information at all. */
export function binaryOccupancyOfSdf(sdf: Sdf): OccupancyFunction {
  return async (points) => {
    const out = new Float32Array(points.length / 3);
    for (let i = 0; i < out.length; i++) out[i] = sdf(points[3 * i], points[3 * i + 1], points[3 * i + 2]) <= 0 ? 1 : 0;
    return out;
  };
}

/** Row-major 3x3 rotation about a unit-normalised axis. */
function rotation(ax: number, ay: number, az: number, angle: number): number[] {
  const l = length3(ax, ay, az);
  const [x, y, z] = [ax / l, ay / l, az / l];
  const c = cos(angle);
  const s = sin(angle);
  const t = 1 - c;
  return [
    t * x * x + c, t * x * y - s * z, t * x * z + s * y,
    t * x * y + s * z, t * y * y + c, t * y * z - s * x,
    t * x * z - s * y, t * y * z + s * x, t * z * z + c,
  ];
}

/** `sdf` of a shape rotated by `m` (row-major) about the origin, then moved by (tx, ty, tz). */
function transformed(sdf: Sdf, m: number[], tx = 0, ty = 0, tz = 0): Sdf {
  return (x, y, z) => {
    const px = x - tx;
    const py = y - ty;
    const pz = z - tz;
    // Inverse rotation = transpose.
    return sdf(m[0] * px + m[3] * py + m[6] * pz, m[1] * px + m[4] * py + m[7] * pz, m[2] * px + m[5] * py + m[8] * pz);
  };
}

/** Exact distance to an axis-aligned box of half-extents (hx, hy, hz) centred at (cx, cy, cz). */
function box(cx: number, cy: number, cz: number, hx: number, hy: number, hz: number): Sdf {
  return (x, y, z) => {
    const qx = abs(x - cx) - hx;
    const qy = abs(y - cy) - hy;
    const qz = abs(z - cz) - hz;
    const outside = length3(max(qx, 0), max(qy, 0), max(qz, 0));
    return outside + min(max(qx, qy, qz), 0);
  };
}

/** Exact distance to a capsule: segment a-b thickened by `radius`. */
function capsule(ax: number, ay: number, az: number, bx: number, by: number, bz: number, radius: number): Sdf {
  const ux = bx - ax;
  const uy = by - ay;
  const uz = bz - az;
  const uu = ux * ux + uy * uy + uz * uz;
  return (x, y, z) => {
    const px = x - ax;
    const py = y - ay;
    const pz = z - az;
    const t = min(max((px * ux + py * uy + pz * uz) / uu, 0), 1);
    return length3(px - t * ux, py - t * uy, pz - t * uz) - radius;
  };
}

function union(...parts: Sdf[]): Sdf {
  return (x, y, z) => {
    let d = Infinity;
    for (const part of parts) d = min(d, part(x, y, z));
    return d;
  };
}

/** Sphere of radius 0.35 at the centre of the box. */
export const sphereSdf: Sdf = (x, y, z) => length3(x, y, z) - 0.35;

/** Torus (major radius 0.3, minor 0.1) tilted 0.4 rad about x. */
export const torusSdf: Sdf = transformed(
  (x, y, z) => length3(sqrt(x * x + z * z) - 0.3, y, 0) - 0.1,
  rotation(1, 0, 0, 0.4),
);

/** A chair as a union of boxes (seat, four legs, back), turned 0.3 rad about y. */
export const chairSdf: Sdf = transformed(
  union(
    box(0, -0.05, 0, 0.22, 0.025, 0.22),
    box(0.18, -0.27, 0.18, 0.025, 0.2, 0.025),
    box(-0.18, -0.27, 0.18, 0.025, 0.2, 0.025),
    box(0.18, -0.27, -0.18, 0.025, 0.2, 0.025),
    box(-0.18, -0.27, -0.18, 0.025, 0.2, 0.025),
    box(0, 0.19, -0.2, 0.22, 0.22, 0.02),
  ),
  rotation(0, 1, 0, 0.3),
);

/** Wall half-thickness: a 0.01-thick plate. */
export const THIN_WALL_HALF_THICKNESS = 0.005;
/** Rod radius. */
export const THIN_ROD_RADIUS = 0.008;

/**
 * Thin parts a 64^3 grid (cells 0.0156 wide) cannot see: a 0.01-thick square plate (0.5 x 0.5)
 * slanted about an oblique axis, and a rod of radius 0.008 along an oblique direction, both off the
 * centre so no grid plane lines up with them.
 */
export const thinSdf: Sdf = union(
  transformed(box(0, 0, 0, 0.25, 0.25, THIN_WALL_HALF_THICKNESS), rotation(1, 2, 0.5, 0.7), 0.031, -0.047, 0.023),
  capsule(-0.33, -0.29, 0.31, 0.27, 0.36, 0.17, THIN_ROD_RADIUS),
);

/** Plate thickness of {@link tiltedPlateSdf}. */
export const TILTED_PLATE_THICKNESS = 0.012;

/** A 0.55 x 0.45 plate 0.012 thick, turned by `angle` about axis (ax, ay, az), then moved by (tx, ty, tz). */
export function tiltedPlate(ax: number, ay: number, az: number, angle: number, tx: number, ty: number, tz: number): Sdf {
  return transformed(box(0, 0, 0, 0.275, 0.225, TILTED_PLATE_THICKNESS / 2), rotation(ax, ay, az, angle), tx, ty, tz);
}

/**
 * The tilted plate of the tests: off every axis and off the centre, under 1/64 of the box thick, so
 * a 64^3 lattice sees it only in stripes and a 16^3 one in a few scattered corners.
 */
export const tiltedPlateSdf: Sdf = tiltedPlate(0.7, -1.3, 0.4, 0.9, 0.027, 0.041, -0.033);

/**
 * A 0.3-radius sphere with a tab sticking `cellsOut` cells of a 256^3 grid out of it along +x, 12
 * such cells wide and 1/512 thick, centred on a lattice plane of 256^3 that 128^3 does not have
 * (z = 7/256): only the finest level's corners see it, so surface tracking there finds it.
 */
export function sphereWithTabSdf(cellsOut: number): Sdf {
  const length = 0.3 + cellsOut / 256;
  return union((x, y, z) => length3(x, y, z) - 0.3, box(length / 2, 0, 7 / 256, length / 2, 6 / 256, 0.25 / 256));
}

/** Leg width of {@link thinChairSdf}. */
export const THIN_CHAIR_LEG_WIDTH = 0.04;

/**
 * A chair with 0.04-wide legs 0.4 long, a 0.04-thick seat and a 0.03-thick back, turned by `angle`
 * about axis (ax, ay, az), then moved by (tx, ty, tz).
 */
export function thinChair(ax: number, ay: number, az: number, angle: number, tx: number, ty: number, tz: number): Sdf {
  const leg = THIN_CHAIR_LEG_WIDTH / 2;
  return transformed(
    union(
      box(0, -0.05, 0, 0.22, 0.02, 0.22),
      box(0.19, -0.27, 0.19, leg, 0.2, leg),
      box(-0.19, -0.27, 0.19, leg, 0.2, leg),
      box(0.19, -0.27, -0.19, leg, 0.2, leg),
      box(-0.19, -0.27, -0.19, leg, 0.2, leg),
      box(0, 0.19, -0.205, 0.22, 0.22, 0.015),
    ),
    rotation(ax, ay, az, angle),
    tx, ty, tz,
  );
}

/**
 * The thin-legged chair of the tests, tilted off every axis: at 16^3 (cells 0.0625) the legs fall
 * between lattice corners over much of their length.
 */
export const thinChairSdf: Sdf = thinChair(0.25, 1, -0.15, 0.45, 0.013, 0.021, -0.017);

/**
 * More tilts of the plate and the chair, for the bench (`extract`, variant `binary`): how far
 * tracking's rounds depend on where the coarse grid happens to touch a thin part.
 */
export const THIN_TILTED_VARIANTS: Record<string, Sdf> = {
  plateA: tiltedPlate(1, 2, 3, 0.5, 0, -0.02, 0.037),
  plateB: tiltedPlate(-0.4, 1, 0.7, 1.2, 0.011, -0.02, 0.037),
  plateC: tiltedPlate(0.9, 0.2, -0.5, 0.7, 0.022, -0.02, 0.037),
  plateD: tiltedPlate(0.3, 0.3, 1, 0.35, 0.033, -0.02, 0.037),
  chairA: thinChair(1, 2, 3, 0.3, 0.01, -0.02, -0.01),
  chairB: thinChair(-0.4, 1, 0.7, 0.72, 0.01, 0, -0.01),
  chairC: thinChair(0.9, 0.2, -0.5, 0.42, 0.01, 0.02, -0.01),
  chairD: thinChair(0.3, 0.3, 1, 0.21, 0.01, 0.04, -0.01),
};

/** The bench's and tests' analytic fields by name. */
export const FIELDS: Record<'sphere' | 'torus' | 'chair' | 'thin', Sdf> = {
  sphere: sphereSdf,
  torus: torusSdf,
  chair: chairSdf,
  thin: thinSdf,
};

/**
 * Wraps `occupancy` to record every value it returns on a (resolution+1)^3 grid (NaN where never
 * asked). Points must be grid corners at -0.5 + index / resolution.
 */
export function recordingOccupancy(
  occupancy: OccupancyFunction,
  resolution: number,
): { occupancy: OccupancyFunction; values: Float32Array } {
  const n = resolution + 1;
  const values = new Float32Array(n * n * n).fill(Number.NaN);
  return {
    values,
    occupancy: async (points) => {
      const result = await occupancy(points);
      for (let i = 0; i < result.length; i++) {
        const x = round((points[3 * i] + 0.5) * resolution);
        const y = round((points[3 * i + 1] + 0.5) * resolution);
        const z = round((points[3 * i + 2] + 0.5) * resolution);
        values[x + n * (y + n * z)] = result[i];
      }
      return result;
    },
  };
}

/** Every corner's value, evaluated in one pass (no marching): the dense reference. */
export async function cornerValues(occupancy: OccupancyFunction, resolution: number): Promise<Float32Array> {
  const n = resolution + 1;
  const values = new Float32Array(n * n * n);
  const batch = 65536;
  for (let start = 0; start < values.length; start += batch) {
    const count = min(batch, values.length - start);
    const points = new Float32Array(3 * count);
    for (let i = 0; i < count; i++) {
      const index = start + i;
      points[3 * i] = -0.5 + (index % n) / resolution;
      points[3 * i + 1] = -0.5 + (floor(index / n) % n) / resolution;
      points[3 * i + 2] = -0.5 + floor(index / (n * n)) / resolution;
    }
    values.set(await occupancy(points), start);
  }
  return values;
}

/**
 * Inside flags of every corner from a partly evaluated grid: evaluated corners by their value, the
 * rest by flood fill (6-neighbours) from evaluated ones. Valid for an extractor whose unevaluated
 * regions are uniform and bounded by evaluated corners of their own side, which is exactly what a
 * correct adaptive extraction guarantees; a wrong one shows up as IoU < 1 against dense.
 */
export function insideFlags(values: Float32Array, resolution: number, isoLevel = 0.5): Uint8Array {
  const n = resolution + 1;
  const total = n * n * n;
  // 0 outside, 1 inside, 2 unknown.
  const flags = new Uint8Array(total);
  let unknown = 0;
  for (let i = 0; i < total; i++) {
    const v = values[i];
    if (v !== v) {
      flags[i] = 2;
      unknown++;
    } else {
      flags[i] = v >= isoLevel ? 1 : 0;
    }
  }
  if (unknown === 0) return flags;
  const queue = new Int32Array(total);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < total; i++) if (flags[i] !== 2) queue[tail++] = i;
  const steps = [1, -1, n, -n, n * n, -n * n];
  while (head < tail) {
    const i = queue[head++];
    const x = i % n;
    const y = floor(i / n) % n;
    const z = floor(i / (n * n));
    for (let s = 0; s < 6; s++) {
      if ((s === 0 && x === n - 1) || (s === 1 && x === 0) || (s === 2 && y === n - 1) || (s === 3 && y === 0)) continue;
      if ((s === 4 && z === n - 1) || (s === 5 && z === 0)) continue;
      const j = i + steps[s];
      if (flags[j] !== 2) continue;
      flags[j] = flags[i];
      queue[tail++] = j;
    }
  }
  return flags;
}

/** |A and B| / |A or B| of two inside-flag grids (1 when both are empty). */
export function voxelIoU(a: Uint8Array, b: Uint8Array): number {
  let both = 0;
  let either = 0;
  for (let i = 0; i < a.length; i++) {
    both += a[i] & b[i];
    either += a[i] | b[i];
  }
  return either === 0 ? 1 : both / either;
}

/**
 * The mesh's triangles as sorted position strings, each rotated to start at its smallest vertex
 * (orientation kept): equal lists mean the same surface whatever the vertex numbering.
 */
export function triangleSet(mesh: TriangleMesh): string[] {
  const { positions: p, indices } = mesh;
  const out: string[] = new Array(indices.length / 3);
  const vertex = (v: number): string => `${p[3 * v]},${p[3 * v + 1]},${p[3 * v + 2]}`;
  for (let t = 0; t < indices.length; t += 3) {
    const a = vertex(indices[t]);
    const b = vertex(indices[t + 1]);
    const c = vertex(indices[t + 2]);
    out[t / 3] = a <= b && a <= c ? `${a}|${b}|${c}` : b <= c ? `${b}|${c}|${a}` : `${c}|${a}|${b}`;
  }
  return out.sort();
}
