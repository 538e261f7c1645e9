/**
 * Chairs and stools, front toward +z, floor at y = 0: four-legged, pedestal (star or disc foot),
 * sled or upholstered box base; solid, padded, vertically or horizontally slatted backs, or none;
 * rail or panel arms. Parts are at least ~0.03 thick so they survive a 64^3 voxelization.
 */
import type { CategoryGenerator } from './generator.js';
import { rotate, type Part, type Vec3 } from './mesh.js';
import { beam, cylinder, ellipsoid, frustum, roundedBox, tube } from './primitives.js';

export const chair: CategoryGenerator = {
  summary: 'chairs and stools: four-leg, pedestal, sled or box base; solid, padded or slatted back or none; arms or not',
  build(builder, random) {
    const base = random.weighted({ 'four-legs': 5, pedestal: 2, sled: 1.5, box: 1.2 });
    const back = base === 'box'
      ? random.weighted({ padded: 3, solid: 1 })
      : random.weighted({ solid: 3, 'vertical-slats': base === 'pedestal' ? 0.3 : 2, 'horizontal-slats': base === 'pedestal' ? 0.3 : 2, padded: 1.2, none: 0.8 });
    const arms = back === 'none' ? false : base === 'box' ? random.chance(0.75) : random.chance(0.35);
    const armStyle = !arms ? 'none' : base === 'box' ? 'panel' : random.weighted({ rail: 3, panel: 1 });
    const seatShape = back === 'none' || base === 'pedestal' ? random.pick(['rect', 'round'] as const) : 'rect';

    const upholstered = base === 'box';
    const stool = back === 'none';
    const W = upholstered ? random.range(0.55, 0.75) : stool ? random.range(0.34, 0.44) : random.range(0.42, 0.56);
    const D = upholstered ? random.range(0.52, 0.66) : stool ? W * random.range(0.85, 1) : random.range(0.4, 0.52);
    const barStool = stool && random.chance(0.4);
    const H = barStool ? random.range(0.62, 0.78) : random.range(0.4, 0.5);
    const seatT = upholstered ? random.range(0.1, 0.15) : back === 'padded' ? random.range(0.07, 0.1) : random.range(0.035, 0.07);
    const seatTop = H;
    const seatBottom = H - seatT;
    const parts: Part[] = [];

    // Seat
    if (seatShape === 'round') {
      const r = (stool ? Math.min(W, D) : Math.max(W, D)) / 2;
      parts.push(frustum([0, seatBottom, 0], [0, seatTop, 0], r * 0.97, r, 32));
    } else {
      parts.push(roundedBox([0, seatBottom + seatT / 2, 0], [W, seatT, D], Math.min(0.02 + (upholstered ? 0.03 : 0), seatT / 2)));
    }

    // Base
    const legW = random.range(0.035, 0.055);
    const inset = random.range(0.0, 0.035);
    const legX = W / 2 - inset - legW / 2, legZ = D / 2 - inset - legW / 2;
    let legStyle = 'none';
    let stretchers = 'none';
    let foot = 'none';
    if (base === 'four-legs') {
      legStyle = random.pick(['square', 'round', 'tapered']);
      const splay = random.chance(0.4) ? random.range(0.015, 0.05) : 0;
      const r = seatShape === 'round' ? ((stool ? Math.min(W, D) : Math.max(W, D)) / 2) * 0.75 : 0;
      for (const [sx, sz] of [[-1, -1], [-1, 1], [1, -1], [1, 1]]) {
        const tx = r ? (sx * r) / Math.SQRT2 : sx * legX, tz = r ? (sz * r) / Math.SQRT2 : sz * legZ;
        const top: Vec3 = [tx, seatBottom + seatT / 2, tz];
        const footAt: Vec3 = [tx + sx * splay, 0, tz + sz * splay];
        if (legStyle === 'square') parts.push(beam(footAt, top, legW, legW));
        else if (legStyle === 'round') parts.push(cylinder(footAt, top, legW / 2, 14));
        else parts.push(frustum(footAt, top, legW * 0.36, legW * 0.6, 14));
      }
      stretchers = random.weighted({ none: 3, H: 1.5, ring: 1.5 });
      const y = random.range(0.1, Math.min(0.22, H * 0.45));
      const t = Math.max(0.03, legW * 0.65);
      const at = (sx: number, sz: number): Vec3 => {
        const tx = r ? (sx * r) / Math.SQRT2 : sx * legX, tz = r ? (sz * r) / Math.SQRT2 : sz * legZ;
        const f = 1 - y / seatBottom; // how far up the splayed leg the stretcher sits
        return [tx + sx * splay * f, y, tz + sz * splay * f];
      };
      if (stretchers === 'H' || stretchers === 'ring') {
        for (const sx of [-1, 1]) parts.push(beam(at(sx, -1), at(sx, 1), t, t));
        if (stretchers === 'H') {
          const a = at(-1, 0), b = at(1, 0);
          parts.push(beam([a[0], y, 0], [b[0], y, 0], t, t));
        } else {
          for (const sz of [-1, 1]) parts.push(beam(at(-1, sz), at(1, sz), t, t));
        }
      }
    } else if (base === 'pedestal') {
      foot = random.pick(['star', 'disc']);
      const columnR = random.range(0.022, 0.04);
      const footY = foot === 'star' ? 0.075 : 0.03;
      parts.push(cylinder([0, footY, 0], [0, seatBottom + 0.01, 0], columnR, 16));
      if (random.chance(0.6)) parts.push(roundedBox([0, seatBottom - 0.025, 0], [W * 0.45, 0.05, D * 0.45], 0.01));
      if (foot === 'star') {
        const arms5 = random.pick([4, 5, 5]);
        const R = random.range(0.24, 0.32);
        const casters = random.chance(0.7);
        for (let k = 0; k < arms5; k++) {
          const a = (2 * Math.PI * k) / arms5 + Math.PI / 2;
          const end: Vec3 = [R * Math.cos(a), casters ? 0.055 : 0.02, R * Math.sin(a)];
          parts.push(beam([0, footY, 0], end, 0.04, 0.035, [0, 1, 0]));
          if (casters) parts.push(ellipsoid([end[0], 0.026, end[2]], [0.026, 0.026, 0.026], 8, 12));
        }
      } else {
        const R = random.range(0.17, 0.25);
        parts.push(frustum([0, 0, 0], [0, footY, 0], R, R * 0.9, 32));
      }
    } else if (base === 'sled') {
      const r = random.range(0.016, 0.022);
      const x = W / 2 - random.range(0.02, 0.06);
      const zf = D / 2 - 0.05, zb = -D / 2 + 0.05;
      const lean = random.range(0.0, 0.08);
      for (const sx of [-1, 1]) {
        parts.push(tube([
          [sx * x, seatBottom + 0.01, zf],
          [sx * x, 0.09, zf + lean * 0.8],
          [sx * x, 0.03, zf + lean + 0.04],
          [sx * x, 0.022, zf + lean - 0.02],
          [sx * x, 0.022, zb - lean + 0.02],
          [sx * x, 0.03, zb - lean - 0.04],
          [sx * x, 0.09, zb - lean * 0.8],
          [sx * x, seatBottom + 0.01, zb],
        ], r, 10));
      }
      if (random.chance(0.5)) parts.push(cylinder([-x, seatBottom - 0.03, zb + 0.04], [x, seatBottom - 0.03, zb + 0.04], r, 10));
    } else {
      // Upholstered box: the skirt runs to the floor, on short feet or none.
      const feet = random.chance(0.5);
      const skirtBottom = feet ? 0.06 : 0;
      parts.push(roundedBox([0, (skirtBottom + seatBottom) / 2 + 0.01, 0], [W * 0.98, seatBottom - skirtBottom + 0.02, D * 0.98], 0.025));
      if (feet) for (const [sx, sz] of [[-1, -1], [-1, 1], [1, -1], [1, 1]]) parts.push(frustum([sx * (W / 2 - 0.06), 0, sz * (D / 2 - 0.06)], [sx * (W / 2 - 0.06), 0.07, sz * (D / 2 - 0.06)], 0.022, 0.03, 12));
      foot = feet ? 'feet' : 'none';
    }

    // Back, built upright from the seat's rear edge and then tilted back about it.
    const backParts: Part[] = [];
    const backH = back === 'none' ? 0 : random.range(0.3, 0.52);
    const backT = back === 'padded' ? random.range(0.09, 0.15) : random.range(0.03, 0.05);
    const backZ = -D / 2 + backT / 2 + (upholstered ? 0 : random.range(0, 0.02));
    const backW = W * random.range(0.85, 1.0);
    let slats = 0;
    let raised = false;
    if (back === 'solid' || back === 'padded') {
      raised = back === 'solid' && !upholstered && random.chance(0.3);
      const gap = raised ? random.range(0.06, 0.12) : 0;
      const bottom = seatTop - (raised ? 0 : 0.02) + gap;
      const top = seatTop + backH;
      const radius = back === 'padded' ? 0.04 : random.pick([0.01, 0.03]);
      backParts.push(roundedBox([0, (bottom + top) / 2, backZ], [backW, top - bottom, backT], Math.min(radius, backT / 2)));
      if (raised) for (const sx of [-1, 1]) backParts.push(beam([sx * backW * 0.3, seatBottom, backZ], [sx * backW * 0.3, bottom + 0.05, backZ], 0.04, backT * 0.8));
    } else if (back === 'vertical-slats' || back === 'horizontal-slats') {
      const postW = Math.max(0.035, legW);
      const postX = (seatShape === 'round' ? W * 0.36 : Math.min(legX, backW / 2 - postW / 2));
      const top = seatTop + backH;
      for (const sx of [-1, 1]) backParts.push(beam([sx * postX, seatBottom, backZ], [sx * postX, top, backZ], postW, postW));
      const railH = random.range(0.05, 0.09);
      backParts.push(roundedBox([0, top - railH / 2, backZ], [2 * postX + postW, railH, backT], 0.01));
      const innerW = 2 * postX - postW;
      if (back === 'vertical-slats') {
        const slatW = random.range(0.03, 0.05);
        slats = Math.max(2, Math.min(random.int(2, 6), Math.floor((innerW - 0.035) / (slatW + 0.035))));
        const gapW = (innerW - slats * slatW) / (slats + 1);
        const bottomRail = random.chance(0.5);
        const slatBottom = bottomRail ? seatTop + 0.06 : seatTop - 0.01;
        if (bottomRail) backParts.push(beam([-postX, seatTop + 0.04, backZ], [postX, seatTop + 0.04, backZ], 0.04, Math.max(0.03, backT * 0.9), [0, 1, 0]));
        for (let k = 0; k < slats; k++) {
          const x = -innerW / 2 + gapW * (k + 1) + slatW * (k + 0.5);
          backParts.push(beam([x, slatBottom, backZ], [x, top - railH + 0.01, backZ], slatW, Math.max(0.03, backT * 0.7)));
        }
      } else {
        slats = random.int(1, 3);
        const span = backH - railH - 0.08;
        for (let k = 0; k < slats; k++) {
          const y = top - railH - ((k + 1) * span) / (slats + 0.5);
          const h = random.range(0.035, 0.06);
          backParts.push(roundedBox([0, y, backZ], [innerW + 0.01, h, Math.max(0.03, backT * 0.8)], 0.008));
        }
      }
    }
    const tilt = back === 'none' ? 0 : random.range(0.04, upholstered ? 0.22 : 0.2);
    parts.push(...rotate(backParts, 'x', -tilt, [0, seatTop, backZ]));

    // Arms
    if (arms) {
      const armY = seatTop + random.range(0.17, 0.25);
      const armW = random.range(0.04, 0.07);
      if (armStyle === 'rail') {
        const x = Math.min(W / 2, seatShape === 'round' ? W * 0.42 : W / 2) - armW / 2 + random.range(0, 0.02);
        for (const sx of [-1, 1]) {
          parts.push(roundedBox([sx * x, armY, -0.02], [armW, 0.035, D * 0.85], 0.012));
          const postZ = base === 'four-legs' ? legZ : D * 0.3;
          const postX = base === 'four-legs' && seatShape !== 'round' ? sx * legX : sx * x;
          parts.push(beam([postX, seatBottom, postZ], [sx * x, armY, postZ], 0.035, 0.035));
          if (base !== 'four-legs') parts.push(beam([sx * x, seatBottom, -D * 0.25], [sx * x, armY, -D * 0.25], 0.035, 0.035));
        }
      } else {
        const pw = upholstered ? random.range(0.08, 0.15) : random.range(0.04, 0.06);
        const bottom = upholstered ? (foot === 'feet' ? 0.06 : 0) : seatBottom;
        for (const sx of [-1, 1]) {
          parts.push(roundedBox([sx * (W / 2 + pw / 2 - (upholstered ? 0.01 : 0.005)), (bottom + armY) / 2, -0.005], [pw, armY - bottom, D * 0.99], Math.min(0.03, pw / 2)));
        }
      }
    }

    builder.add(...parts);
    return { base, back, arms, armStyle, seatShape, legStyle, stretchers, foot, slats, raisedBack: raised, barStool };
  },
};
