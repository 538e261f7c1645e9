/**
 * A loaded category model: its decoder, its latent codes and (optionally) its latent GAN. Evaluates
 * occupancy for batches of points on the chosen tfjs backend.
 */
import * as tf from '@tensorflow/tfjs';
import { pointSizeOf, type ImNetArchitecture, type PresetName } from './decoder/architecture.js';
import { generateLatent, noiseForSeed } from './decoder/generator.js';
import { activateBackend, runExclusive, type BackendName } from './evaluate/backend.js';
import { FoldedLatent, TfDecoder } from './evaluate/tfDecoder.js';
import type { OccupancyFunction } from './extract/types.js';
import { LatentCode } from './LatentCode.js';
import { validateDecoderWeights } from './decoder/weights.js';
import { loadModel, type ImNetModel } from './weights/model.js';
import { resolveWeightsSource, setWeightsBaseUrl, SHIPPED_CATEGORIES, weightsBaseUrl, type ShippedCategory } from './shippedWeights.js';

/** A per-shape occupancy function plus the tensors it holds; `dispose()` frees them. */
export interface OccupancyEvaluator {
  /** Batched occupancy for this latent: xyz triples (xy pairs for a 2D decoder) in, values in [0, 1] (about) out. */
  readonly evaluate: OccupancyFunction;
  /** The tfjs backend that ran the last batch (`undefined` before the first). */
  readonly backend: string | undefined;
  /** Frees the latent's tensors; later calls reject with an AbortError. */
  dispose(): void;
}

/** Options for evaluating a decoder. */
export interface EvaluateOptions {
  /** tfjs backend: `auto` (default) picks the fastest that initialises; naming one forces it. */
  backend?: BackendName;
}

/** Thrown by work cancelled through `dispose()` or an AbortSignal, and by a disposed decoder asked to evaluate. */
export class AbortError extends Error {
  /** Always `AbortError`, as for a DOM AbortSignal's abort. */
  override readonly name = 'AbortError';
}

/**
 * A latent code handed to a decoder it does not belong to: a code means nothing to another decoder,
 * even one of the same size. Names both decoders.
 */
export class ForeignLatentError extends Error {
  /** Always `ForeignLatentError`. */
  override readonly name = 'ForeignLatentError';
  constructor(
    /** The code's label, e.g. `train[0]`. */
    readonly latentLabel: string,
    /** Category of the decoder the code belongs to. */
    readonly latentCategory: string,
    /** Category of the decoder that was asked to use it. */
    readonly expectedCategory: string,
    message: string,
  ) {
    super(message);
  }
}

/** Largest seed {@link ImNetDecoder.sample} accepts: seeds are unsigned 32-bit integers. */
export const MAX_SAMPLE_SEED = 0xffffffff;

/**
 * A loaded category model: its decoder, its latent codes (training and held-out shapes) and, when
 * the weights carry one, its latent GAN. Load one with {@link ImNetDecoder.load}; give its latent
 * codes to {@link ImplicitShape}.
 */
export class ImNetDecoder {
  private static readonly loadedBySource = new Map<string, ImNetDecoder>();

  /** Where the weights came from (URL or path), or null for in-memory models. */
  readonly source: string | null;
  /** The category the decoder models, e.g. `chair`. */
  readonly category: string;
  /** The preset its architecture came from (`web32`, `web64`, `imnet`), or null. */
  readonly preset: PresetName | null;
  /** The decoder's architecture. */
  readonly architecture: Readonly<ImNetArchitecture>;
  /** Occupancy at which the surface lies (0.5 for IM-NET). */
  readonly isoLevel: number;
  /** Latent codes of the training shapes. */
  readonly latents: readonly LatentCode[];
  /** Latent codes of held-out shapes, if the weights carry them. */
  readonly testLatents: readonly LatentCode[];
  /** How the weights were produced, as recorded in the manifest. */
  readonly provenance: Readonly<Record<string, unknown>> | undefined;

  private readonly model: ImNetModel;
  private tfDecoder: TfDecoder | null = null;
  private readonly evaluators = new Set<{ dispose(): void }>();
  private disposed = false;

  /** The categories whose trained weights ship with the package; each is a valid argument of {@link ImNetDecoder.load}. */
  static readonly categories: readonly ShippedCategory[] = SHIPPED_CATEGORIES;

  /**
   * The folder (URL, or path in Node) that `load('<category>')` reads `<category>/model.json` from.
   * Default: the package's weights/ folder, relative to the loaded bundle (browser: `dist/../weights/`
   * on the same server; Node: the installed package). Assign a URL to serve them from elsewhere, or
   * `null` to restore the default.
   */
  static get weightsBaseUrl(): string {
    return weightsBaseUrl();
  }

