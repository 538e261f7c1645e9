import { readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { quietTf } from '../support/backends.js';
import { randomModel, writeModel, TINY } from '../support/fixtures.js';
import { AbortError, ForeignLatentError, ImNetDecoder, MAX_SAMPLE_SEED } from '../../src/ImNetDecoder.js';
import { WeightsFormatError, bytesPerValue, elementCount, type WeightsManifest } from '../../src/weights/format.js';
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

  test('float16 conversion stays within half an ulp, through subnormals and overflow', () => {
    for (const v of [0, 1, -2.5, 0.1, 65504, 6.1e-5, 3e-7, -1e-8]) {
      expect(Math.abs(fromFloat16Bits(toFloat16Bits(v)) - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11 + 2 ** -25);
    }
    expect(fromFloat16Bits(toFloat16Bits(1e6))).toBe(Infinity);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });

  test('float16 rounds to nearest, ties to even (IEEE 754), bit for bit', () => {
    // float16 has 10 mantissa bits: near 1 its ulp is 2^-10, so 1 + 2^-11 is exactly halfway.
    const cases: [string, number, number][] = [
      ['halfway, down to the even 1', 1 + 2 ** -11, 0x3c00],
      ['halfway, up to the even 1 + 2^-9', 1 + 3 * 2 ** -11, 0x3c02],
      ['just above halfway: up', 1 + 2 ** -11 + 2 ** -20, 0x3c01],
      ['just below halfway: down', 1 + 2 ** -11 - 2 ** -20, 0x3c00],
      ['negative halfway: to even, not away from zero', -(1 + 2 ** -11), 0xbc00],
      ['subnormal halfway between 0 and 2^-24: to 0', 2 ** -25, 0x0000],
      ['subnormal halfway between 2^-24 and 2^-23: to 2^-23', 3 * 2 ** -25, 0x0002],
      ['subnormal just above halfway: up', 2 ** -25 + 2 ** -40, 0x0001],
      ['65519 rounds down to the largest finite, 65504', 65519, 0x7bff],
      ['65520 is halfway to 65536: to even, which overflows', 65520, 0x7c00],
    ];
    for (const [what, value, bits] of cases) expect({ what, bits: toFloat16Bits(value) }).toEqual({ what, bits });
  });
});

describe('bad weights give an error naming the file and the field', () => {
  const good = () => writeModel(randomModel({ architecture: TINY }));

  test('missing manifest: a WeightsFormatError naming the file', async () => {
    const error = await ImNetDecoder.load('/nonexistent/model.json').catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect(error.name).toBe('WeightsFormatError');
    expect(error.file).toBe('/nonexistent/model.json');
    expect(error.field).toBe('(file)');
    expect(error.message).toBe('/nonexistent/model.json: (file): file not found');
  });

  test('missing binary: a WeightsFormatError naming the file and the manifest field that lists it', async () => {
    const path = good();
    unlinkSync(join(dirname(path), 'weights.bin'));
    const error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect(error.file).toBe(join(dirname(path), 'weights.bin'));
    expect(error.field).toBe('weightsManifest[0].paths[0]');
    expect(error.message).toMatch(/file not found$/);
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
    const error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect({ file: error.file, field: error.field }).toEqual({ file: path, field: 'decoder/dense1/kernel.shape' });
    expect(error.message).toMatch(/decoder\/dense1\/kernel\.shape: expected \[32, 33\]/);
  });

  test('a weight missing from the manifest', async () => {
    const path = good();
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.weightsManifest[0].weights = manifest.weightsManifest[0].weights.filter((w: { name: string }) => w.name !== 'decoder/dense2/bias');
    writeFileSync(path, JSON.stringify(manifest));
    const error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect({ file: error.file, field: error.field }).toEqual({ file: path, field: 'decoder/dense2/bias' });
    expect(error.message).toMatch(/decoder\/dense2\/bias: missing from weightsManifest/);
  });

  test('corrupt JSON, wrong format version, bad architecture field', async () => {
    const path = good();
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    const cases: [string, string, RegExp][] = [
      ['{"format": "babylon-imnet", ', '(root)', /model\.json: \(root\): not valid JSON/],
      [JSON.stringify({ ...manifest, formatVersion: 99 }), 'formatVersion', /formatVersion: expected 1, got 99/],
      [JSON.stringify({ ...manifest, architecture: { ...manifest.architecture, outputActivation: 'relu' } }), 'architecture', /architecture: .*outputActivation/],
    ];
    for (const [text, field, message] of cases) {
      writeFileSync(path, text);
      const error = await ImNetDecoder.load(path).catch((e) => e);
      expect(error).toBeInstanceOf(WeightsFormatError);
      expect({ file: error.file, field: error.field }).toEqual({ file: path, field });
      expect(error.message).toMatch(message);
    }
  });

  test('non-finite weights are rejected', async () => {
    const model = randomModel({ architecture: TINY });
    model.decoder.layers[1].bias[3] = NaN;
    const path = writeModel(model);
    const error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect({ file: error.file, field: error.field }).toEqual({ file: join(dirname(path), 'weights.bin'), field: 'decoder/dense1/bias' });
    expect(error.message).toMatch(/value 3 is NaN/);
  });
});

