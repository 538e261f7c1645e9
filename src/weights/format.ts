/**
 * The weights format, version 1: a JSON manifest plus binary shards, following the tfjs
 * weights-manifest conventions (`weightsManifest: [{ paths, weights: [{ name, shape, dtype, quantization? }] }]`,
 * shards concatenated in order, little-endian). See README "Weights format".
 */
import { type ImNetArchitecture, type PresetName, validateArchitecture } from '../decoder/architecture.js';

/** The `format` field of every manifest this package reads and writes. */
export const WEIGHTS_FORMAT = 'babylon-imnet';
/** The `formatVersion` this package reads and writes. */
export const WEIGHTS_FORMAT_VERSION = 1;

/** One tensor in a shard: float32 on disk, or float16 when `quantization.dtype` says so. */
export interface WeightEntry {
  /** The tensor's name, e.g. `decoder/dense0/kernel`. */
  name: string;
  /** The tensor's shape; kernels are `[inputs, units]`. */
  shape: number[];
  /** The tensor's type once decoded. */
  dtype: 'float32';
  /** Present when the bytes are stored as float16. */
  quantization?: {
    /** The stored type. */
    dtype: 'float16';
  };
}

/** A group of tensors packed in manifest order into one or more binary files. */
export interface WeightsGroup {
  /** Binary files, relative to the manifest; their bytes are concatenated in order. */
  paths: string[];
  /** The tensors, in the order their bytes follow each other. */
  weights: WeightEntry[];
}

/** The latent GAN generator: noise -> hidden (LeakyReLU) -> latent (sigmoid), as in IM-GAN. */
export interface GeneratorSpec {
  /** Length of the standard-normal noise vector. */
  noiseSize: number;
  /** Widths of the hidden layers. */
  hiddenSizes: number[];
  /** Negative slope of the hidden layers' LeakyReLU. */
  leakySlope: number;
}

/** The JSON manifest of a weights folder (`model.json`); README "Weights format" describes it. */
export interface WeightsManifest {
  /** Always {@link WEIGHTS_FORMAT}. */
  format: typeof WEIGHTS_FORMAT;
  /** {@link WEIGHTS_FORMAT_VERSION} for files this version writes. */
  formatVersion: number;
  /** The category the decoder models, e.g. `chair`. */
  category: string;
  /** The preset the architecture came from, when it came from one. */
  preset?: PresetName | null;
  /** The decoder's architecture. */
  architecture: ImNetArchitecture;
  /** Shapes live in the axis-aligned box [min, max]^3; y is up. */
  coordinates: {
    /** Lower corner on every axis (-0.5). */
    min: number;
    /** Upper corner on every axis (0.5). */
    max: number;
    /** The up axis. */
    upAxis: 'y';
  };
  /** Occupancy at which the surface lies. */
  isoLevel: number;
  /** Weight names of the latent tables (`[count, latentSize]`). */
  latents: {
    /** The training shapes' codes. */
    train: string;
    /** Held-out shapes' codes, when the run kept some. */
    test?: string;
  };
  /** The latent GAN's generator, or null when the weights carry none. */
  generator?: GeneratorSpec | null;
  /** Where every tensor's bytes are. */
  weightsManifest: WeightsGroup[];
  /** Free-form: how these weights were produced. */
  provenance?: Record<string, unknown>;
}

/** A weights file that is missing, truncated or disagrees with itself. Names the file and the field. */
export class WeightsFormatError extends Error {
  /** Always `WeightsFormatError`. */
  override readonly name = 'WeightsFormatError';
  /**
   * @param file the manifest or binary file at fault.
   * @param field the manifest field or tensor name at fault.
   * @param message what was expected and what came.
   */
  constructor(readonly file: string, readonly field: string, message: string) {
    super(`${file}: ${field}: ${message}`);
  }
}

export function bytesPerValue(entry: WeightEntry): number {
  return entry.quantization?.dtype === 'float16' ? 2 : 4;
}

export function elementCount(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Validates a parsed manifest's structure; throws WeightsFormatError naming the field. */
export function validateManifest(json: unknown, file: string): WeightsManifest {
  const fail = (field: string, message: string): never => { throw new WeightsFormatError(file, field, message); };
  if (!json || typeof json !== 'object') fail('(root)', 'expected a JSON object');
  const m = json as Record<string, unknown>;
  if (m.format !== WEIGHTS_FORMAT) fail('format', `expected "${WEIGHTS_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.formatVersion !== WEIGHTS_FORMAT_VERSION) {
    fail('formatVersion', `expected ${WEIGHTS_FORMAT_VERSION}, got ${JSON.stringify(m.formatVersion)} (a newer babylon-imnet may read it)`);
  }
  if (typeof m.category !== 'string' || m.category.length === 0) fail('category', 'expected a non-empty string');
  try {
    validateArchitecture(m.architecture as ImNetArchitecture, 'architecture');
  } catch (error) {
    fail('architecture', (error as Error).message);
  }
  const c = m.coordinates as WeightsManifest['coordinates'] | undefined;
  if (!c || typeof c.min !== 'number' || typeof c.max !== 'number' || !(c.min < c.max)) {
    fail('coordinates', `expected { min, max, upAxis } with min < max, got ${JSON.stringify(c)}`);
  }
  if (typeof m.isoLevel !== 'number' || !Number.isFinite(m.isoLevel)) fail('isoLevel', `expected a finite number, got ${JSON.stringify(m.isoLevel)}`);
  const latents = m.latents as WeightsManifest['latents'] | undefined;
  if (!latents || typeof latents.train !== 'string') fail('latents.train', 'expected the name of the training latent table');
  const g = m.generator as GeneratorSpec | null | undefined;
  if (g != null) {
    if (!Number.isInteger(g.noiseSize) || g.noiseSize < 1) fail('generator.noiseSize', `expected a positive integer, got ${JSON.stringify(g.noiseSize)}`);
    if (!Array.isArray(g.hiddenSizes) || !g.hiddenSizes.every((n) => Number.isInteger(n) && n > 0)) fail('generator.hiddenSizes', 'expected an array of positive integers');
    if (typeof g.leakySlope !== 'number') fail('generator.leakySlope', 'expected a number');
  }
  if (!Array.isArray(m.weightsManifest) || m.weightsManifest.length === 0) fail('weightsManifest', 'expected a non-empty array of { paths, weights }');
  (m.weightsManifest as WeightsGroup[]).forEach((group, g) => {
    if (!Array.isArray(group.paths) || group.paths.length === 0 || !group.paths.every((p) => typeof p === 'string')) {
      fail(`weightsManifest[${g}].paths`, 'expected a non-empty array of file names');
    }
    if (!Array.isArray(group.weights)) fail(`weightsManifest[${g}].weights`, 'expected an array');
    group.weights.forEach((w, i) => {
      const field = `weightsManifest[${g}].weights[${i}]`;
      if (typeof w.name !== 'string') fail(`${field}.name`, 'expected a string');
      if (!Array.isArray(w.shape) || !w.shape.every((n) => Number.isInteger(n) && n >= 0)) fail(`${w.name}.shape`, `expected non-negative integers, got ${JSON.stringify(w.shape)}`);
      if (w.dtype !== 'float32') fail(`${w.name}.dtype`, `expected "float32" (optionally quantization float16), got ${JSON.stringify(w.dtype)}`);
      if (w.quantization !== undefined && w.quantization.dtype !== 'float16') fail(`${w.name}.quantization`, `expected { dtype: "float16" }, got ${JSON.stringify(w.quantization)}`);
    });
  });
  return m as unknown as WeightsManifest;
}
