/**
 * Closed primitive parts in world coordinates: boxes (sharp or rounded), beams and frustums between
 * two points, ellipsoids, icospheres, lofts of a 2D profile through placed sections (fuselages, wings,
 * car bodies), sweeps along a path (tubes, runners, curved magazines), lathes and revolves (vases,
 * shades, tori). Each returns a `Part`; `MeshBuilder.add` winds it outward.
 */
import type { Part, Vec3 } from './mesh.js';
import { triangulatePolygon, polygonArea2 } from './triangulate.js';

/** A placed cross-section: profile point (px, py) lands at origin + px * u + py * v. */
export interface Section {
  origin: Vec3;
  u: Vec3;
  v: Vec3;
}

// ---- small vector helpers (tuples; these run once per vertex at build time, not in a hot loop) ----
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: Vec3): Vec3 => {
  const l = Math.hypot(a[0], a[1], a[2]);
  if (!(l > 0)) throw new RangeError(`cannot normalize a zero-length vector [${a.join(', ')}]`);
  return [a[0] / l, a[1] / l, a[2] / l];
};

/** Two unit vectors perpendicular to `axis` and to each other; the first lies as close to perpendicular to `up` as possible. */
function basisAround(axis: Vec3, up?: Vec3): [Vec3, Vec3] {
  const w = normalize(axis);
  let hint: Vec3 = up ?? (Math.abs(w[1]) > 0.9 ? [0, 0, 1] : [0, 1, 0]);
  if (Math.abs(dot(normalize(hint), w)) > 0.999) hint = Math.abs(w[0]) < 0.9 ? [1, 0, 0] : [0, 0, 1];
  const u = normalize(cross(hint, w));
  return [u, cross(w, u)];
}

// ---- 2D profiles (x, y pairs, counter-clockwise) ----

/** A regular polygon approximating a circle of radius r. */
export function circleProfile(segments: number, r = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    out.push(r * Math.cos(a), r * Math.sin(a));
  }
  return out;
}

/** An axis-aligned rectangle centred at the origin. */
export function rectProfile(width: number, height: number): number[] {
  const x = width / 2, y = height / 2;
  return [-x, -y, x, -y, x, y, -x, y];
}

/**
 * A symmetric airfoil on chord [0, 1] (leading edge at x = 0) with thickness 1 (y in [-0.5, 0.5]),
 * the NACA 00xx thickness law. Behind the thickest point the thickness stays at least
 * `trailingThickness` (0 to 1) and the trailing edge is blunt at that thickness, so a thin wing keeps
 * its full chord when voxelized instead of crumbling toward a knife edge.
 */
export function airfoilProfile(stations = 7, trailingThickness = 0): number[] {
  const naca = (x: number) => (0.2969 * Math.sqrt(x) - 0.126 * x - 0.3516 * x * x + 0.2843 * x ** 3 - 0.1036 * x ** 4) / 0.6;
  const half = (x: number) => (x > 0.3 ? Math.max(naca(x), trailingThickness / 2) : naca(x));
  const xs: number[] = [];
  for (let i = 1; i < stations; i++) xs.push((1 - Math.cos((Math.PI * i) / stations)) / 2);
  const out: number[] = [0, 0];
  for (const x of xs) out.push(x, -half(x));
  if (trailingThickness > 0) out.push(1, -trailingThickness / 2, 1, trailingThickness / 2);
  else out.push(1, 0);
  for (let i = xs.length - 1; i >= 0; i--) out.push(xs[i], half(xs[i]));
  return out;
}

