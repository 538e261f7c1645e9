/**
 * Trees (a game-prop category), y up, standing at y = 0: tiered conifers, broadleaf trees (forked
 * trunk, several leafy crowns), round topiary "lollipops", columnar poplars, palms (curved trunk,
 * drooping fronds) and bare trees (branches only). Branches are at least ~0.03 thick so a 64^3
 * voxelization keeps them.
 */
import type { CategoryGenerator } from './generator.js';
import { mapVertices, type Part, type Vec3 } from './mesh.js';
import { ellipsoid, icosphere, lathe, sweep, tube } from './primitives.js';
import type { ShapeRandom } from './shapeRandom.js';
import { createWaveNoise } from './waveNoise.js';

type Kind = 'conifer' | 'broadleaf' | 'round' | 'columnar' | 'palm' | 'bare';

/** A leafy blob: a noisy ellipsoid. */
function foliage(center: Vec3, radii: Vec3, random: ShapeRandom): Part {
  const part = icosphere(2);
  const noise = createWaveNoise(random, random.range(1.2, 2), 8);
  const bump = random.range(0.1, 0.18);
  return mapVertices([part], (x, y, z, o) => {
    const d = 1 + bump * noise(x, y, z);
    o[0] = center[0] + x * d * radii[0];
    o[1] = center[1] + y * d * radii[1];
    o[2] = center[2] + z * d * radii[2];
  })[0];
}

/** A gently curved, tapering limb from `from` along `direction` (unit) for `length`. */
function limb(from: Vec3, direction: Vec3, length: number, r0: number, r1: number, random: ShapeRandom, bend = 0.15): { part: Part; end: Vec3 } {
  const path: Vec3[] = [];
  const radii: number[] = [];
  const wobble: Vec3 = [random.range(-1, 1) * bend, random.range(-0.3, 0.3) * bend, random.range(-1, 1) * bend];
  const steps = 6;
  for (let k = 0; k <= steps; k++) {
    const t = k / steps;
    const s = Math.sin(Math.PI * t) * length;
    path.push([from[0] + direction[0] * length * t + wobble[0] * s, from[1] + direction[1] * length * t + wobble[1] * s, from[2] + direction[2] * length * t + wobble[2] * s]);
    radii.push(r0 + (r1 - r0) * t);
  }
  return { part: tube(path, radii, 10), end: path[steps] };
}

function direction(yaw: number, elevation: number): Vec3 {
  return [Math.cos(elevation) * Math.cos(yaw), Math.sin(elevation), Math.cos(elevation) * Math.sin(yaw)];
}

