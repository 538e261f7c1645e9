/**
 * Analytic shapes as signed distance functions (negative inside), in [-0.5, 0.5]^3 with y up. They
 * give the runtime a decoder to show before the toolkit trains real categories, and give tests
 * fields whose true surface is known.
 */

export type Sdf = (x: number, y: number, z: number) => number;

const length3 = (x: number, y: number, z: number) => Math.sqrt(x * x + y * y + z * z);

export const sphere = (r: number, cx = 0, cy = 0, cz = 0): Sdf => (x, y, z) => length3(x - cx, y - cy, z - cz) - r;

/** A box with half-extents (hx, hy, hz) and rounded edges of radius `round`. */
export const box = (hx: number, hy: number, hz: number, round = 0, cx = 0, cy = 0, cz = 0): Sdf => (x, y, z) => {
  const qx = Math.abs(x - cx) - hx + round;
  const qy = Math.abs(y - cy) - hy + round;
  const qz = Math.abs(z - cz) - hz + round;
  return length3(Math.max(qx, 0), Math.max(qy, 0), Math.max(qz, 0)) + Math.min(Math.max(qx, qy, qz), 0) - round;
};

/** A torus around the y axis. */
export const torus = (major: number, minor: number, cy = 0): Sdf => (x, y, z) => {
  const q = Math.sqrt(x * x + z * z) - major;
  return Math.sqrt(q * q + (y - cy) * (y - cy)) - minor;
};

/** A vertical capped cylinder. */
export const cylinder = (r: number, halfHeight: number, cx = 0, cy = 0, cz = 0): Sdf => (x, y, z) => {
  const dx = Math.sqrt((x - cx) ** 2 + (z - cz) ** 2) - r;
  const dy = Math.abs(y - cy) - halfHeight;
  return Math.min(Math.max(dx, dy), 0) + length3(Math.max(dx, 0), Math.max(dy, 0), 0);
};

/** A capsule between two points. */
export const capsule = (ax: number, ay: number, az: number, bx: number, by: number, bz: number, r: number): Sdf => (x, y, z) => {
  const pax = x - ax, pay = y - ay, paz = z - az;
  const bax = bx - ax, bay = by - ay, baz = bz - az;
  const h = Math.min(Math.max((pax * bax + pay * bay + paz * baz) / (bax * bax + bay * bay + baz * baz), 0), 1);
  return length3(pax - bax * h, pay - bay * h, paz - baz * h) - r;
};

export const union = (...parts: Sdf[]): Sdf => (x, y, z) => {
  let d = Infinity;
  for (const p of parts) d = Math.min(d, p(x, y, z));
  return d;
};

export const subtract = (a: Sdf, b: Sdf): Sdf => (x, y, z) => Math.max(a(x, y, z), -b(x, y, z));

/** Four legs under a seat, optionally a back: a chair-like union of boxes. */
function chair(legHeight: number, withBack: boolean): Sdf {
  const seatY = -0.45 + legHeight;
  const legs = [[-1, -1], [-1, 1], [1, -1], [1, 1]].map(([sx, sz]) => box(0.03, legHeight / 2, 0.03, 0.005, sx * 0.2, -0.45 + legHeight / 2, sz * 0.2));
  const parts = [...legs, box(0.24, 0.03, 0.24, 0.01, 0, seatY, 0)];
  if (withBack) parts.push(box(0.24, 0.2, 0.03, 0.01, 0, seatY + 0.2, -0.21));
  return union(...parts);
}

function table(round: boolean): Sdf {
  const top = round ? cylinder(0.4, 0.025, 0, 0.1, 0) : box(0.42, 0.025, 0.3, 0.01, 0, 0.1, 0);
  const stem = cylinder(0.04, 0.27, 0, -0.17, 0);
  const foot = cylinder(0.2, 0.02, 0, -0.43, 0);
  return union(top, stem, foot);
}

/** Named analytic shapes, each a training latent of the `analytic` demo decoder. */
export const ANALYTIC_SHAPES: { name: string; sdf: Sdf }[] = [
  { name: 'sphere', sdf: sphere(0.35) },
  { name: 'rounded box', sdf: box(0.3, 0.25, 0.3, 0.06) },
  { name: 'torus', sdf: torus(0.28, 0.1) },
  { name: 'tall cylinder', sdf: cylinder(0.18, 0.42) },
  { name: 'capsule', sdf: capsule(-0.3, -0.25, 0, 0.3, 0.25, 0, 0.13) },
  { name: 'chair', sdf: chair(0.4, true) },
  { name: 'stool', sdf: chair(0.45, false) },
  { name: 'pedestal table', sdf: table(true) },
  { name: 'desk', sdf: union(box(0.45, 0.025, 0.3, 0.01, 0, 0.1, 0), ...[[-1, -1], [-1, 1], [1, -1], [1, 1]].map(([sx, sz]) => box(0.03, 0.27, 0.03, 0.005, sx * 0.4, -0.18, sz * 0.26))) },
  { name: 'mushroom', sdf: union(cylinder(0.08, 0.25, 0, -0.2, 0), subtract(sphere(0.38, 0, 0.0, 0), box(0.5, 0.5, 0.5, 0, 0, -0.45, 0))) },
  { name: 'ring stack', sdf: union(torus(0.3, 0.06, -0.2), torus(0.22, 0.06, 0), torus(0.14, 0.06, 0.2)) },
  { name: 'dumbbell', sdf: union(sphere(0.17, -0.28, 0, 0), sphere(0.17, 0.28, 0, 0), capsule(-0.28, 0, 0, 0.28, 0, 0, 0.06)) },
];

/** Occupancy (1 inside, 0 outside) of a field at xyz triples. */
export function occupancyOf(sdf: Sdf, points: Float32Array): Float32Array {
  const out = new Float32Array(points.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = sdf(points[3 * i], points[3 * i + 1], points[3 * i + 2]) <= 0 ? 1 : 0;
  return out;
}
