/**
 * Airplanes, nose toward +z, wings along x, y up: airliners (swept wings; two or four engines under
 * the wings, two at the rear or three), propeller aircraft (straight wings high or low; one nose
 * propeller or two wing nacelles) and fighters (delta or swept wings, single or twin fins). Tails
 * are conventional, T, twin (H) or V. Fuselage length is 1.
 */
import type { CategoryGenerator } from './generator.js';
import { rotate, type Part, type Vec3 } from './mesh.js';
import { airfoilProfile, beam, circleProfile, ellipsoid, frustum, loft, type Section } from './primitives.js';
import type { ShapeRandom } from './shapeRandom.js';

// Blunt behind the thickest point: wings keep their whole chord at 64^3.
const AIRFOIL = airfoilProfile(8, 0.7);
const RING = circleProfile(18);

/** One station of a lifting surface: leading-edge point, chord (toward -z) and thickness. */
interface Station {
  leadingEdge: Vec3;
  chord: number;
  thickness: number;
}

/** A wing or stabilizer through its stations; `thicknessAxis` is y for horizontal surfaces, x (or a tilt) for fins. */
function surface(stations: Station[], thicknessAxis: Vec3 = [0, 1, 0]): Part {
  const sections: Section[] = stations.map(({ leadingEdge, chord, thickness }) => ({
    origin: leadingEdge,
    u: [0, 0, -chord],
    v: [thicknessAxis[0] * thickness, thicknessAxis[1] * thickness, thicknessAxis[2] * thickness],
  }));
  return loft(AIRFOIL, sections);
}

/** A symmetric horizontal surface: root at x = 0, tips at +-span, swept back by `sweep` radians, raised by `dihedral`. */
function horizontalSurface(root: Vec3, span: number, rootChord: number, taper: number, sweep: number, dihedral: number, minThickness: number): Part {
  const tipChord = rootChord * taper;
  const tip = (sx: number): Station => ({
    leadingEdge: [root[0] + sx * span, root[1] + span * Math.tan(dihedral), root[2] - span * Math.tan(sweep)],
    chord: tipChord,
    thickness: Math.max(0.1 * tipChord, minThickness),
  });
  return surface([tip(-1), { leadingEdge: root, chord: rootChord, thickness: Math.max(0.12 * rootChord, minThickness * 1.3) }, tip(1)]);
}

/** A fin standing on `root`, `height` tall, leaning back by `sweep`, then rolled by `cant` radians about the z axis through its root. */
function fin(root: Vec3, height: number, rootChord: number, taper: number, sweep: number, cant = 0): Part {
  const part = surface([
    { leadingEdge: [root[0], root[1] - 0.01, root[2]], chord: rootChord, thickness: Math.max(0.12 * rootChord, 0.05) },
    { leadingEdge: [root[0], root[1] + height, root[2] - height * Math.tan(sweep)], chord: rootChord * taper, thickness: Math.max(0.1 * rootChord * taper, 0.04) },
  ], [1, 0, 0]);
  return cant ? rotate([part], 'z', cant, root)[0] : part;
}

/** An engine nacelle along z centred at `c`: a rounded intake, a straight body, a tapered exhaust. */
function nacelle(c: Vec3, radius: number, length: number): Part {
  const z0 = c[2] + length / 2;
  const stations: [number, number][] = [[0, 0.8], [0.05, 1], [0.7, 1], [1, 0.6]];
  return loft(RING, stations.map(([t, r]) => ({ origin: [c[0], c[1], z0 - t * length] as Vec3, u: [radius * r, 0, 0] as Vec3, v: [0, radius * r, 0] as Vec3 })));
}

/** A propeller in the xy plane at `c`: a spinner and `blades` flat blades. */
function propeller(c: Vec3, blades: number, length: number, random: ShapeRandom): Part[] {
  const parts: Part[] = [frustum([c[0], c[1], c[2] - 0.02], [c[0], c[1], c[2] + 0.05], 0.03, 0.008, 12)];
  const phase = random.range(0, Math.PI);
  for (let k = 0; k < blades; k++) {
    const a = phase + (2 * Math.PI * k) / blades;
    parts.push(beam([c[0], c[1], c[2]], [c[0] + length * Math.cos(a), c[1] + length * Math.sin(a), c[2]], 0.05, 0.036, [0, 0, 1]));
  }
  return parts;
}

