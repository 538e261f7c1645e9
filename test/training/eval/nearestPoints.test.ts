/** The k-d tree nearest-point search behind the Chamfer distance equals a brute-force scan, bit for bit. */
import { createRandom } from '#core';
import { meanSquaredNearestDistance } from '../../../training/eval/nearestPoints.js';

function bruteForce(from: Float32Array, to: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < from.length / 3; i++) {
    const x = from[3 * i], y = from[3 * i + 1], z = from[3 * i + 2];
    let best = Infinity;
    for (let j = 0; j < to.length / 3; j++) {
      const dx = to[3 * j] - x, dy = to[3 * j + 1] - y, dz = to[3 * j + 2] - z;
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) best = d;
    }
    sum += best;
  }
  return sum / (from.length / 3);
}

function cloud(count: number, seed: number, map: (r: () => number) => [number, number, number]): Float32Array {
  const random = createRandom(seed);
  const out = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) out.set(map(random), 3 * i);
  return out;
}

const cube = (r: () => number): [number, number, number] => [r() - 0.5, r() - 0.5, r() - 0.5];
const sphere = (r: () => number): [number, number, number] => {
  const u = 2 * r() - 1, phi = 2 * Math.PI * r(), s = Math.sqrt(1 - u * u);
  return [0.4 * s * Math.cos(phi), 0.4 * s * Math.sin(phi), 0.4 * u];
};

test.each([
  ['overlapping clouds', cloud(2048, 1, cube), cloud(2048, 2, cube)],
  ['a sphere surface against a cube volume', cloud(2048, 3, sphere), cloud(1500, 4, cube)],
  ['sets far apart', cloud(300, 5, cube), cloud(700, 6, (r) => [r() + 5, r() - 3, r()])],
  ['a flat set with repeated points', cloud(500, 7, cube), cloud(400, 8, (r) => [Math.round(4 * r()) / 4, Math.round(4 * r()) / 4, 0])],
  ['a single point', cloud(50, 9, cube), Float32Array.from([0.1, 0.2, 0.3])],
])('%s: equal to the brute-force scan', (_, from, to) => {
  expect(meanSquaredNearestDistance(from, to)).toBe(bruteForce(from, to));
  expect(meanSquaredNearestDistance(to, from)).toBe(bruteForce(to, from));
});