  /** Points category loads at another folder or URL; `null` restores the default. */
  static set weightsBaseUrl(base: string | null) {
    setWeightsBaseUrl(base);
  }

  /**
   * Loads a shipped category by name (`ImNetDecoder.categories`), or a weights manifest (see
   * README "Weights format") from a URL (browser, or Node with fetch) or a path (Node). The
   * manifest, every tensor shape and every file size are validated before anything is allocated;
   * failures are `WeightsFormatError`s naming the file and field, and an unknown bare name is an
   * `UnknownCategoryError` listing the shipped categories.
   */
  static async load(source: string): Promise<ImNetDecoder> {
    if (typeof source !== 'string' || source.length === 0) throw new TypeError(`ImNetDecoder.load: expected a category name, URL or path, got ${String(source)}`);
    source = resolveWeightsSource(source);
    const { model } = await loadModel(source);
    const decoder = new ImNetDecoder(model, source);
    ImNetDecoder.loadedBySource.set(source, decoder);
    return decoder;
  }

  /** A decoder over an in-memory model (what the training toolkit and tests use). */
  static fromModel(model: ImNetModel, source: string | null = null): ImNetDecoder {
    const decoder = new ImNetDecoder(model, source);
    if (source) ImNetDecoder.loadedBySource.set(source, decoder);
    return decoder;
  }

  /** A live decoder already loaded from `source`, if any (used by `ImplicitShape.Parse`). */
  static findLoaded(source: string): ImNetDecoder | undefined {
    const d = ImNetDecoder.loadedBySource.get(source);
    return d && !d.disposed ? d : undefined;
  }

  private constructor(model: ImNetModel, source: string | null) {
    validateDecoderWeights(model.decoder, source ?? model.category);
    this.model = model;
    this.source = source;
    this.category = model.category;
    this.preset = model.preset;
    this.architecture = model.architecture;
    this.isoLevel = model.isoLevel;
    this.provenance = model.provenance;
    this.latents = model.trainLatents.map((v, i) => this.latent(v, `train[${i}]`));
    this.testLatents = model.testLatents.map((v, i) => this.latent(v, `test[${i}]`));
  }

  /** Length of this decoder's latent codes. */
  get latentSize(): number {
    return this.architecture.latentSize;
  }

  /** Coordinates per point: 3 for shapes in a box, 2 for shapes in a square (the paper's 2D digits). */
  get pointSize(): 2 | 3 {
    return pointSizeOf(this.architecture);
  }

  /** True when the weights carry a latent GAN generator, so `sample()` works. */
  get hasGenerator(): boolean {
    return this.model.generator !== null;
  }

  /** The raw model (decoder weights, latent tables, generator). Treat as read-only. */
  get weights(): Readonly<ImNetModel> {
    return this.model;
  }

  /**
   * A latent code from raw values. Throws a RangeError naming the expected length when the length
   * is wrong or a value is NaN or infinite.
   */
  latent(values: ArrayLike<number>, label = 'custom'): LatentCode {
    const what = `latent '${label}'`;
    if (!values || typeof (values as ArrayLike<number>).length !== 'number') {
      throw new TypeError(`${what}: expected a Float32Array or number[] of ${this.latentSize} values, got ${String(values)}`);
    }
    if (values.length !== this.latentSize) {
      throw new RangeError(`${what} has ${values.length} values; the ${this.category} decoder expects ${this.latentSize}`);
    }
    const copy = Float32Array.from(values);
    for (let i = 0; i < copy.length; i++) {
      if (!Number.isFinite(copy[i])) {
        throw new RangeError(`${what}: value ${i} is ${values[i]}; the ${this.category} decoder expects ${this.latentSize} finite numbers`);
      }
    }
    return new LatentCode(this, copy, label);
  }

  /**
   * The straight-line blend `(1 - t) a + t b` of two of this decoder's codes.
   * @param t - in [0, 1]: 0 gives `a`, 1 gives `b`.
   * @throws RangeError for t outside [0, 1] or NaN (extrapolated codes leave the region the decoder
   *   was trained on); ForeignLatentError for a code of another decoder.
   */
  interpolate(a: LatentCode, b: LatentCode, t: number): LatentCode {
    this.assertOwn(a, 'interpolate: a');
    this.assertOwn(b, 'interpolate: b');
    if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new RangeError(`interpolate: t is ${String(t)}; expected a number in [0, 1]`);
    const values = new Float32Array(this.latentSize);
    for (let i = 0; i < values.length; i++) values[i] = (1 - t) * a.values[i] + t * b.values[i];
    return this.latent(values, `lerp(${a.label}, ${b.label}, ${t})`);
  }

