/**
 * Rocks (a game-prop category), resting on y = 0: rounded boulders, faceted (fractured) boulders,
 * flat slabs, tall spires and clusters of several stones. Each stone is an icosphere scaled to an
 * ellipsoid, displaced by seeded wave noise, optionally cut by planes, and flattened underneath.
 */
import type { CategoryGenerator } from './generator.js';
import { mapVertices, type Part } from './mesh.js';
import { icosphere } from './primitives.js';
import type { ShapeRandom } from './shapeRandom.js';
import { createWaveNoise } from './waveNoise.js';

type Form = 'boulder' | 'faceted' | 'slab' | 'spire';

/** One stone with its base at y = 0, centred on (cx, cz), of about `size` across. */
function stone(form: Form, size: number, cx: number, cz: number, random: ShapeRandom): Part {
  const part = icosphere(3);
  const rx = size / 2, ry = (size / 2) * (form === 'slab' ? random.range(0.3, 0.45) : form === 'spire' ? random.range(1.8, 2.6) : random.range(0.65, 0.95)), rz = (size / 2) * random.range(0.7, 1);
  const roughness = form === 'faceted' ? random.range(0.04, 0.07) : random.range(0.07, 0.13);
  const noise = createWaveNoise(random, random.range(0.5, 0.9), 8);
  // Fracture planes: a point beyond a plane is pulled back onto it (normals in the unit-sphere frame).
  const cuts: number[] = [];
  const cutCount = form === 'faceted' ? random.int(6, 12) : form === 'spire' ? random.int(0, 3) : random.int(0, 2);
  for (let k = 0; k < cutCount; k++) {
    const z = random.range(-0.6, 1), a = random.range(0, 2 * Math.PI), s = Math.sqrt(1 - z * z);
    cuts.push(s * Math.cos(a), z, s * Math.sin(a), random.range(0.62, 0.85));
  }
  const yaw = random.range(0, Math.PI);
  const cy = Math.cos(yaw), sy = Math.sin(yaw);
  const bottom = -random.range(0.45, 0.7);
  mapVertices([part], (x, y, z, o) => {
    const d = 1 + roughness * noise(x, y, z);
    let px = x * d, py = y * d, pz = z * d;
    for (let k = 0; k < cuts.length; k += 4) {
      const over = px * cuts[k] + py * cuts[k + 1] + pz * cuts[k + 2] - cuts[k + 3];
      if (over > 0) {
        px -= over * cuts[k];
        py -= over * cuts[k + 1];
        pz -= over * cuts[k + 2];
      }
    }
    // Rest on the ground: squash the part below `bottom` into a flat base.
    if (py < bottom) py = bottom + (py - bottom) * 0.05;
    if (form === 'spire') {
      const taper = 1 - 0.45 * ((py + 1) / 2);
      px *= taper;
      pz *= taper;
    }
    const wx = px * rx, wz = pz * rz;
    o[0] = cx + cy * wx + sy * wz;
    o[1] = (py - bottom) * ry;
    o[2] = cz - sy * wx + cy * wz;
  });
  return part;
}

export const rock: CategoryGenerator = {
  summary: 'rocks: rounded and faceted boulders, slabs, spires and clusters of stones',
  build(builder, random) {
    const arrangement = random.weighted({ single: 3, cluster: 1.2 });
    const form: Form = random.weighted({ boulder: 2, faceted: 1.5, slab: 1, spire: 1 });
    const parts: Part[] = [stone(form, 1, 0, 0, random)];
    let stones = 1;
    if (arrangement === 'cluster') {
      stones = random.int(2, 4);
      for (let k = 1; k < stones; k++) {
        const a = random.range(0, 2 * Math.PI), d = random.range(0.35, 0.55);
        const f = random.chance(0.5) ? form : random.pick(['boulder', 'faceted', 'slab'] as const);
        parts.push(stone(f, random.range(0.35, 0.65), d * Math.cos(a), d * Math.sin(a), random));
      }
    }
    builder.add(...parts);
    return { form, arrangement, stones };
  },
};