/** Moves each vertex of a convex polygon inward by `distance` (along its corner bisector), keeping the point count. */
export function insetConvexProfile(profile: number[], distance: number): number[] {
  const n = profile.length / 2;
  const ccw = polygonArea2(profile) > 0 ? 1 : -1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = (i + n - 1) % n, q = (i + 1) % n;
    const x = profile[2 * i], y = profile[2 * i + 1];
    let e0x = x - profile[2 * p], e0y = y - profile[2 * p + 1];
    let e1x = profile[2 * q] - x, e1y = profile[2 * q + 1] - y;
    const l0 = Math.hypot(e0x, e0y), l1 = Math.hypot(e1x, e1y);
    e0x /= l0; e0y /= l0; e1x /= l1; e1y /= l1;
    // Inward normals of the two edges (left of the edge for a counter-clockwise polygon).
    const n0x = -e0y * ccw, n0y = e0x * ccw, n1x = -e1y * ccw, n1y = e1x * ccw;
    let bx = n0x + n1x, by = n0y + n1y;
    const bl = Math.hypot(bx, by);
    bx /= bl; by /= bl;
    const cosHalf = Math.max(0.35, bx * n0x + by * n0y);
    out.push(x + (bx * distance) / cosHalf, y + (by * distance) / cosHalf);
  }
  return out;
}

// ---- parts ----

/**
 * Lofts a 2D profile through placed sections: quads between consecutive rings, the profile
 * triangulated as caps at both ends (or, with `periodic`, the last ring joined back to the first).
 */
export function loft(profile: ArrayLike<number>, sections: readonly Section[], periodic = false): Part {
  return loftRings(sections.map(() => profile), sections, periodic);
}

/**
 * Like `loft`, but each section has its own profile (all with the same point count, point j of one
 * ring joining point j of the next); the caps triangulate the first and last profiles.
 */
export function loftRings(profiles: readonly ArrayLike<number>[], sections: readonly Section[], periodic = false): Part {
  const n = profiles[0].length / 2, m = sections.length;
  if (n < 3 || m < (periodic ? 3 : 2)) throw new RangeError(`a loft needs >= 3 profile points and >= ${periodic ? 3 : 2} sections; got ${n} and ${m}`);
  const positions: number[] = [];
  sections.forEach(({ origin, u, v }, i) => {
    const profile = profiles[i];
    if (profile.length !== 2 * n) throw new RangeError(`loft: section ${i} has ${profile.length / 2} profile points; section 0 has ${n}`);
    for (let j = 0; j < n; j++) {
      const px = profile[2 * j], py = profile[2 * j + 1];
      positions.push(origin[0] + px * u[0] + py * v[0], origin[1] + px * u[1] + py * v[1], origin[2] + px * u[2] + py * v[2]);
    }
  });
  const indices: number[] = [];
  const rings = periodic ? m : m - 1;
  for (let i = 0; i < rings; i++) {
    const i1 = (i + 1) % m;
    for (let j = 0; j < n; j++) {
      const j1 = (j + 1) % n;
      const a = i * n + j, b = i * n + j1, c = i1 * n + j1, d = i1 * n + j;
      indices.push(a, b, c, a, c, d);
    }
  }
  if (!periodic) {
    // Side edges run j -> j+1 on the first ring and j+1 -> j on the last, so the caps take the
    // profile's winding reversed at the start and as is at the end: the part stays consistently wound.
    const first = triangulatePolygon(profiles[0]);
    for (let t = 0; t < first.length; t += 3) indices.push(first[t], first[t + 2], first[t + 1]);
    const last = triangulatePolygon(profiles[m - 1]);
    const base = (m - 1) * n;
    for (let t = 0; t < last.length; t += 3) indices.push(base + last[t], base + last[t + 1], base + last[t + 2]);
  }
  return { positions, indices };
}

/** An axis-aligned box. */
export function box(center: Vec3, size: Vec3): Part {
  return roundedBox(center, size, 0);
}

/**
 * A box with edges rounded to `radius` (clamped to the smallest half-size): a gnomonic cube-sphere
 * of that radius split at its octants and pushed out to the box's size.
 */
