import { projectedDiameterPixels, resolveLodPolicy, selectLodLevel } from '../../src/lod/lodPolicy.js';

const policy = resolveLodPolicy({ levels: [32, 64, 128, 256], pixelsPerCell: 2, hysteresis: 0.15 });

test('picks the coarsest level whose cells are at most pixelsPerCell on screen', () => {
  expect(selectLodLevel(0, -1, policy)).toBe(0);
  expect(selectLodLevel(64, -1, policy)).toBe(0); // wants 32
  expect(selectLodLevel(100, -1, policy)).toBe(1); // wants 50
  expect(selectLodLevel(400, -1, policy)).toBe(3); // wants 200
  expect(selectLodLevel(5000, -1, policy)).toBe(3); // capped at the finest
});

test('hysteresis: a shape sitting at a boundary does not flap', () => {
  // Boundary between 32 and 64 is at 64 px (wants 32 cells). Jitter around it.
  let level = selectLodLevel(60, -1, policy);
  const seen = new Set<number>([level]);
  for (let frame = 0; frame < 200; frame++) {
    const pixels = 64 + 6 * Math.sin(frame * 0.7); // 58..70 px: within the +-15% band
    level = selectLodLevel(pixels, level, policy);
    seen.add(level);
  }
  expect([...seen]).toEqual([0]);
  // Clearly past the band it steps up, and clearly below it steps back down.
  level = selectLodLevel(80, level, policy);
  expect(level).toBe(1);
  for (let frame = 0; frame < 200; frame++) level = selectLodLevel(64 + 6 * Math.sin(frame * 0.7), level, policy);
  expect(level).toBe(1); // stays up inside the band
  expect(selectLodLevel(50, level, policy)).toBe(0);
});

test('big jumps go straight to the level wanted', () => {
  expect(selectLodLevel(1000, 0, policy)).toBe(3);
  expect(selectLodLevel(10, 3, policy)).toBe(0);
});

test('projected size: the sphere\'s angular diameter as a share of the vertical field of view, in pixels', () => {
  // A sphere of radius r at distance d subtends 2 asin(r / d); the viewport's height spans the fov.
  // r = 0.5, d = 1: asin(1/2) = pi/6, so the sphere spans pi/3, a third of a fov of pi: 240 of 720 px.
  expect(projectedDiameterPixels(0.5, 1, Math.PI, 720)).toBeCloseTo(240, 9);
  // r = d sin(pi/8): it spans pi/4, half of a pi/2 fov: 500 of 1000 px.
  expect(projectedDiameterPixels(10 * Math.sin(Math.PI / 8), 10, Math.PI / 2, 1000)).toBeCloseTo(500, 9);
  const near = projectedDiameterPixels(0.87, 3, 0.8, 720);
  expect(near).toBeCloseTo((2 * Math.asin(0.87 / 3) / 0.8) * 720, 9);
  expect(projectedDiameterPixels(0.87, 30, 0.8, 720)).toBeCloseTo((2 * Math.asin(0.87 / 30) / 0.8) * 720, 9);
  expect(projectedDiameterPixels(0.87, 3, 0.8, 1440)).toBeCloseTo(2 * near, 9);
  // The camera inside or touching the sphere: as fine as allowed (four viewport heights).
  expect(projectedDiameterPixels(1, 1, 0.8, 720)).toBe(2880);
  expect(projectedDiameterPixels(1, 0.5, 0.8, 720)).toBe(2880);
});

test('bad policies are RangeErrors naming the field', () => {
  expect(() => resolveLodPolicy({ levels: [64, 32] })).toThrow(/lod\.levels/);
  expect(() => resolveLodPolicy({ pixelsPerCell: 0 })).toThrow(/lod\.pixelsPerCell/);
  expect(() => resolveLodPolicy({ hysteresis: 1 })).toThrow(/lod\.hysteresis/);
});
