/**
 * `decoder.sample(seed)` is the same shape for the same seed everywhere (README): the noise a seed
 * stands for and the latent a tiny generator makes of it are pinned to numbers computed without this
 * repository's code, by test/decoder/goldenSample.py (mulberry32, Box-Muller and IM-GAN's generator
 * re-implemented in Python float64 from their definitions; the generator's weights come from the same
 * integer formulas here and there). Python's libm and V8's may differ in the last bit of log/cos/exp,
 * hence the tolerances: far below any change of seeding, noise or network.
 */
import { generateLatent, noiseForSeed, type GeneratorWeights } from '../../src/decoder/generator.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { randomModel } from '../support/fixtures.js';

const NOISE = 4;
const HIDDEN = [5];
const LATENT = 3;

/** Printed by `python3 test/decoder/goldenSample.py`. */
const GOLDEN: Record<number, { noise: number[]; latent: number[] }> = {
  0: { noise: [0.7417653514567625, 1.3048697028945047, -0.1457991595662962, -0.2199800452891266], latent: [0.4766014731507504, 0.6148935981906299, 0.4448684783960958] },
  1: { noise: [-0.2679644741065035, -1.7069744927804573, -0.7319264806030734, -0.854175748150517], latent: [0.4272097577554677, 0.5596877956285589, 0.5806637856976353] },
  7: { noise: [-1.4334240242784855, 1.0707846387191051, 0.20996792459552166, 1.5542227657141379], latent: [0.6869728828579645, 0.3884765476861132, 0.41220384932425014] },
  123456789: { noise: [-0.6442022361294704, -1.3600571811102464, -0.228544191120474, 0.8823658546348164], latent: [0.49013756295849314, 0.4742017804016183, 0.5214496379166912] },
  4294967295: { noise: [-3.0202884490664785, -0.6995786378541602, 1.9107493580414137, -0.5904256954562387], latent: [0.39590122112174403, 0.6244224959573184, 0.6492566145590626] },
};

/** The generator goldenSample.py defines: weights from small integer formulas, exact in float32. */
function formulaGenerator(): GeneratorWeights {
  const widths = [NOISE, ...HIDDEN, LATENT];
  return {
    noiseSize: NOISE, hiddenSizes: HIDDEN, leakySlope: 0.02,
    layers: widths.slice(1).map((units, layer) => {
      const rows = widths[layer];
      const kernel = new Float32Array(rows * units);
      for (let i = 0; i < rows; i++) for (let j = 0; j < units; j++) kernel[i * units + j] = (((layer * 31 + i * 7 + j * 3) % 11) - 5) / 8;
      const bias = Float32Array.from({ length: units }, (_, j) => (((layer + j * 5) % 7) - 3) / 16);
      return { kernel, bias };
    }),
  };
}

const seeds = Object.keys(GOLDEN).map(Number);

test.each(seeds)('seed %d: the noise is the independently computed one', (seed) => {
  const noise = noiseForSeed(NOISE, seed);
  GOLDEN[seed].noise.forEach((v, i) => expect(Math.abs(noise[i] - v)).toBeLessThan(1e-12));
});

test.each(seeds)('seed %d: sample(seed) is the golden latent, through the generator and the decoder API', (seed) => {
  const direct = generateLatent(formulaGenerator(), noiseForSeed(NOISE, seed));
  const decoder = ImNetDecoder.fromModel({ ...randomModel({ architecture: { latentSize: LATENT, hiddenSizes: [4], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 } }), generator: formulaGenerator() });
  const sampled = decoder.sample(seed);
  // float32 storage of a float64 value: within half an ulp (2^-25 near 0.5), one ulp for libm noise.
  GOLDEN[seed].latent.forEach((v, i) => {
    expect(Math.abs(direct[i] - v)).toBeLessThan(2 ** -23);
    expect(sampled.values[i]).toBe(direct[i]);
  });
  expect(sampled.label).toBe(`sample(${seed})`);
  decoder.dispose();
});