export const airplane: CategoryGenerator = {
  summary: 'airplanes: airliners, propeller aircraft and fighters; swept, straight or delta wings; 0-4 engines; conventional, T, twin or V tails',
  build(builder, random) {
    const kind = random.weighted({ airliner: 4, propeller: 3, fighter: 2.5 });
    const parts: Part[] = [];
    const L = 1;
    const R = kind === 'airliner' ? random.range(0.045, 0.065) : kind === 'propeller' ? random.range(0.04, 0.055) : random.range(0.045, 0.06);

    // Fuselage: stations (fraction of length from the nose, radius factor, centre height factor).
    const tailUp = kind === 'fighter' ? 0.1 : random.range(0.35, 0.7);
    const noseLength = kind === 'fighter' ? random.range(0.2, 0.3) : random.range(0.08, 0.14);
    const tailStart = kind === 'fighter' ? 0.85 : random.range(0.62, 0.74);
    const stations: [number, number, number][] = kind === 'fighter'
      ? [[0, 0.1, 0], [noseLength * 0.35, 0.5, 0], [noseLength, 0.85, 0.05], [0.45, 1, 0.1], [tailStart, 1, 0.1], [1, 0.75, 0.1]]
      : [[0, 0.2, -0.25], [noseLength * 0.25, 0.6, -0.12], [noseLength * 0.6, 0.88, -0.04], [noseLength, 1, 0], [tailStart, 1, 0], [tailStart + (1 - tailStart) * 0.55, 0.6, tailUp * 0.6], [1, 0.22, tailUp]];
    const flatten = kind === 'fighter' ? random.range(0.75, 0.9) : 1.05;
    parts.push(loft(RING, stations.map(([t, r, y]) => ({
      origin: [0, y * R, L / 2 - t * L] as Vec3,
      u: [R * r, 0, 0] as Vec3,
      v: [0, R * r * flatten, 0] as Vec3,
    }))));
    if (kind === 'fighter' && random.chance(0.8)) {
      // Canopy bubble behind the nose.
      parts.push(ellipsoid([0, R * 0.75, L / 2 - noseLength - 0.05], [R * 0.55, R * 0.55, 0.1], 8, 14));
    }

    // Main wing.
    const wing = kind === 'airliner' ? 'swept' : kind === 'propeller' ? 'straight' : random.pick(['delta', 'swept'] as const);
    const mount = kind === 'airliner' ? 'low' : kind === 'propeller' ? random.pick(['low', 'high'] as const) : 'mid';
    const span = wing === 'delta' ? random.range(0.26, 0.34) : wing === 'swept' ? random.range(kind === 'fighter' ? 0.28 : 0.42, kind === 'fighter' ? 0.38 : 0.56) : random.range(0.45, 0.62);
    const rootChord = wing === 'delta' ? random.range(0.42, 0.55) : wing === 'swept' ? random.range(0.16, 0.24) : random.range(0.12, 0.18);
    const taper = wing === 'delta' ? random.range(0.08, 0.16) : wing === 'swept' ? random.range(0.25, 0.42) : random.range(0.5, 1.0);
    const sweepDegrees = wing === 'delta' ? 0 : wing === 'swept' ? random.range(kind === 'fighter' ? 35 : 22, kind === 'fighter' ? 48 : 36) : random.range(0, 6);
    // A delta's leading edge runs from the root's to the tip's leading edge with the trailing edge straight.
    const sweep = wing === 'delta' ? Math.atan((rootChord * (1 - taper)) / span) : (sweepDegrees * Math.PI) / 180;
    const dihedral = (random.range(mount === 'high' ? -2 : 1, mount === 'high' ? 2 : 7) * Math.PI) / 180;
    const wingY = mount === 'low' ? -0.6 * R : mount === 'high' ? 0.75 * R : 0;
    const wingZ = wing === 'delta' ? L / 2 - 0.42 : random.range(0.02, 0.14) + rootChord / 2;
    parts.push(horizontalSurface([0, wingY, wingZ], span, rootChord, taper, sweep, dihedral, 0.042));
    const wingAt = (f: number): { leadingEdge: Vec3; chord: number } => ({
      leadingEdge: [f * span, wingY + f * span * Math.tan(dihedral), wingZ - f * span * Math.tan(sweep)],
      chord: rootChord * (1 - f * (1 - taper)),
    });
    if (mount === 'high' && random.chance(0.6)) {
      // Struts from the lower fuselage to mid-span, as on many high-wing light aircraft.
      for (const sx of [-1, 1]) {
        const p = wingAt(0.45);
        parts.push(beam([sx * R * 0.8, -0.6 * R, wingZ - rootChord * 0.4], [sx * p.leadingEdge[0], p.leadingEdge[1] - 0.01, p.leadingEdge[2] - p.chord * 0.4], 0.032, 0.038));
      }
    }

    // Tail.
    const tail = kind === 'fighter'
      ? (wing === 'delta' ? random.pick(['single', 'twin-fin'] as const) : random.pick(['conventional', 'twin-fin'] as const))
      : kind === 'propeller' ? random.weighted({ conventional: 3, 'T-tail': 1.5, 'H-tail': 1, 'V-tail': 0.8 })
        : random.weighted({ conventional: 3, 'T-tail': 1.5 });
    const tailZ = -L / 2 + random.range(0.04, 0.08);
    const tailY = stations[stations.length - 1][2] * R;
    const finHeight = kind === 'fighter' ? random.range(0.13, 0.18) : random.range(0.14, 0.22);
    const finChord = kind === 'fighter' ? random.range(0.14, 0.2) : random.range(0.13, 0.2);
    const finSweep = ((kind === 'propeller' ? random.range(10, 35) : random.range(30, 45)) * Math.PI) / 180;
    const stabSpan = kind === 'fighter' ? random.range(0.13, 0.18) : random.range(0.15, 0.24);
    const stabChord = random.range(0.09, 0.13);
    const stabSweep = kind === 'propeller' ? random.range(0, 0.2) : random.range(0.4, 0.65);
    const finRootZ = tailZ + finChord;
    if (tail === 'conventional' || tail === 'T-tail') {
      parts.push(fin([0, tailY + R * 0.2, finRootZ], finHeight, finChord, 0.55, finSweep));
      const stabY = tail === 'T-tail' ? tailY + R * 0.2 + finHeight - 0.01 : tailY;
      const stabZ = tail === 'T-tail' ? finRootZ - finHeight * Math.tan(finSweep) + 0.01 : tailZ + stabChord + 0.01;
      parts.push(horizontalSurface([0, stabY, stabZ], stabSpan, stabChord, 0.55, stabSweep, 0.03, 0.038));
    } else if (tail === 'H-tail') {
      const stabZ = tailZ + stabChord + 0.01;
      parts.push(horizontalSurface([0, tailY, stabZ], stabSpan, stabChord, 0.9, 0, 0, 0.038));
      for (const sx of [-1, 1]) parts.push(fin([sx * stabSpan * 0.97, tailY - finHeight * 0.25, stabZ + 0.01], finHeight * 0.8, stabChord * 1.1, 0.7, finSweep * 0.5));
    } else if (tail === 'V-tail') {
      const cant = random.range(0.55, 0.8);
      for (const sx of [-1, 1]) parts.push(fin([0, tailY + R * 0.2, finRootZ], finHeight, finChord, 0.55, finSweep, -sx * cant));
    } else if (tail === 'twin-fin') {
      const x = R * random.range(0.5, 0.9);
      const cant = random.range(0.1, 0.35);
      for (const sx of [-1, 1]) parts.push(fin([sx * x, tailY + R * 0.5, finRootZ + 0.04], finHeight, finChord, 0.5, finSweep, -sx * cant));
      if (wing !== 'delta') parts.push(horizontalSurface([0, tailY - R * 0.1, tailZ + stabChord + 0.03], stabSpan, stabChord, 0.45, 0.6, -0.03, 0.038));
    } else {
      parts.push(fin([0, tailY + R * 0.4, finRootZ + 0.05], finHeight * 1.1, finChord * 1.2, 0.4, finSweep));
    }

    // Engines.
    let engines = 0;
    let engineMount = 'none';
    if (kind === 'airliner') {
      engineMount = tail === 'T-tail' ? random.weighted({ 'under-wing': 1, rear: 2, 'tri-jet': 1 }) : random.weighted({ 'under-wing': 4, 'tri-jet': 0.5 });
      const rn = random.range(0.032, 0.048);
      const len = random.range(0.14, 0.2);
      if (engineMount === 'under-wing') {
        engines = random.pick([2, 2, 4]);
        const fractions = engines === 2 ? [random.range(0.3, 0.4)] : [random.range(0.25, 0.32), random.range(0.52, 0.62)];
        for (const f of fractions) {
          for (const sx of [-1, 1]) {
            const { leadingEdge: le, chord } = wingAt(f);
            const c: Vec3 = [sx * le[0], le[1] - chord * 0.06 - rn * 1.15, le[2] + len * 0.25];
            parts.push(nacelle(c, rn, len));
            parts.push(beam([c[0], c[1] + rn * 0.5, c[2] - len * 0.3], [c[0], le[1], le[2] - chord * 0.35], 0.032, len * 0.45, [0, 0, 1]));
          }
        }
      } else {
        engines = engineMount === 'tri-jet' ? 3 : 2;
        const z = tailZ + finChord + len * 0.5 + 0.02;
        for (const sx of [-1, 1]) {
          const c: Vec3 = [sx * (R + rn + 0.02), tailY * 0.4 + R * 0.35, z];
          parts.push(nacelle(c, rn, len));
          parts.push(beam([sx * R * 0.5, c[1], c[2]], c, 0.03, len * 0.5, [0, 0, 1]));
        }
        if (engineMount === 'tri-jet') parts.push(nacelle([0, tailY + R * 0.9, z - 0.02], rn, len));
      }
    } else if (kind === 'propeller') {
      engineMount = random.weighted({ nose: 2, wing: 1.5 });
      const blades = random.pick([2, 3, 4]);
      if (engineMount === 'nose') {
        engines = 1;
        parts.push(...propeller([0, -0.05 * R, L / 2 - 0.005], blades, random.range(0.12, 0.16), random));
      } else {
        engines = 2;
        const f = random.range(0.28, 0.36);
        const { leadingEdge: le } = wingAt(f);
        for (const sx of [-1, 1]) {
          const rn = random.range(0.03, 0.04);
          const c: Vec3 = [sx * le[0], le[1] - 0.005, le[2] - 0.02];
          parts.push(nacelle(c, rn, random.range(0.16, 0.22)));
          parts.push(...propeller([c[0], c[1], c[2] + 0.1], blades, random.range(0.1, 0.13), random));
        }
      }
    } else {
      engineMount = 'internal';
      engines = random.pick([1, 2]);
      for (const sx of engines === 2 ? [-1, 1] : [0]) {
        // Exhaust nozzles out of the tail, intakes along the sides.
        parts.push(frustum([sx * R * 0.45, 0.1 * R, -L / 2 + 0.02], [sx * R * 0.45, 0.1 * R, -L / 2 - 0.02], R * (engines === 2 ? 0.45 : 0.7), R * (engines === 2 ? 0.38 : 0.6), 14));
      }
      for (const sx of [-1, 1]) parts.push(loft(RING, [0.0, 0.3].map((t) => ({ origin: [sx * R * 0.85, -0.1 * R, L / 2 - noseLength - 0.08 - t] as Vec3, u: [R * 0.45, 0, 0] as Vec3, v: [0, R * 0.6, 0] as Vec3 }))));
      if (wing === 'delta' && random.chance(0.5)) parts.push(horizontalSurface([0, 0.2 * R, L / 2 - noseLength - 0.02], 0.1, 0.09, 0.4, 0.7, 0, 0.038));
    }

    builder.add(...parts);
    return { kind, wing, mount, tail, engines, engineMount };
  },
};