export const tree: CategoryGenerator = {
  summary: 'trees: conifers, broadleaf, round topiary, columnar, palm and bare trees',
  build(builder, random) {
    const kind: Kind = random.weighted({ conifer: 2, broadleaf: 2, round: 1, columnar: 1, palm: 1.2, bare: 1 });
    const parts: Part[] = [];
    let tiers = 0;
    let limbs = 0;
    const trunkR = random.range(0.035, 0.06);

    if (kind === 'conifer') {
      const trunkH = random.range(0.08, 0.2);
      const H = random.range(0.85, 1.1);
      const R = random.range(0.22, 0.34);
      tiers = random.int(3, 6);
      parts.push(tube([[0, 0, 0], [0, trunkH + 0.05, 0]], [trunkR, trunkR * 0.8], 10));
      // A sawtooth lathe: each tier flares out and narrows into the next.
      const profile: [number, number][] = [];
      const tierH = (H - trunkH) / (tiers + 0.6);
      for (let k = 0; k < tiers; k++) {
        const y = trunkH + k * tierH * 0.95;
        const rk = R * (1 - (0.75 * k) / tiers);
        profile.push([rk, y], [rk * 0.92, y + tierH * 0.12], [rk * 0.42, y + tierH * 0.95]);
      }
      profile.push([0.02, H]);
      parts.push(lathe(profile, [0, 0, 0], 18));
    } else if (kind === 'palm') {
      const H = random.range(0.7, 0.95);
      const lean = random.range(0.1, 0.3);
      const yaw = random.range(0, 2 * Math.PI);
      const path: Vec3[] = [];
      const radii: number[] = [];
      for (let k = 0; k <= 10; k++) {
        const t = k / 10;
        const off = lean * t * t;
        path.push([off * Math.cos(yaw), H * t, off * Math.sin(yaw)]);
        radii.push(trunkR * (1.2 - 0.45 * t));
      }
      parts.push(tube(path, radii, 10));
      const top = path[10];
      limbs = random.int(6, 9);
      const frondLen = random.range(0.32, 0.45);
      for (let k = 0; k < limbs; k++) {
        const a = (2 * Math.PI * k) / limbs + random.range(-0.2, 0.2);
        const rise = random.range(0.3, 0.7);
        const frond: Vec3[] = [];
        const scales: number[] = [];
        for (let j = 0; j <= 8; j++) {
          const t = j / 8;
          const out = frondLen * t;
          frond.push([top[0] + out * Math.cos(a), top[1] + rise * frondLen * t - 1.1 * frondLen * t * t, top[2] + out * Math.sin(a)]);
          scales.push(0.6 + 0.4 * Math.sin(Math.PI * Math.min(1, t * 1.2 + 0.1)));
        }
        // A frond: a flat leaf section (wide across, thin up) swept along a drooping arc; at its
        // narrowest (scale 0.6) it is still 0.03 thick, two voxels at 64^3.
        const leaf = [-0.08, 0, -0.03, -0.025, 0.03, -0.025, 0.08, 0, 0.03, 0.025, -0.03, 0.025];
        parts.push(sweep(leaf, frond, scales, { up: [0, 1, 0] }));
      }
      if (random.chance(0.6)) for (let k = 0; k < 3; k++) parts.push(ellipsoid([top[0] + 0.04 * Math.cos(2.1 * k), top[1] - 0.04, top[2] + 0.04 * Math.sin(2.1 * k)], [0.035, 0.035, 0.035], 6, 10));
    } else {
      const trunkH = kind === 'columnar' ? random.range(0.12, 0.2) : kind === 'round' ? random.range(0.35, 0.55) : random.range(0.3, 0.45);
      const trunk = limb([0, -0.01, 0], [0, 1, 0], trunkH + 0.05, trunkR * 1.15, trunkR * 0.8, random, 0.08);
      parts.push(trunk.part);
      const crown = trunk.end;
      if (kind === 'round') {
        const rr = random.range(0.22, 0.32);
        parts.push(foliage([crown[0], crown[1] + rr * 0.8, crown[2]], [rr, rr * random.range(0.85, 1.05), rr], random));
        tiers = 1;
      } else if (kind === 'columnar') {
        const rr = random.range(0.13, 0.2);
        const h = random.range(0.7, 0.9);
        parts.push(foliage([crown[0], crown[1] + h / 2 - 0.02, crown[2]], [rr, h / 2, rr], random));
        tiers = 1;
      } else {
        // Broadleaf and bare: 2-4 main limbs out of the crown, each forking once for a bare tree.
        limbs = random.int(2, 4);
        const yaw0 = random.range(0, 2 * Math.PI);
        for (let k = 0; k < limbs; k++) {
          const yaw = yaw0 + (2 * Math.PI * k) / limbs + random.range(-0.3, 0.3);
          const len = random.range(0.22, 0.35);
          const main = limb(crown, direction(yaw, random.range(0.7, 1.1)), len, trunkR * 0.75, trunkR * 0.5, random);
          parts.push(main.part);
          if (kind === 'bare') {
            for (const turn of [-0.5, 0.5]) {
              const sub = limb(main.end, direction(yaw + turn, random.range(0.6, 1.2)), random.range(0.14, 0.22), Math.max(trunkR * 0.45, 0.017), 0.016, random);
              parts.push(sub.part);
            }
          } else {
            const rr = random.range(0.14, 0.22);
            parts.push(foliage([main.end[0], main.end[1] + rr * 0.3, main.end[2]], [rr * 1.1, rr * 0.85, rr * 1.1], random));
            tiers++;
          }
        }
        if (kind === 'broadleaf' && random.chance(0.7)) {
          const rr = random.range(0.18, 0.26);
          parts.push(foliage([crown[0], crown[1] + 0.25, crown[2]], [rr, rr * 0.9, rr], random));
          tiers++;
        }
        if (kind === 'bare' && random.chance(0.5)) parts.push(limb(crown, [0, 1, 0], random.range(0.2, 0.3), trunkR * 0.6, 0.018, random).part);
      }
    }
    // Root flare where the trunk meets the ground.
    if (kind !== 'palm' && random.chance(0.5)) parts.push(lathe([[trunkR * 2, 0], [trunkR * 1.3, 0.04], [trunkR * 0.9, 0.09]], [0, 0, 0], 12));

    builder.add(...parts);
    return { kind, tiers, limbs };
  },
};
