/**
 * Lamps (a game-prop category), y up: table lamps, floor lamps (single stem or tripod), desk lamps
 * with an articulated arm reaching toward +z, and pendants (one shade or a cluster) hanging from a
 * ceiling canopy. Shades are hollow drums, cones, bells or domes, or solid globes.
 */
import type { CategoryGenerator } from './generator.js';
import { rotate, translate, type Part, type Vec3 } from './mesh.js';
import { beam, cylinder, ellipsoid, frustum, lathe, revolve, roundedBox, tube } from './primitives.js';
import type { ShapeRandom } from './shapeRandom.js';

type Shade = 'drum' | 'cone' | 'bell' | 'dome' | 'globe';

const WALL = 0.028;

/**
 * A shade centred on the y axis with its bottom rim at y = 0 and `height` tall, `radius` at the
 * bottom. Hollow shades are revolved wall profiles (open at both ends, like the real thing).
 */
function shade(kind: Shade, radius: number, height: number, random: ShapeRandom): { parts: Part[]; topRadius: number } {
  if (kind === 'globe') return { parts: [ellipsoid([0, height / 2, 0], [radius, height / 2, radius], 12, 20)], topRadius: 0 };
  const outer: [number, number][] = [];
  const steps = kind === 'drum' || kind === 'cone' ? 1 : 8;
  const topRatio = kind === 'drum' ? random.range(0.85, 1) : kind === 'cone' ? random.range(0.35, 0.6) : 0.12;
  for (let i = 0; i <= steps; i++) {
    const t = i / steps;
    let r: number;
    if (kind === 'dome') r = radius * Math.max(topRatio, Math.cos((t * Math.PI) / 2));
    else if (kind === 'bell') r = radius * (topRatio + (1 - topRatio) * (1 - t) ** 2.2);
    else r = radius * (1 - t * (1 - topRatio));
    outer.push([r, t * height]);
  }
  // Closed wall profile (radius, height): up the outside, back down an inside offset along the
  // normals, so the wall keeps its thickness where the shade turns horizontal (dome tops, bell flares).
  const profile: number[] = [];
  for (const [r, y] of outer) profile.push(r, y);
  for (let i = outer.length - 1; i >= 0; i--) {
    const [r0, y0] = outer[Math.max(i - 1, 0)], [r1, y1] = outer[Math.min(i + 1, outer.length - 1)];
    const l = Math.hypot(r1 - r0, y1 - y0);
    const nr = -(y1 - y0) / l, ny = (r1 - r0) / l;
    profile.push(Math.max(outer[i][0] + WALL * nr, 0.012), outer[i][1] + WALL * ny);
  }
  return { parts: [revolve(profile, [0, 0, 0], 28)], topRadius: outer[outer.length - 1][0] - WALL };
}