export function roundedBox(center: Vec3, size: Vec3, radius: number, segments = 3): Part {
  const half = [size[0] / 2, size[1] / 2, size[2] / 2];
  const r = Math.max(0, Math.min(radius, half[0], half[1], half[2]));
  const inner = half.map((h) => h - r);
  const coords = half.map((h, axis) => {
    const c = inner[axis];
    if (r === 0) return [-h, h];
    const out: number[] = [];
    for (let k = segments; k >= 1; k--) out.push(-c - r * Math.tan((Math.PI / 4) * (k / segments)));
    if (c > 1e-9) out.push(-c, c);
    else out.push(0);
    for (let k = 1; k <= segments; k++) out.push(c + r * Math.tan((Math.PI / 4) * (k / segments)));
    return out;
  });
  const [nx, ny, nz] = coords.map((c) => c.length);
  const positions: number[] = [];
  const ids = new Map<number, number>();
  const vertex = (i: number, j: number, k: number): number => {
    const key = i + nx * (j + ny * k);
    let id = ids.get(key);
    if (id !== undefined) return id;
    const p = [coords[0][i], coords[1][j], coords[2][k]];
    if (r > 0) {
      const q = p.map((v, a) => Math.min(Math.max(v, -inner[a]), inner[a]));
      const d = [p[0] - q[0], p[1] - q[1], p[2] - q[2]];
      const l = Math.hypot(d[0], d[1], d[2]);
      for (let a = 0; a < 3; a++) p[a] = q[a] + (r * d[a]) / l;
    }
    id = positions.length / 3;
    positions.push(center[0] + p[0], center[1] + p[1], center[2] + p[2]);
    ids.set(key, id);
    return id;
  };
  const counts = [nx, ny, nz];
  const indices: number[] = [];
  for (let a = 0; a < 3; a++) {
    // (a, b, c) cyclic, so b x c = a: quads listed (b0,c0),(b1,c0),(b1,c1),(b0,c1) face +a.
    const b = (a + 1) % 3, c = (a + 2) % 3;
    for (const side of [0, counts[a] - 1]) {
      for (let i = 0; i + 1 < counts[b]; i++) {
        for (let j = 0; j + 1 < counts[c]; j++) {
          const at = (ib: number, jc: number) => {
            const l = [0, 0, 0];
            l[a] = side;
            l[b] = ib;
            l[c] = jc;
            return vertex(l[0], l[1], l[2]);
          };
          const q = [at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)];
          if (side === 0) indices.push(q[0], q[2], q[1], q[0], q[3], q[2]);
          else indices.push(q[0], q[1], q[2], q[0], q[2], q[3]);
        }
      }
    }
  }
  return { positions, indices };
}

/** A rectangular beam from `from` to `to`: `width` across (perpendicular to `up`), `depth` along the remaining axis. */
export function beam(from: Vec3, to: Vec3, width: number, depth: number, up?: Vec3): Part {
  const [u, v] = basisAround(sub(to, from), up);
  return loft(rectProfile(width, depth), [
    { origin: from, u, v },
    { origin: to, u, v },
  ]);
}

/** A truncated cone (cylinder when r0 = r1) from `from` (radius r0) to `to` (radius r1). */
export function frustum(from: Vec3, to: Vec3, r0: number, r1: number, segments = 20): Part {
  const [u, v] = basisAround(sub(to, from));
  return loft(circleProfile(segments), [
    { origin: from, u: scale(u, r0), v: scale(v, r0) },
    { origin: to, u: scale(u, r1), v: scale(v, r1) },
  ]);
}

/** A cylinder of radius r from `from` to `to`. */
export function cylinder(from: Vec3, to: Vec3, r: number, segments = 20): Part {
  return frustum(from, to, r, r, segments);
}

