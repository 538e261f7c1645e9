/**
 * Vases and vessels (a game-prop category), y up: amphorae, bottles, bowls, cylinders, urns on a
 * stem and gourds. Each is a hollow, open-mouthed wall of revolution with a solid floor, some with
 * two handles, a rim bead or a foot ring.
 */
import type { CategoryGenerator } from './generator.js';
import type { Part, Vec3 } from './mesh.js';
import { frustum, revolve, torus, tube } from './primitives.js';

type Form = 'amphora' | 'bottle' | 'bowl' | 'cylinder' | 'urn' | 'gourd';

/** Catmull-Rom through (t, value) control points with increasing t, sampled at `count` evenly spaced t in [0, 1]. */
function smoothProfile(points: readonly [number, number][], count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    let k = 0;
    while (k < points.length - 2 && t > points[k + 1][0]) k++;
    const p0 = points[Math.max(k - 1, 0)], p1 = points[k], p2 = points[k + 1], p3 = points[Math.min(k + 2, points.length - 1)];
    const u = (t - p1[0]) / (p2[0] - p1[0]);
    const m1 = ((p2[1] - p0[1]) / (p2[0] - p0[0] || 1)) * (p2[0] - p1[0]);
    const m2 = ((p3[1] - p1[1]) / (p3[0] - p1[0] || 1)) * (p2[0] - p1[0]);
    const u2 = u * u, u3 = u2 * u;
    out.push((2 * u3 - 3 * u2 + 1) * p1[1] + (u3 - 2 * u2 + u) * m1 + (-2 * u3 + 3 * u2) * p2[1] + (u3 - u2) * m2);
  }
  return out;
}

export const vase: CategoryGenerator = {
  summary: 'vases: amphora, bottle, bowl, cylinder, urn and gourd forms, hollow with open mouths, some with handles',
  build(builder, random) {
    const form: Form = random.weighted({ amphora: 2, bottle: 1.5, bowl: 1.2, cylinder: 1.2, urn: 1.2, gourd: 1 });
    const r = (a: number, b: number) => random.range(a, b);
    const wall = r(0.028, 0.036);
    // Outer radius at fractions of the height, relative to the widest radius 1.
    const controls: Record<Form, [number, number][]> = {
      amphora: [[0, r(0.3, 0.45)], [0.12, r(0.55, 0.7)], [0.42, 1], [0.7, r(0.6, 0.75)], [0.85, r(0.28, 0.36)], [0.95, r(0.3, 0.36)], [1, r(0.38, 0.5)]],
      bottle: [[0, r(0.85, 0.95)], [0.1, 1], [r(0.45, 0.55), 0.98], [0.68, r(0.4, 0.55)], [0.8, r(0.25, 0.3)], [1, r(0.25, 0.3)]],
      bowl: [[0, r(0.45, 0.6)], [0.25, r(0.78, 0.88)], [0.7, r(0.97, 1)], [1, 1]],
      cylinder: [[0, r(0.75, 1)], [0.5, r(0.85, 1)], [1, r(0.85, 1)]],
      urn: [[0, r(0.5, 0.6)], [0.08, r(0.45, 0.55)], [0.16, r(0.2, 0.26)], [0.3, r(0.22, 0.28)], [0.45, r(0.7, 0.85)], [0.75, 1], [1, r(0.85, 1.05)]],
      gourd: [[0, r(0.55, 0.7)], [0.25, 1], [0.5, r(0.5, 0.6)], [0.7, r(0.72, 0.85)], [0.88, r(0.35, 0.42)], [1, r(0.3, 0.36)]],
    };
    const H = form === 'bowl' ? r(0.3, 0.45) : form === 'cylinder' ? r(0.6, 1) : r(0.7, 1);
    const R = form === 'bowl' ? r(0.35, 0.45) : form === 'bottle' ? r(0.18, 0.26) : form === 'cylinder' ? r(0.16, 0.26) : r(0.22, 0.32);
    const count = 26;
    const radii = smoothProfile(controls[form], count).map((v) => Math.max(v * R, wall + 0.03));
    const outer: [number, number][] = radii.map((rad, i) => [rad, (H * i) / (count - 1)]);

    // Wall profile: up the outside, back down an inner offset (along the normals) to the floor.
    const floor = r(0.04, 0.06);
    const profile: number[] = [];
    for (const [rad, y] of outer) profile.push(rad, y);
    let floorRadius = outer[0][0] - wall;
    for (let i = outer.length - 1; i >= 0; i--) {
      const [r0, y0] = outer[Math.max(i - 1, 0)], [r1, y1] = outer[Math.min(i + 1, outer.length - 1)];
      const l = Math.hypot(r1 - r0, y1 - y0);
      const ir = Math.max(outer[i][0] - (wall * (y1 - y0)) / l, 0.015);
      const iy = outer[i][1] + (wall * (r1 - r0)) / l;
      if (iy < floor + 0.01) break;
      profile.push(ir, iy);
      floorRadius = ir;
    }
    const parts: Part[] = [revolve(profile, [0, 0, 0], 32)];
    parts.push(frustum([0, 0, 0], [0, floor + 0.02, 0], Math.min(outer[0][0], floorRadius + wall * 0.6), floorRadius + wall * 0.6, 32));

    const handleChance = form === 'amphora' ? 0.85 : form === 'urn' ? 0.5 : form === 'bowl' || form === 'cylinder' ? 0.2 : 0.1;
    const handles = random.chance(handleChance) ? 2 : 0;
    if (handles) {
      const i1 = Math.round((count - 1) * (form === 'amphora' ? r(0.55, 0.65) : r(0.45, 0.6)));
      const i2 = Math.round((count - 1) * (form === 'amphora' ? r(0.86, 0.92) : r(0.72, 0.85)));
      const reach = r(0.08, 0.12);
      const hr = r(0.025, 0.03);
      for (const sx of [-1, 1]) {
        const [ra, ya] = outer[i1], [rb, yb] = outer[i2];
        const path: Vec3[] = [];
        for (let k = 0; k <= 8; k++) {
          const t = k / 8;
          const y = ya + (yb - ya) * t;
          const x = ra + (rb - ra) * t + reach * Math.sin(Math.PI * t) + (t === 0 || t === 1 ? -0.012 : 0);
          path.push([sx * x, y + 0.04 * Math.sin(Math.PI * t), 0]);
        }
        parts.push(tube(path, hr, 10));
      }
    }
    const rim = random.chance(0.4);
    if (rim) {
      const [rt, yt] = outer[outer.length - 1];
      parts.push(torus([0, yt - 0.012, 0], rt - wall / 2, wall * 0.75, 32, 8));
    }
    const footRing = form !== 'urn' && random.chance(0.3);
    if (footRing) parts.push(torus([0, 0.02, 0], outer[0][0] - 0.01, 0.022, 32, 8));

    builder.add(...parts);
    return { form, handles, rim, footRing };
  },
};