export const lamp: CategoryGenerator = {
  summary: 'lamps: table, floor, desk (articulated arm) and pendant lamps with drum, cone, bell, dome or globe shades',
  build(builder, random) {
    const kind = random.weighted({ table: 3, floor: 2, desk: 1.5, pendant: 1.5 });
    const parts: Part[] = [];
    const shadeKind: Shade = kind === 'desk' ? random.pick(['cone', 'dome', 'bell'] as const)
      : kind === 'pendant' ? random.pick(['dome', 'cone', 'bell', 'globe', 'drum'] as const)
        : random.weighted({ drum: 3, cone: 2, bell: 1, globe: 1, dome: 0.7 });
    let base = 'none';
    let stem = 'none';
    let shades = 1;

    if (kind === 'table' || kind === 'floor') {
      const H = kind === 'table' ? random.range(0.45, 0.65) : random.range(0.95, 1.1);
      const stemR = kind === 'table' ? random.range(0.018, 0.03) : random.range(0.02, 0.026);
      base = kind === 'floor' ? random.pick(['disc', 'tripod'] as const) : random.pick(['disc', 'square', 'dome', 'vase'] as const);
      stem = base === 'vase' ? 'vase' : random.pick(['straight', 'turned'] as const);
      const baseR = kind === 'table' ? random.range(0.1, 0.16) : random.range(0.14, 0.2);
      let stemBottom = 0.03;
      if (base === 'disc') parts.push(frustum([0, 0, 0], [0, random.range(0.03, 0.05), 0], baseR, baseR * random.range(0.8, 0.95), 32));
      else if (base === 'square') parts.push(roundedBox([0, 0.025, 0], [baseR * 1.7, 0.05, baseR * 1.7], 0.01));
      else if (base === 'dome') parts.push(lathe([[baseR, 0], [baseR, 0.02], [baseR * 0.8, 0.06], [baseR * 0.45, 0.1], [stemR * 1.3, 0.13]], [0, 0, 0], 28));
      else if (base === 'vase') {
        // The body of the lamp is a turned vase; the stem is only a short neck above it.
        const vr = baseR * random.range(0.9, 1.2);
        const vh = H * random.range(0.4, 0.55);
        parts.push(lathe([[vr * 0.6, 0], [vr * 0.9, vh * 0.15], [vr, vh * 0.45], [vr * 0.75, vh * 0.8], [vr * 0.35, vh * 0.95], [vr * 0.3, vh]], [0, 0, 0], 28));
        stemBottom = vh - 0.01;
      } else {
        const legs = 3;
        const spread = random.range(0.2, 0.3);
        const joint = H * random.range(0.35, 0.5);
        for (let k = 0; k < legs; k++) {
          const a = (2 * Math.PI * k) / legs + Math.PI / 2;
          parts.push(cylinder([spread * Math.cos(a), 0, spread * Math.sin(a)], [0, joint, 0], 0.02, 10));
        }
        stemBottom = joint - 0.02;
      }
      const shadeH = kind === 'table' ? random.range(0.16, 0.26) : random.range(0.2, 0.3);
      const shadeR = shadeKind === 'globe' ? shadeH * random.range(0.5, 0.6) : kind === 'table' ? random.range(0.14, 0.22) : random.range(0.17, 0.25);
      const shadeBottom = H - shadeH * (shadeKind === 'globe' ? 1 : random.range(0.75, 0.95));
      const stemTop = shadeKind === 'globe' ? shadeBottom + 0.02 : shadeBottom + shadeH * 0.45;
      if (stem === 'turned') {
        const L = stemTop - stemBottom;
        parts.push(lathe([[stemR * 1.5, stemBottom], [stemR, stemBottom + L * 0.2], [stemR * 2.2, stemBottom + L * 0.35], [stemR, stemBottom + L * 0.5], [stemR, stemTop - 0.02], [stemR * 0.8, stemTop]], [0, 0, 0], 16));
      } else {
        parts.push(cylinder([0, stemBottom, 0], [0, stemTop, 0], stemR, 14));
      }
      const made = shade(shadeKind, shadeR, shadeH, random);
      if (shadeKind !== 'globe') {
        // Bulb, and a harp bar across the shade's top opening so the shade hangs on the stem.
        parts.push(ellipsoid([0, stemTop + 0.02, 0], [0.035, 0.045, 0.035], 8, 12));
        const top = shadeBottom + shadeH - 0.015;
        if (made.topRadius > 0.04) parts.push(beam([-made.topRadius, top, 0], [made.topRadius, top, 0], 0.025, 0.025, [0, 1, 0]));
        parts.push(cylinder([0, stemTop, 0], [0, top + 0.005, 0], 0.014, 8));
      }
      parts.push(...translate(made.parts, 0, shadeBottom, 0));
    } else if (kind === 'desk') {
      base = random.pick(['disc', 'square'] as const);
      stem = 'arm';
      const baseR = random.range(0.1, 0.14);
      if (base === 'disc') parts.push(frustum([0, 0, 0], [0, 0.04, 0], baseR, baseR * 0.9, 28));
      else parts.push(roundedBox([0, 0.022, 0], [baseR * 1.6, 0.044, baseR * 1.6], 0.01));
      const armR = random.range(0.018, 0.024);
      const lower = random.range(0.32, 0.45), upper = random.range(0.3, 0.42);
      const a1 = random.range(-0.35, 0.1); // lower arm lean (radians from vertical, negative leans back)
      const elbow: Vec3 = [0, 0.05 + lower * Math.cos(a1), lower * Math.sin(a1)];
      const a2 = random.range(0.9, 1.5); // upper arm angle from vertical, reaching forward
      const head: Vec3 = [0, elbow[1] + upper * Math.cos(a2), elbow[2] + upper * Math.sin(a2)];
      parts.push(cylinder([0, 0.03, 0], [0, 0.07, 0], armR * 1.6, 12));
      parts.push(cylinder([0, 0.05, 0], elbow, armR, 10));
      parts.push(ellipsoid(elbow, [armR * 1.6, armR * 1.6, armR * 1.6], 8, 12));
      parts.push(cylinder(elbow, head, armR, 10));
      if (random.chance(0.6)) {
        // A spring beside each arm segment, drawn as a parallel rod.
        parts.push(cylinder([0.035, 0.06, 0], [0.035, elbow[1], elbow[2]], 0.012, 8));
      }
      const shadeR = random.range(0.08, 0.12), shadeH = random.range(0.1, 0.16);
      const tilt = random.range(0.3, 0.8);
      const s = shade(shadeKind, shadeR, shadeH, random).parts;
      s.push(ellipsoid([0, shadeH, 0], [0.03, 0.03, 0.03], 8, 10));
      // Opening toward the desk and a little forward.
      translate(s, 0, -shadeH, 0);
      rotate(s, 'x', tilt, [0, 0, 0]);
      parts.push(...translate(s, head[0], head[1], head[2]));
    } else {
      stem = 'cord';
      const ceiling = random.range(0.9, 1.05);
      const cluster = random.chance(0.35);
      shades = cluster ? 3 : 1;
      const canopyR = random.range(0.05, 0.08);
      if (cluster) parts.push(roundedBox([0, ceiling - 0.02, 0], [0.5, 0.04, 0.07], 0.01));
      else parts.push(frustum([0, ceiling - 0.04, 0], [0, ceiling, 0], canopyR * 0.8, canopyR, 20));
      const xs = cluster ? [-0.2, 0, 0.2] : [0];
      for (const x of xs) {
        const shadeR = random.range(0.1, 0.17) * (cluster ? 0.8 : 1);
        const shadeH = shadeKind === 'globe' ? shadeR * 2 : random.range(0.1, 0.2);
        const drop = random.range(0.35, 0.6);
        const bottom = ceiling - drop - shadeH;
        parts.push(tube([[x, ceiling - 0.02, 0], [x, bottom + shadeH - 0.01, 0]], 0.013, 8));
        parts.push(ellipsoid([x, bottom + shadeH * 0.55, 0], [0.03, 0.04, 0.03], 8, 10));
        parts.push(...translate(shade(shadeKind, shadeR, shadeH, random).parts, x, bottom, 0));
        if (shadeKind !== 'globe') parts.push(cylinder([x, bottom + shadeH - 0.03, 0], [x, bottom + shadeH + 0.005, 0], 0.03, 12));
      }
    }

    builder.add(...parts);
    return { kind, shade: shadeKind, base, stem, shades };
  },
};