/** An ellipsoid with semi-axes `radii` along x, y, z (a sphere when they are equal). */
export function ellipsoid(center: Vec3, radii: Vec3, rings = 12, segments = 20): Part {
  const positions: number[] = [center[0], center[1] + radii[1], center[2]];
  for (let r = 1; r < rings; r++) {
    const theta = (Math.PI * r) / rings;
    const y = Math.cos(theta), s = Math.sin(theta);
    for (let j = 0; j < segments; j++) {
      const phi = (2 * Math.PI * j) / segments;
      positions.push(center[0] + radii[0] * s * Math.cos(phi), center[1] + radii[1] * y, center[2] + radii[2] * s * Math.sin(phi));
    }
  }
  positions.push(center[0], center[1] - radii[1], center[2]);
  const bottom = positions.length / 3 - 1;
  const ring = (r: number, j: number) => 1 + (r - 1) * segments + (j % segments);
  const indices: number[] = [];
  for (let j = 0; j < segments; j++) indices.push(0, ring(1, j + 1), ring(1, j));
  for (let r = 1; r + 1 < rings; r++) {
    for (let j = 0; j < segments; j++) {
      const a = ring(r, j), b = ring(r, j + 1), c = ring(r + 1, j + 1), d = ring(r + 1, j);
      indices.push(a, b, c, a, c, d);
    }
  }
  for (let j = 0; j < segments; j++) indices.push(bottom, ring(rings - 1, j), ring(rings - 1, j + 1));
  return { positions, indices };
}

/** A unit icosphere (radius 1 at the origin) subdivided `subdivisions` times: even triangles for displacement. */
export function icosphere(subdivisions: number): Part {
  const t = (1 + Math.sqrt(5)) / 2;
  const positions: number[] = [];
  const push = (x: number, y: number, z: number) => {
    const l = Math.hypot(x, y, z);
    positions.push(x / l, y / l, z / l);
    return positions.length / 3 - 1;
  };
  for (const [x, y, z] of [[-1, t, 0], [1, t, 0], [-1, -t, 0], [1, -t, 0], [0, -1, t], [0, 1, t], [0, -1, -t], [0, 1, -t], [t, 0, -1], [t, 0, 1], [-t, 0, -1], [-t, 0, 1]]) push(x, y, z);
  let faces = [0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8, 3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1];
  for (let s = 0; s < subdivisions; s++) {
    const midpoints = new Map<number, number>();
    const mid = (a: number, b: number) => {
      const key = a < b ? a * 1e6 + b : b * 1e6 + a;
      let id = midpoints.get(key);
      if (id === undefined) {
        id = push(positions[3 * a] + positions[3 * b], positions[3 * a + 1] + positions[3 * b + 1], positions[3 * a + 2] + positions[3 * b + 2]);
        midpoints.set(key, id);
      }
      return id;
    };
    const next: number[] = [];
    for (let f = 0; f < faces.length; f += 3) {
      const [a, b, c] = [faces[f], faces[f + 1], faces[f + 2]];
      const ab = mid(a, b), bc = mid(b, c), ca = mid(c, a);
      next.push(a, ab, ca, b, bc, ab, c, ca, bc, ab, bc, ca);
    }
    faces = next;
  }
  return { positions, indices: faces };
}

/** Rotates `v` by the rotation taking unit tangent t0 to t1 (parallel transport of a frame vector; Rodrigues). */
function transport(v: Vec3, t0: Vec3, t1: Vec3): Vec3 {
  const axis = cross(t0, t1);
  const s = Math.hypot(axis[0], axis[1], axis[2]);
  const c = dot(t0, t1);
  // Parallel or reversed tangents: v is perpendicular to t0, so a half turn about v itself reverses t0 and keeps v.
  if (s < 1e-12) return v;
  const k = scale(axis, 1 / s);
  return add(add(scale(v, c), scale(cross(k, v), s)), scale(k, dot(k, v) * (1 - c)));
}

/**
 * Sweeps a 2D profile along a path with rotation-minimising frames (no twist). `scales` multiplies
 * the profile per path point (a number for all); `up` orients the profile's y toward it at the start;
 * a `closed` path joins its end to its start.
 */