describe('multi-shard manifests', () => {
  /**
   * The single-file model re-laid as two groups: the decoder's weights in `decoder.bin`, the rest
   * (latents, generator) in a second group split over three shard files at arbitrary byte offsets.
   */
  function writeSharded(): { path: string; model: ReturnType<typeof randomModel> } {
    const model = randomModel({ architecture: TINY, latents: 5, testLatents: 2, generator: true, seed: 9 });
    const path = writeModel(model);
    const dir = dirname(path);
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as WeightsManifest;
    const bin = readFileSync(join(dir, 'weights.bin'));
    const weights = manifest.weightsManifest[0].weights;
    const split = weights.findIndex((w) => !w.name.startsWith('decoder/'));
    const firstBytes = weights.slice(0, split).reduce((n, w) => n + elementCount(w.shape) * bytesPerValue(w), 0);
    const rest = bin.subarray(firstBytes);
    const cuts = [0, 1001, 2 * Math.floor(rest.length / 3) + 3, rest.length];
    writeFileSync(join(dir, 'decoder.bin'), bin.subarray(0, firstBytes));
    cuts.slice(1).forEach((end, i) => writeFileSync(join(dir, `rest-${i}.bin`), rest.subarray(cuts[i], end)));
    unlinkSync(join(dir, 'weights.bin'));
    manifest.weightsManifest = [
      { paths: ['decoder.bin'], weights: weights.slice(0, split) },
      { paths: ['rest-0.bin', 'rest-1.bin', 'rest-2.bin'], weights: weights.slice(split) },
    ];
    writeFileSync(path, JSON.stringify(manifest));
    return { path, model };
  }

  test('groups and shards are concatenated in order: every value comes back bit-exact', async () => {
    const { path, model } = writeSharded();
    const decoder = await ImNetDecoder.load(path);
    decoder.weights.decoder.layers.forEach((layer, i) => {
      expect(maxDiff(layer.kernel, model.decoder.layers[i].kernel)).toBe(0);
      expect(maxDiff(layer.bias, model.decoder.layers[i].bias)).toBe(0);
    });
    expect(decoder.latents).toHaveLength(5);
    model.trainLatents.forEach((l, i) => expect(maxDiff(decoder.latents[i].values, l)).toBe(0));
    model.testLatents.forEach((l, i) => expect(maxDiff(decoder.testLatents[i].values, l)).toBe(0));
    decoder.weights.generator!.layers.forEach((layer, i) => {
      expect(maxDiff(layer.kernel, model.generator!.layers[i].kernel)).toBe(0);
      expect(maxDiff(layer.bias, model.generator!.layers[i].bias)).toBe(0);
    });
    decoder.dispose();
  });

  test('a missing shard names itself and its place in the manifest; a short one names its group', async () => {
    const { path } = writeSharded();
    const dir = dirname(path);
    const middle = readFileSync(join(dir, 'rest-1.bin'));
    unlinkSync(join(dir, 'rest-1.bin'));
    let error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect({ file: error.file, field: error.field }).toEqual({ file: join(dir, 'rest-1.bin'), field: 'weightsManifest[1].paths[1]' });
    writeFileSync(join(dir, 'rest-1.bin'), middle.subarray(4));
    error = await ImNetDecoder.load(path).catch((e) => e);
    expect(error).toBeInstanceOf(WeightsFormatError);
    expect({ file: error.file, field: error.field }).toEqual({ file: join(dir, 'rest-0.bin+rest-1.bin+rest-2.bin'), field: 'byteLength' });
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
    for (let i = 0; i < a.values.length; i++) expect(mid.values[i]).toBeCloseTo(0.75 * a.values[i] + 0.25 * b.values[i], 6);
    expect(Array.from(decoder.interpolate(a, b, 0).values)).toEqual(Array.from(a.values));
    expect(Array.from(decoder.interpolate(a, b, 1).values)).toEqual(Array.from(b.values));
    expect(Array.from(decoder.sample(5).values)).toEqual(Array.from(decoder.sample(5).values));
    expect(Array.from(decoder.sample(5).values)).not.toEqual(Array.from(decoder.sample(6).values));
    for (const v of decoder.sample(9).values) expect(v >= 0 && v <= 1).toBe(true);
    const plain = ImNetDecoder.fromModel(randomModel({ architecture: TINY }));
    expect(() => plain.sample(1)).toThrow(/no latent GAN generator/);
    decoder.dispose();
    plain.dispose();
  });

  test('interpolate accepts t in [0, 1] only: a RangeError naming t otherwise', () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY }));
    const [a, b] = decoder.latents;
    for (const t of [2, -0.1, 1.0000001, NaN, Infinity, -Infinity]) {
      const error = (() => { try { decoder.interpolate(a, b, t); } catch (e) { return e as Error; } })();
      expect(error).toBeInstanceOf(RangeError);
      expect(error!.message).toBe(`interpolate: t is ${t}; expected a number in [0, 1]`);
    }
    expect(() => decoder.interpolate(a, b, '0.5' as unknown as number)).toThrow(RangeError);
    decoder.dispose();
  });

  test('sample accepts unsigned 32-bit integer seeds only: a RangeError naming the seed otherwise', () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, generator: true }));
    expect(decoder.sample(0).label).toBe('sample(0)');
    expect(decoder.sample(MAX_SAMPLE_SEED).label).toBe('sample(4294967295)');
    // Each of these would otherwise wrap or truncate onto another seed's shape (-1 onto 2^32 - 1, 1.5 onto 1).
    for (const seed of [-1, 1.5, 2 ** 32, NaN, Infinity, -0.5]) {
      const error = (() => { try { decoder.sample(seed); } catch (e) { return e as Error; } })();
      expect(error).toBeInstanceOf(RangeError);
      expect(error!.message).toBe(`sample: seed is ${seed}; expected an integer in [0, 4294967295]`);
    }
    expect(() => decoder.sample('3' as unknown as number)).toThrow(RangeError);
    decoder.dispose();
  });

  test('a latent of another decoder is a ForeignLatentError naming both decoders', () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, category: 'chair' }), 'memory://chair');
    const other = ImNetDecoder.fromModel(randomModel({ architecture: TINY, category: 'vase' }));
    const uses: [string, () => unknown][] = [
      ['interpolate', () => decoder.interpolate(decoder.latents[0], other.latents[1], 0.5)],
      ['createOccupancy', () => decoder.createOccupancy(other.latents[1])],
      ['assertOwn', () => decoder.assertOwn(other.latents[1])],
    ];
    for (const [what, use] of uses) {
      const error = (() => { try { use(); } catch (e) { return e as ForeignLatentError; } })();
      expect({ what, isForeign: error instanceof ForeignLatentError }).toEqual({ what, isForeign: true });
      expect({ name: error!.name, latentLabel: error!.latentLabel, latentCategory: error!.latentCategory, expectedCategory: error!.expectedCategory })
        .toEqual({ name: 'ForeignLatentError', latentLabel: 'train[1]', latentCategory: 'vase', expectedCategory: 'chair' });
      expect(error!.message).toMatch(/'train\[1\]' belongs to the vase decoder, not to this chair decoder \(memory:\/\/chair\)$/);
    }
    decoder.dispose();
    other.dispose();
  });
});

describe('a disposed decoder', () => {
  test('evaluate() and createOccupancy() reject with an AbortError; evaluators made before reject too', async () => {
    const decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY }));
    const latent = decoder.latents[0];
    const points = new Float32Array([0, 0, 0, 0.1, 0.2, 0.3]);
    const before = decoder.createOccupancy(latent, { backend: 'cpu' });
    expect(await decoder.evaluate(latent, points, { backend: 'cpu' })).toHaveLength(2);
    decoder.dispose();
    for (const attempt of [() => decoder.evaluate(latent, points, { backend: 'cpu' }), () => before.evaluate(points)]) {
      const error = await attempt().catch((e) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect(error.name).toBe('AbortError');
    }
    expect(() => decoder.createOccupancy(latent)).toThrow(AbortError);
  });
});
