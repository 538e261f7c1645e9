import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { quietTf } from '../support/backends.js';
import { randomModel, writeModel, TINY } from '../support/fixtures.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { WeightsFormatError } from '../../src/weights/format.js';
import { fromFloat16Bits, toFloat16Bits } from '../../src/weights/float16.js';

quietTf();

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('weights format round trip', () => {
  test('float32: every decoder weight, latent and generator weight comes back bit-exact', async () => {
    const model = randomModel({ architecture: TINY, latents: 4, testLatents: 2, generator: true });
    const decoder = await ImNetDecoder.load(writeModel(model));
    expect(decoder.category).toBe('random');
    expect(decoder.latents).toHaveLength(4);
    expect(decoder.testLatents).toHaveLength(2);
    expect(decoder.hasGenerator).toBe(true);
    decoder.weights.decoder.layers.forEach((layer, i) => {
      expect(maxDiff(layer.kernel, model.decoder.layers[i].kernel)).toBe(0);
      expect(maxDiff(layer.bias, model.decoder.layers[i].bias)).toBe(0);
    });
    expect(maxDiff(decoder.latents[3].values, model.trainLatents[3])).toBe(0);
    expect(maxDiff(decoder.weights.generator!.layers[1].kernel, model.generator!.layers[1].kernel)).toBe(0);
    decoder.dispose();
  });

  test('float16: half the bytes, values within float16 precision', async () => {
    const model = randomModel({ architecture: TINY, latents: 4 });
    const path32 = writeModel(model);
    const path16 = writeModel(model, { float16: true });
    const size = (p: string) => readFileSync(join(dirname(p), 'weights.bin')).byteLength;
    expect(size(path16) * 2).toBe(size(path32));
    const decoder = await ImNetDecoder.load(path16);
    const k = decoder.weights.decoder.layers[0].kernel;
    const original = model.decoder.layers[0].kernel;
    for (let i = 0; i < k.length; i++) expect(Math.abs(k[i] - original[i])).toBeLessThanOrEqual(Math.abs(original[i]) * 2 ** -11 + 1e-7);
    decoder.dispose();
  });

  test('float16 conversion handles rounding, subnormals, overflow', () => {
    for (const v of [0, 1, -2.5, 0.1, 65504, 6.1e-5, 3e-7, -1e-8]) {
      expect(Math.abs(fromFloat16Bits(toFloat16Bits(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Infinity);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });
});

describe('bad weights give an error naming the file and the field', () => {
  const good = () => writeModel(randomModel({ architecture: TINY }));

  test('missing manifest', async () => {
    await expect(ImNetDecoder.load('/nonexistent/model.json')).rejects.toThrow(/\/nonexistent\/model\.json: file not found/);
  });

  test('missing binary', async () => {
    const path = good();
    unlinkSync(join(dirname(path), 'weights.bin'));
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/weights\.bin: file not found/);
  });

  test('truncated binary', async () => {
    const path = good();
    const bin = join(dirname(path), 'weights.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 1000));
    const error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect(error.file).toMatch(/weights\.bin$/);
    expect(error.field).toBe('byteLength');
    expect(error.message).toMatch(/holds 1000 bytes/);
  });

  test('a tensor shape that disagrees with the architecture', async () => {
    const path = good();
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.architecture.hiddenSizes[1] = 33;
    writeFileSync(path, JSON.stringify(manifest));
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/decoder\/dense1\/kernel\.shape: expected \[32, 33\]/);
  });

  test('a weight missing from the manifest', async () => {
    const path = good();
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.weightsManifest[0].weights = manifest.weightsManifest[0].weights.filter((w: { name: string }) => w.name !== 'decoder/dense2/bias');
    writeFileSync(path, JSON.stringify(manifest));
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/decoder\/dense2\/bias: missing from weightsManifest/);
  });

  test('corrupt JSON, wrong format version, bad architecture field', async () => {
    const path = good();
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, '{"format": "babylon-imnet", ');
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/model\.json: \(root\): not valid JSON/);
    writeFileSync(path, JSON.stringify({ ...manifest, formatVersion: 99 }));
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/formatVersion: expected 1, got 99/);
    writeFileSync(path, JSON.stringify({ ...manifest, architecture: { ...manifest.architecture, outputActivation: 'relu' } }));
    await expect(ImNetDecoder.load(path)).rejects.toThrow(/architecture: .*outputActivation/);
  });

  test('non-finite weights are rejected', async () => {
    const model = randomModel({ architecture: TINY });
    model.decoder.layers[1].bias[3] = NaN;
    await expect(ImNetDecoder.load(writeModel(model))).rejects.toThrow(/decoder\/dense1\/bias: value 3 is NaN/);
  });
});

describe('latent codes', () => {
  test('wrong length or non-finite values are RangeErrors naming the expected length', async () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY }));
    expect(() => decoder.latent(new Float32Array(7))).toThrow(new RangeError("latent 'custom' has 7 values; the random decoder expects 8"));
    expect(() => decoder.latent([0, 0, 0, NaN, 0, 0, 0, 0])).toThrow(/value 3 is NaN; the random decoder expects 8 finite numbers/);
    expect(() => decoder.latent([0, 0, 0, 0, 0, 0, 0, Infinity])).toThrow(RangeError);
    decoder.dispose();
  });

  test('interpolate blends, sample is deterministic per seed and needs a generator', () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, generator: true }));
    const [a, b] = decoder.latents;
    const mid = decoder.interpolate(a, b, 0.25);
    expect(mid.values[2]).toBeCloseTo(0.75 * a.values[2] + 0.25 * b.values[2], 6);
    expect(Array.from(decoder.sample(5).values)).toEqual(Array.from(decoder.sample(5).values));
    expect(Array.from(decoder.sample(5).values)).not.toEqual(Array.from(decoder.sample(6).values));
    for (const v of decoder.sample(9).values) expect(v >= 0 && v <= 1).toBe(true);
    const plain = ImNetDecoder.fromModel(randomModel({ architecture: TINY }));
    expect(() => plain.sample(1)).toThrow(/no latent GAN generator/);
    expect(() => plain.interpolate(a, plain.latents[0], 0.5)).toThrow(/belongs to the random decoder/);
    decoder.dispose();
    plain.dispose();
  });
});
