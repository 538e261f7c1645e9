/**
 * A 2D decoder (`pointSize: 2`, the paper's digit experiments) is the same architecture with two
 * coordinate rows: its layer shapes, the float64 reference computed by hand, the tfjs evaluator and
 * ImNetDecoder's occupancy all take xy pairs; 3D stays the default for weights without the field.
 */
import { quietTf } from '../support/backends.js';
import { decoderLayerShapes, pointSizeOf, validateArchitecture, type ImNetArchitecture } from '../../src/decoder/architecture.js';
import { randomDecoderWeights } from '../../src/decoder/weights.js';
import { referenceDecode } from '../../src/decoder/reference.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';

quietTf();

const digits2d: ImNetArchitecture = { latentSize: 5, hiddenSizes: [16, 12, 8, 6, 4], outputActivation: 'sigmoid', skipConnections: true, leakySlope: 0.02, pointSize: 2 };

describe('pointSize: 2', () => {
  test('layer 0 and the skip layers have two coordinate rows; 3D is the default', () => {
    const shapes = decoderLayerShapes(digits2d);
    expect(shapes.map((s) => s.pointRows)).toEqual([2, 2, 2, 2, 2, 0]);
    expect(shapes[1]).toEqual({ previousRows: 16, pointRows: 2, latentRows: 5, units: 12 });
    const { pointSize: _, ...without } = digits2d;
    expect(pointSizeOf(without)).toBe(3);
    expect(decoderLayerShapes(without)[0].pointRows).toBe(3);
  });

  test('a point size other than 2 or 3 is a RangeError naming the field', () => {
    expect(() => validateArchitecture({ ...digits2d, pointSize: 4 as 2 })).toThrow(/pointSize: expected 2 \(x, y\) or 3/);
  });

  test('the reference decodes xy pairs: one layer computed by hand', () => {
    const arch: ImNetArchitecture = { latentSize: 1, hiddenSizes: [1], outputActivation: 'clip', skipConnections: false, leakySlope: 0.5, pointSize: 2 };
    // Layer 0 rows [x, y, latent]: h = leaky(2x - y + 3 latent + 0.1); out = clip(h + 0.2).
    const weights = { architecture: arch, layers: [
      { kernel: Float32Array.from([2, -1, 3]), bias: Float32Array.from([0.1]) },
      { kernel: Float32Array.from([1]), bias: Float32Array.from([0.2]) },
    ] };
    const out = referenceDecode(weights, [0.1], [0.1, 0.2, -0.3, 0.1]);
    expect(out[0]).toBeCloseTo(0.2 - 0.2 + 0.3 + 0.1 + 0.2, 6);
    expect(out[1]).toBeCloseTo(0.5 * (-0.6 - 0.1 + 0.3 + 0.1) + 0.2, 6);
  });

  test('ImNetDecoder evaluates xy pairs on tfjs as the reference does, and rejects odd lengths', async () => {
    const weights = randomDecoderWeights(digits2d, 3);
    const decoder = ImNetDecoder.fromModel({
      category: 'digits', preset: null, architecture: digits2d, isoLevel: 0.5, decoder: weights,
      trainLatents: [Float32Array.from([0.1, 0.9, 0.4, 0.3, 0.7])], testLatents: [], generator: null,
    });
    expect(decoder.pointSize).toBe(2);
    const points = Float32Array.from({ length: 2 * 50 }, (_, i) => ((i * 37) % 100) / 100 - 0.5);
    const got = await decoder.evaluate(decoder.latents[0], points, { backend: 'cpu' });
    const want = referenceDecode(weights, decoder.latents[0].values, points);
    expect(got.length).toBe(50);
    for (let i = 0; i < 50; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-5);
    await expect(decoder.evaluate(decoder.latents[0], new Float32Array(5), { backend: 'cpu' })).rejects.toThrow(/expected xy pairs, got 5 values/);
    decoder.dispose();
  });
});