  /**
   * A new shape from the latent GAN, the same for the same seed on every platform.
   * @param seed - an integer in [0, 2^32 - 1] ({@link MAX_SAMPLE_SEED}); each seed is its own shape.
   * @throws RangeError for a negative, fractional, too large or non-finite seed (they would wrap
   *   or truncate onto another seed's shape); Error when the weights carry no generator.
   */
  sample(seed: number): LatentCode {
    const generator = this.model.generator;
    if (!generator) throw new Error(`sample: the ${this.category} weights carry no latent GAN generator (train one with \`imnet gan\`)`);
    if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > MAX_SAMPLE_SEED) {
      throw new RangeError(`sample: seed is ${String(seed)}; expected an integer in [0, ${MAX_SAMPLE_SEED}]`);
    }
    return this.latent(generateLatent(generator, noiseForSeed(generator.noiseSize, seed)), `sample(${seed})`);
  }

  /** Throws a TypeError unless `latent` is a LatentCode, a {@link ForeignLatentError} unless it is one of this decoder. */
  assertOwn(latent: LatentCode, what = 'latent'): void {
    if (!(latent instanceof LatentCode)) throw new TypeError(`${what}: expected a LatentCode of the ${this.category} decoder`);
    if (latent.decoder !== this) {
      throw new ForeignLatentError(latent.label, latent.decoder.category, this.category,
        `${what} '${latent.label}' belongs to the ${latent.decoder.category} decoder` +
        `${latent.decoder.source ? ` (${latent.decoder.source})` : ''}, not to this ${this.category} decoder${this.source ? ` (${this.source})` : ''}`);
    }
  }

  /**
   * A batched occupancy function for one latent, holding the latent's folded biases as tensors
   * until `dispose()`. Batches run one at a time across all decoders (tfjs has one global backend).
   */
  createOccupancy(latent: LatentCode, options: EvaluateOptions = {}): OccupancyEvaluator {
    this.assertAlive();
    this.assertOwn(latent);
    const preference = options.backend ?? 'auto';
    const pointSize = this.pointSize;
    let folded: FoldedLatent | null = null;
    let backend: string | undefined;
    let disposed = false;
    const evaluator: OccupancyEvaluator = {
      evaluate: (points: Float32Array) => runExclusive(async () => {
        if (disposed || this.disposed) throw new AbortError('occupancy evaluator was disposed');
        if (points.length % pointSize !== 0) throw new RangeError(`points: expected ${pointSize === 3 ? 'xyz triples' : 'xy pairs'}, got ${points.length} values`);
        backend = await activateBackend(preference);
        if (disposed || this.disposed) throw new AbortError('occupancy evaluator was disposed');
        this.tfDecoder ??= new TfDecoder(this.model.decoder);
        folded ??= this.tfDecoder.fold(latent.values);
        const decoder = this.tfDecoder;
        const result = tf.tidy(() => decoder.decode(tf.tensor2d(points, [points.length / pointSize, pointSize]), folded!));
        try {
          return (await result.data()) as Float32Array;
        } finally {
          result.dispose();
        }
      }),
      get backend() { return backend; },
      dispose: () => {
        if (disposed) return;
        disposed = true;
        folded?.dispose();
        folded = null;
        this.evaluators.delete(evaluator);
      },
    };
    this.evaluators.add(evaluator);
    return evaluator;
  }

  /**
   * @internal For the extraction scheduler: the uploaded decoder (created on first use, on the
   * active backend). Call inside `runExclusive` after activating the backend.
   */
  tensorDecoder(): TfDecoder {
    this.assertAlive();
    this.tfDecoder ??= new TfDecoder(this.model.decoder);
    return this.tfDecoder;
  }

  /** @internal Registers something holding this decoder's tensors, disposed with the decoder. */
  track(resource: { dispose(): void }): () => void {
    this.assertAlive();
    this.evaluators.add(resource);
    return () => this.evaluators.delete(resource);
  }

  /**
   * Occupancy of `points` (xyz triples, or xy pairs for a 2D decoder) for one latent; a convenience over `createOccupancy`.
   * Rejects with an {@link AbortError} once the decoder is disposed.
   */
  async evaluate(latent: LatentCode, points: Float32Array, options: EvaluateOptions = {}): Promise<Float32Array> {
    const evaluator = this.createOccupancy(latent, options);
    try {
      return await evaluator.evaluate(points);
    } finally {
      evaluator.dispose();
    }
  }

  /** Frees every tensor of this decoder and of the evaluators made from it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of [...this.evaluators]) e.dispose();
    this.tfDecoder?.dispose();
    this.tfDecoder = null;
    if (this.source && ImNetDecoder.loadedBySource.get(this.source) === this) ImNetDecoder.loadedBySource.delete(this.source);
  }

  /** True once {@link ImNetDecoder.dispose} ran. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  private assertAlive(): void {
    if (this.disposed) throw new AbortError(`the ${this.category} decoder was disposed`);
  }
}
