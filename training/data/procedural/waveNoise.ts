/**
 * Smooth seeded 3D noise for organic surfaces (rocks, foliage): a sum of random plane waves with
 * amplitudes falling as 1/frequency, which reads like fractal noise at the scales a 64^3 grid keeps
 * and needs no lattice or permutation table.
 */
import type { ShapeRandom } from './shapeRandom.js';

/** A noise function of a point; values roughly in [-1, 1]. */
export type Noise3 = (x: number, y: number, z: number) => number;

/** Draws `waves` plane waves, the first at `frequency` (cycles per unit), each next about 1.3x higher. */
export function createWaveNoise(random: ShapeRandom, frequency: number, waves = 10): Noise3 {
  const table: number[] = [];
  let amplitudeSum = 0;
  for (let k = 0; k < waves; k++) {
    const z = random.range(-1, 1), a = random.range(0, 2 * Math.PI);
    const s = Math.sqrt(1 - z * z);
    const f = 2 * Math.PI * frequency * 1.3 ** k * random.range(0.85, 1.15);
    const amplitude = 1 / 1.3 ** k;
    amplitudeSum += amplitude;
    table.push(f * s * Math.cos(a), f * s * Math.sin(a), f * z, random.range(0, 2 * Math.PI), amplitude);
  }
  const norm = 1.6 / amplitudeSum;
  return (x, y, z) => {
    let v = 0;
    for (let i = 0; i < table.length; i += 5) v += table[i + 4] * Math.sin(table[i] * x + table[i + 1] * y + table[i + 2] * z + table[i + 3]);
    return v * norm;
  };
}
