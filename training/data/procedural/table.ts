/**
 * Tables, long side along x, floor at y = 0: rectangular, square, round or oval tops at coffee,
 * dining or bar height, on four legs (with apron and shelf or not), three legs, a pedestal (one
 * column, or two under long tops), trestles or slab ends. The seed's analytic table (four legs,
 * rectangular or round top) is one corner of this family.
 */
import type { CategoryGenerator } from './generator.js';
import type { Part, Vec3 } from './mesh.js';
import { beam, circleProfile, cylinder, frustum, lathe, loft, roundedBox } from './primitives.js';

export const table: CategoryGenerator = {
  summary: 'tables: rectangular, square, round or oval tops on legs, a pedestal, trestles or slab ends',
  build(builder, random) {
    const top = random.weighted({ rect: 4, square: 1.5, round: 2.5, oval: 1 });
    const support = top === 'round'
      ? random.weighted({ 'four-legs': 2, 'three-legs': 1.2, pedestal: 2.5 })
      : top === 'oval'
        ? random.weighted({ 'four-legs': 2, pedestal: 2, trestle: 1 })
        : random.weighted({ 'four-legs': 4, pedestal: top === 'square' ? 1.5 : 1, trestle: top === 'rect' ? 1.2 : 0, 'slab-ends': 1.2 });
    const height = top === 'rect' || top === 'oval' ? random.weighted({ coffee: 1, dining: 3 }) : random.weighted({ coffee: 1, dining: 3, bar: 1 });

    const W = top === 'rect' ? random.range(0.9, 1.3) : top === 'oval' ? random.range(1.0, 1.4) : random.range(0.6, 0.95);
    const D = top === 'rect' ? random.range(0.5, 0.8) : top === 'oval' ? W * random.range(0.5, 0.7) : W;
    const H = height === 'coffee' ? random.range(0.3, 0.42) : height === 'dining' ? random.range(0.68, 0.78) : random.range(0.95, 1.05);
    const T = random.range(0.04, 0.07);
    const topBottom = H - T;
    const parts: Part[] = [];
    const round = top === 'round' || top === 'oval';

    if (round) {
      const profile = circleProfile(48);
      const lip = random.chance(0.5) ? 0.96 : 1;
      parts.push(loft(profile, [
        { origin: [0, topBottom, 0], u: [(W / 2) * lip, 0, 0], v: [0, 0, (D / 2) * lip] },
        { origin: [0, H, 0], u: [W / 2, 0, 0], v: [0, 0, D / 2] },
      ]));
    } else {
      parts.push(roundedBox([0, H - T / 2, 0], [W, T, D], random.pick([0.004, 0.012, 0.02])));
    }

    let legStyle = 'none';
    let apron = false;
    let shelf = false;
    let foot = 'none';
    const legW = random.range(0.04, 0.075) * (height === 'coffee' ? 0.9 : 1);
    if (support === 'four-legs' || support === 'three-legs') {
      legStyle = random.pick(['square', 'round', 'tapered']);
      const splay = random.chance(0.3) ? random.range(0.02, 0.06) : 0;
      const inset = random.range(0.02, 0.08);
      const corners: [number, number][] = [];
      if (support === 'three-legs') {
        for (let k = 0; k < 3; k++) {
          const a = (2 * Math.PI * k) / 3 + Math.PI / 2;
          corners.push([Math.cos(a), Math.sin(a)]);
        }
      } else {
        for (const [sx, sz] of [[-1, -1], [1, -1], [1, 1], [-1, 1]]) corners.push(round ? [sx / Math.SQRT2, sz / Math.SQRT2] : [sx, sz]);
      }
      const legAt = (cx: number, cz: number): Vec3 => round
        ? [cx * (W / 2 - inset - legW) * 0.92, 0, cz * (D / 2 - inset - legW) * 0.92]
        : [cx * (W / 2 - inset - legW / 2), 0, cz * (D / 2 - inset - legW / 2)];
      for (const [cx, cz] of corners) {
        const [x, , z] = legAt(cx, cz);
        const footAt: Vec3 = [x + cx * splay, 0, z + cz * splay];
        const topAt: Vec3 = [x, topBottom + 0.01, z];
        if (legStyle === 'square') parts.push(beam(footAt, topAt, legW, legW));
        else if (legStyle === 'round') parts.push(cylinder(footAt, topAt, legW / 2, 16));
        else parts.push(frustum(footAt, topAt, legW * 0.32, legW * 0.55, 16));
      }
      apron = support === 'four-legs' && random.chance(0.55);
      if (apron) {
        const ah = random.range(0.05, Math.min(0.11, H * 0.2));
        const at = 0.035;
        for (let k = 0; k < 4; k++) {
          const [ax, , az] = legAt(...corners[k]);
          const [bx, , bz] = legAt(...corners[(k + 1) % 4]);
          parts.push(beam([ax, topBottom - ah / 2, az], [bx, topBottom - ah / 2, bz], at, ah, [0, 1, 0]));
        }
      }
      shelf = support === 'four-legs' && !splay && random.chance(height === 'coffee' ? 0.5 : 0.2);
      if (shelf) {
        const y = random.range(0.06, Math.min(0.2, H * 0.3));
        const [x, , z] = legAt(1, 1);
        if (round) parts.push(frustum([0, y, 0], [0, y + 0.04, 0], Math.hypot(x, z) + legW * 0.2, Math.hypot(x, z) + legW * 0.2, 40));
        else parts.push(roundedBox([0, y, 0], [2 * x + legW, 0.04, 2 * z + legW], 0.004));
      }
    } else if (support === 'pedestal') {
      const twin = top === 'rect' || top === 'oval';
      foot = random.pick(['disc', 'cross', 'tripod']);
      const columnR = random.range(0.035, 0.075);
      const centers = twin ? [-W * random.range(0.25, 0.32), W * random.range(0.25, 0.32)] : [0];
      const bulb = random.chance(0.4);
      for (const cx of centers) {
        if (bulb) {
          // A turned column: thick base, waist, swelling, neck under the top.
          parts.push(lathe([[columnR * 1.4, 0.02], [columnR * 1.2, H * 0.2], [columnR * 0.8, H * 0.35], [columnR * 1.5, H * 0.55], [columnR * 0.9, H * 0.75], [columnR * 1.1, topBottom + 0.01]], [cx, 0, 0], 24));
        } else {
          parts.push(cylinder([cx, 0.02, 0], [cx, topBottom + 0.01, 0], columnR, 20));
        }
        const reach = twin ? D * random.range(0.35, 0.45) : Math.min(W, D) * random.range(0.3, 0.42);
        if (foot === 'disc') parts.push(frustum([cx, 0, 0], [cx, random.range(0.04, 0.07), 0], reach, reach * 0.85, 40));
        else {
          const n = foot === 'cross' ? 4 : 3;
          for (let k = 0; k < n; k++) {
            const a = (2 * Math.PI * k) / n + (twin && n === 4 ? Math.PI / 4 : Math.PI / 2);
            parts.push(beam([cx, 0.09, 0], [cx + reach * Math.cos(a), 0.025, reach * Math.sin(a)], 0.05, 0.05, [0, 1, 0]));
            parts.push(roundedBox([cx + reach * Math.cos(a), 0.02, reach * Math.sin(a)], [0.06, 0.04, 0.06], 0.01));
          }
        }
      }
      if (twin && random.chance(0.6)) parts.push(beam([centers[0], 0.1, 0], [centers[1], 0.1, 0], 0.04, 0.05, [0, 1, 0]));
    } else if (support === 'trestle') {
      const x = W / 2 - random.range(0.08, 0.16);
      const postW = random.range(0.05, 0.09);
      const footLen = D * random.range(0.7, 0.9);
      const aFrame = random.chance(0.5);
      foot = aFrame ? 'a-frame' : 'post';
      for (const sx of [-1, 1]) {
        parts.push(roundedBox([sx * x, 0.03, 0], [postW, 0.06, footLen], 0.01));
        parts.push(roundedBox([sx * x, topBottom - 0.025, 0], [postW, 0.05, footLen * 0.9], 0.01));
        if (aFrame) {
          for (const sz of [-1, 1]) parts.push(beam([sx * x, 0.03, sz * footLen * 0.4], [sx * x, topBottom - 0.03, sz * 0.04], postW * 0.7, 0.05));
        } else {
          parts.push(roundedBox([sx * x, topBottom / 2, 0], [postW, topBottom, random.range(0.08, 0.16)], 0.01));
        }
      }
      parts.push(beam([-x, topBottom * random.range(0.3, 0.6), 0], [x, topBottom * random.range(0.3, 0.6), 0], 0.05, 0.06, [0, 1, 0]));
    } else {
      // Slab ends: two solid panels under the ends (a desk or a modern coffee table).
      const t = random.range(0.04, 0.08);
      const x = W / 2 - t / 2 - random.range(0, 0.06);
      for (const sx of [-1, 1]) parts.push(roundedBox([sx * x, topBottom / 2 + 0.005, 0], [t, topBottom + 0.01, D * random.range(0.85, 1)], 0.006));
      shelf = random.chance(0.35);
      if (shelf) parts.push(roundedBox([0, random.range(0.06, 0.18), 0], [2 * x, 0.04, D * 0.8], 0.004));
      if (random.chance(0.35)) {
        foot = 'modesty-panel';
        parts.push(roundedBox([0, topBottom * 0.6, -D * 0.38], [2 * x, topBottom * 0.5, 0.04], 0.004));
      }
    }

    builder.add(...parts);
    return { top, support, height, legStyle, apron, shelf, foot };
  },
};
