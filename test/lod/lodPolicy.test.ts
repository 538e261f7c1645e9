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

test('projected size shrinks with distance and grows with viewport height', () => {
  const near = projectedDiameterPixels(0.87, 3, 0.8, 720);
  const far = projectedDiameterPixels(0.87, 30, 0.8, 720);
  expect(near).toBeGreaterThan(far * 9);
  expect(projectedDiameterPixels(0.87, 3, 0.8, 1440)).toBeCloseTo(2 * near, 6);
});

test('bad policies are RangeErrors naming the field', () => {
  expect(() => resolveLodPolicy({ levels: [64, 32] })).toThrow(/lod\.levels/);
  expect(() => resolveLodPolicy({ pixelsPerCell: 0 })).toThrow(/lod\.pixelsPerCell/);
  expect(() => resolveLodPolicy({ hysteresis: 1 })).toThrow(/lod\.hysteresis/);
});
