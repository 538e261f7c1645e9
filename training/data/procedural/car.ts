/**
 * Cars, front toward +z, length 1 along z, wheels on the ground at y = 0: sedans, hatchbacks,
 * wagons, SUVs, pickups (with an open bed), vans and sports cars. A car is a lower body (a side
 * profile extruded across the width with bevelled sides), a cabin (a narrower, more strongly
 * bevelled profile: the tumblehome), wheels, and extras: spoiler, roof rails, spare wheel, bumpers.
 */
import type { CategoryGenerator } from './generator.js';
import type { Part } from './mesh.js';
import { beam, cylinder, extrude, roundedBox } from './primitives.js';

type Body = 'sedan' | 'hatchback' | 'wagon' | 'suv' | 'pickup' | 'van' | 'sports';

export const car: CategoryGenerator = {
  summary: 'cars: sedan, hatchback, wagon, SUV, pickup, van and sports bodies on four or six wheels',
  build(builder, random) {
    const body: Body = random.weighted({ sedan: 2, hatchback: 1.5, wagon: 1, suv: 1.5, pickup: 1.2, van: 1, sports: 1.2 });
    const r = (a: number, b: number) => random.range(a, b);
    // Per body: width, ground clearance, wheel radius, beltline, roof, hood length, windshield run, roof length.
    const spec = {
      sedan: { W: r(0.37, 0.4), gc: r(0.03, 0.04), wr: r(0.065, 0.075), belt: r(0.19, 0.21), roof: r(0.29, 0.32), hood: r(0.28, 0.32), screen: r(0.15, 0.19), roofLen: r(0.2, 0.27) },
      hatchback: { W: r(0.42, 0.45), gc: r(0.035, 0.045), wr: r(0.075, 0.085), belt: r(0.22, 0.25), roof: r(0.35, 0.38), hood: r(0.22, 0.26), screen: r(0.16, 0.2), roofLen: r(0.3, 0.38) },
      wagon: { W: r(0.37, 0.4), gc: r(0.035, 0.045), wr: r(0.065, 0.075), belt: r(0.2, 0.22), roof: r(0.3, 0.33), hood: r(0.25, 0.3), screen: r(0.14, 0.18), roofLen: r(0.48, 0.56) },
      suv: { W: r(0.39, 0.43), gc: r(0.06, 0.08), wr: r(0.08, 0.09), belt: r(0.25, 0.28), roof: r(0.37, 0.41), hood: r(0.22, 0.26), screen: r(0.1, 0.14), roofLen: r(0.48, 0.56) },
      pickup: { W: r(0.36, 0.4), gc: r(0.06, 0.08), wr: r(0.075, 0.085), belt: r(0.24, 0.27), roof: r(0.35, 0.38), hood: r(0.24, 0.28), screen: r(0.08, 0.12), roofLen: r(0.14, 0.24) },
      van: { W: r(0.38, 0.42), gc: r(0.04, 0.05), wr: r(0.065, 0.075), belt: r(0.22, 0.26), roof: r(0.42, 0.48), hood: r(0.1, 0.15), screen: r(0.1, 0.16), roofLen: r(0.64, 0.72) },
      sports: { W: r(0.42, 0.45), gc: r(0.025, 0.035), wr: r(0.062, 0.07), belt: r(0.16, 0.18), roof: r(0.25, 0.27), hood: r(0.32, 0.38), screen: r(0.18, 0.22), roofLen: r(0.08, 0.14) },
    }[body];
    const { W, gc, wr, belt, roof, hood, screen, roofLen } = spec;
    const parts: Part[] = [];
    const front = 0.5, rear = -0.5;
    const hoodDrop = (belt - gc) * (body === 'suv' || body === 'pickup' || body === 'van' ? r(0.05, 0.15) : body === 'sports' ? r(0.08, 0.18) : r(0.15, 0.3));
    const hoodFront = belt - hoodDrop;
    const nose = hoodFront - (hoodFront - gc) * r(0.1, 0.25);
    const zScreen = front - hood;
    const openBed = body === 'pickup';
    const bedFloor = belt - r(0.07, 0.09);
    const rearTop = openBed ? bedFloor : body === 'sports' ? belt - r(0.0, 0.02) : belt - r(0.0, 0.03);
    const bodyBevel = r(0.02, 0.03);
    const chamfer = Math.min(0.04, (rearTop - gc) / 4);

    // Lower body, side profile (z, y) around from the bottom front, convex. A pickup's ends at the
    // bed floor; its hood and cab base are one more block on top.
    const lower = openBed
      ? [front - chamfer, gc, front, gc + chamfer, front - 0.008, bedFloor, rear + 0.02, bedFloor, rear, bedFloor - chamfer, rear, gc + chamfer, rear + chamfer, gc]
      : [front - chamfer, gc, front, gc + chamfer, front - 0.008, nose, front - 0.05, hoodFront, zScreen, belt, rear + 0.25, belt, rear + 0.02, rearTop, rear, rearTop - chamfer, rear, gc + chamfer, rear + chamfer, gc];
    parts.push(extrude(lower, 'x', -W / 2, W / 2, bodyBevel));

    // Cabin.
    const cabinBevel = r(0.025, 0.04);
    const cabinW = W * r(0.86, 0.94);
    let zRoofBack = zScreen - screen - roofLen;
    let zCabinBack: number;
    if (body === 'sedan') zCabinBack = Math.max(zRoofBack - r(0.1, 0.16), rear + r(0.17, 0.23));
    else if (body === 'sports') zCabinBack = rear + r(0.06, 0.12);
    else if (body === 'pickup') zCabinBack = zRoofBack - r(0.0, 0.02);
    else zCabinBack = rear + r(0.02, 0.04);
    if (body !== 'sedan' && body !== 'sports' && body !== 'pickup') zRoofBack = Math.max(zRoofBack, zCabinBack + r(0.01, body === 'hatchback' ? 0.1 : 0.03));
    const cabin = [zScreen + 0.01, belt - 0.02, zScreen - screen, roof, zRoofBack, roof, zCabinBack, (openBed ? belt : rearTop) - 0.02];
    parts.push(extrude(cabin, 'x', -cabinW / 2, cabinW / 2, cabinBevel));
    if (openBed) {
      parts.push(extrude([front - 0.008, bedFloor - 0.01, front - 0.008, nose, front - 0.05, hoodFront, zScreen, belt, zCabinBack, belt, zCabinBack, bedFloor - 0.01], 'x', -W / 2, W / 2, bodyBevel));
      const wall = 0.035;
      const bedFront = zCabinBack - 0.01;
      for (const sx of [-1, 1]) parts.push(roundedBox([sx * (W / 2 - wall / 2 - 0.005), (bedFloor + belt) / 2, (bedFront + rear + 0.01) / 2], [wall, belt - bedFloor + 0.01, bedFront - rear - 0.01], 0.008));
      parts.push(roundedBox([0, (bedFloor + belt) / 2, rear + 0.02], [W - 0.01, belt - bedFloor + 0.01, wall], 0.008));
      parts.push(roundedBox([0, (bedFloor + belt) / 2, bedFront - wall / 2], [W - 0.01, belt - bedFloor + 0.01, wall], 0.008));
    }

    // Wheels.
    const wheelbase = r(0.56, 0.66) - (body === 'van' ? 0 : 0.02);
    const axleShift = body === 'van' ? r(0.0, 0.03) : r(-0.02, 0.02);
    const ww = r(0.06, 0.085) * (body === 'suv' || body === 'pickup' ? 1.2 : 1);
    const dualRear = body === 'pickup' && random.chance(0.35);
    const wheelX = W / 2 - ww / 2 + r(0.005, 0.02);
    for (const z of [axleShift + wheelbase / 2, axleShift - wheelbase / 2]) {
      for (const sx of [-1, 1]) {
        parts.push(cylinder([sx * (wheelX - ww / 2), wr, z], [sx * (wheelX + ww / 2), wr, z], wr, 22));
        if (dualRear && z < 0) parts.push(cylinder([sx * (wheelX + ww / 2), wr, z], [sx * (wheelX + 1.5 * ww), wr, z], wr * 0.98, 22));
      }
    }

    // Extras.
    const spoiler = (body === 'sports' || body === 'sedan' || body === 'hatchback') && random.chance(body === 'sports' ? 0.6 : 0.25);
    if (spoiler) {
      const h = body === 'hatchback' ? 0 : r(0.035, 0.06);
      const y = (body === 'hatchback' ? roof : rearTop) + h;
      const z = body === 'hatchback' ? zRoofBack - 0.02 : rear + 0.05;
      parts.push(roundedBox([0, y, z], [W * 0.9, 0.03, r(0.06, 0.09)], 0.01));
      if (h > 0) for (const sx of [-1, 1]) parts.push(beam([sx * W * 0.3, rearTop - 0.02, z], [sx * W * 0.3, y, z], 0.03, 0.04));
    }
    const roofRack = (body === 'suv' || body === 'wagon' || body === 'van') && random.chance(0.5);
    if (roofRack) {
      const len = zScreen - screen - zRoofBack;
      for (const sx of [-1, 1]) parts.push(roundedBox([sx * (cabinW / 2 - cabinBevel - 0.03), roof + 0.02, (zScreen - screen + zRoofBack) / 2], [0.03, 0.04, len * 0.9], 0.01));
    }
    const spareWheel = body === 'suv' && random.chance(0.5);
    if (spareWheel) parts.push(cylinder([0, belt * 0.75, rear + 0.01], [0, belt * 0.75, rear - 0.06], wr * 0.95, 22));
    const bumpers = random.chance(body === 'pickup' || body === 'suv' ? 0.7 : 0.3);
    if (bumpers) {
      for (const z of [front - 0.015, rear + 0.015]) parts.push(roundedBox([0, gc + 0.03, z], [W * 0.96, 0.045, 0.05], 0.015));
    }

    builder.add(...parts);
    return { body, wheels: dualRear ? 6 : 4, spoiler, roofRack, spareWheel, bumpers };
  },
};