export function sweep(profile: ArrayLike<number>, path: readonly Vec3[], scales: number | readonly number[] = 1, options: { up?: Vec3; closed?: boolean } = {}): Part {
  const m = path.length;
  const closed = options.closed ?? false;
  const tangents: Vec3[] = path.map((p, i) => {
    const prev = closed ? path[(i + m - 1) % m] : path[Math.max(i - 1, 0)];
    const next = closed ? path[(i + 1) % m] : path[Math.min(i + 1, m - 1)];
    if (i === 0 && !closed) return normalize(sub(next, p));
    if (i === m - 1 && !closed) return normalize(sub(p, prev));
    return normalize(add(normalize(sub(next, p)), normalize(sub(p, prev))));
  });
  const sections: Section[] = [];
  // basisAround leaves v as the part of `up` across the path: the profile's y leans toward up.
  let [u, v] = basisAround(tangents[0], options.up);
  for (let i = 0; i < m; i++) {
    if (i > 0) {
      const w = tangents[i];
      const carried = transport(v, tangents[i - 1], w);
      v = normalize(sub(carried, scale(w, dot(carried, w))));
      u = cross(v, w);
    }
    const s = typeof scales === 'number' ? scales : scales[i];
    sections.push({ origin: path[i], u: scale(u, s), v: scale(v, s) });
  }
  return loft(profile, sections, closed);
}

/** A round tube along a path: radius per point (or one for all), `segments` around. */
export function tube(path: readonly Vec3[], radius: number | readonly number[], segments = 12, closed = false): Part {
  return sweep(circleProfile(segments), path, radius, { closed });
}

/**
 * A solid of revolution about the vertical axis through `center`: `profile` is (radius, height)
 * pairs from bottom to top, capped at both ends (keep end radii > 0; use a tiny one for a point).
 */
export function lathe(profile: readonly (readonly [number, number])[], center: Vec3 = [0, 0, 0], segments = 24): Part {
  const ring = circleProfile(segments);
  return loft(
    ring,
    profile.map(([r, y]) => ({ origin: [center[0], center[1] + y, center[2]] as Vec3, u: [r, 0, 0] as Vec3, v: [0, 0, r] as Vec3 })),
  );
}

/**
 * Revolves a closed 2D profile (radius, height) about the vertical axis through `center`: a ring
 * solid such as a torus or a hollow vessel wall.
 */
export function revolve(profile: ArrayLike<number>, center: Vec3 = [0, 0, 0], segments = 24): Part {
  const sections: Section[] = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    sections.push({ origin: center, u: [Math.cos(a), 0, Math.sin(a)], v: [0, 1, 0] });
  }
  return loft(profile, sections, true);
}

/** A torus about the vertical axis: ring radius `major`, tube radius `minor`. */
export function torus(center: Vec3, major: number, minor: number, segments = 24, sides = 10): Part {
  const profile = circleProfile(sides, minor);
  for (let i = 0; i < profile.length; i += 2) profile[i] += major;
  return revolve(profile, center, segments);
}

/**
 * Extrudes a 2D profile along a world axis between two coordinates: along x the profile is (z, y),
 * along y it is (x, z), along z it is (x, y). `bevel` > 0 insets the end caps by that much over
 * the same distance (the profile must then be convex).
 */
export function extrude(profile: number[], axis: 'x' | 'y' | 'z', from: number, to: number, bevel = 0): Part {
  const frame = (t: number): Pick<Section, 'origin' | 'u' | 'v'> =>
    axis === 'x' ? { origin: [t, 0, 0], u: [0, 0, 1], v: [0, 1, 0] } : axis === 'y' ? { origin: [0, t, 0], u: [1, 0, 0], v: [0, 0, 1] } : { origin: [0, 0, t], u: [1, 0, 0], v: [0, 1, 0] };
  if (bevel <= 0) return loft(profile, [frame(from), frame(to)]);
  const inset = insetConvexProfile(profile, bevel);
  const sign = to > from ? 1 : -1;
  const layers: [number[], number][] = [[inset, from], [profile, from + sign * bevel], [profile, to - sign * bevel], [inset, to]];
  const rings = layers.map(([p]) => p);
  return loftRings(rings, layers.map(([, t]) => frame(t)));
}
