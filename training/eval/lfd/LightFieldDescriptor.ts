/**
 * A model's light field descriptor as 3DRetrieval_v1.8 stores it: for each of 10 light fields x 10
 * views, 35 region values, 10 Fourier values, circularity and eccentricity, each quantized to a byte.
 * Computed once per shape (`computeLightFieldDescriptor`), then matched many times.
 */
import { VIEWS_PER_MODEL } from './lfdConstants.js';
import { ART_COEFFICIENTS } from './regionShape.js';
import { FOURIER_COEFFICIENTS } from './silhouetteShape.js';

/** Values per view in `matchingFeatures()`: 35 region + 10 Fourier + circularity + eccentricity. */
export const FEATURES_PER_VIEW = ART_COEFFICIENTS + FOURIER_COEFFICIENTS + 2;

const MAGIC = [0x4c, 0x46, 0x44, 0x31]; // "LFD1"
const SERIALIZED_BYTES = MAGIC.length + VIEWS_PER_MODEL * FEATURES_PER_VIEW;

/** A descriptor file or buffer that is not one: says what was expected and what came. */
export class LfdDescriptorFormatError extends Error {
  override readonly name = 'LfdDescriptorFormatError';
}

export class LightFieldDescriptor {
  private _features: Int16Array | null = null;

  /**
   * @param art 35 quantized region values per view, view `lightField * 10 + view` at `35 * view`.
   * @param fourier 10 quantized Fourier values per view.
   * @param circularity One quantized value per view.
   * @param eccentricity One quantized value per view.
   */
  constructor(
    readonly art: Uint8Array,
    readonly fourier: Uint8Array,
    readonly circularity: Uint8Array,
    readonly eccentricity: Uint8Array,
  ) {
    const expect = (array: Uint8Array, perView: number, what: string): void => {
      if (array.length !== perView * VIEWS_PER_MODEL) {
        throw new RangeError(`LightFieldDescriptor: ${what} has ${array.length} values; expected ${perView * VIEWS_PER_MODEL} (${perView} per view x ${VIEWS_PER_MODEL} views)`);
      }
    };
    expect(art, ART_COEFFICIENTS, 'art');
    expect(fourier, FOURIER_COEFFICIENTS, 'fourier');
    expect(circularity, 1, 'circularity');
    expect(eccentricity, 1, 'eccentricity');
  }

  getClassName(): string {
    return 'LightFieldDescriptor';
  }

  /**
   * The 47 values per view (view-major) whose L1 distance is the C's view cost: region values as they
   * are, Fourier values and circularity doubled (`MatchLF`'s `<<= 1`), eccentricity as it is.
   * Computed once and kept.
   */
  matchingFeatures(): Int16Array {
    if (this._features) return this._features;
    const out = new Int16Array(VIEWS_PER_MODEL * FEATURES_PER_VIEW);
    for (let v = 0; v < VIEWS_PER_MODEL; v++) {
      let k = v * FEATURES_PER_VIEW;
      for (let j = 0; j < ART_COEFFICIENTS; j++) out[k++] = this.art[v * ART_COEFFICIENTS + j];
      for (let j = 0; j < FOURIER_COEFFICIENTS; j++) out[k++] = 2 * this.fourier[v * FOURIER_COEFFICIENTS + j];
      out[k++] = 2 * this.circularity[v];
      out[k++] = this.eccentricity[v];
    }
    this._features = out;
    return out;
  }

  /** 4,704 bytes: "LFD1", then art, fourier, circularity, eccentricity. */
  serialize(): Uint8Array {
    const out = new Uint8Array(SERIALIZED_BYTES);
    out.set(MAGIC, 0);
    let at = MAGIC.length;
    for (const part of [this.art, this.fourier, this.circularity, this.eccentricity]) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  /** Reads what `serialize()` wrote; throws an LfdDescriptorFormatError for anything else. */
  static Parse(bytes: Uint8Array): LightFieldDescriptor {
    if (bytes.length !== SERIALIZED_BYTES) {
      throw new LfdDescriptorFormatError(`light field descriptor has ${bytes.length} bytes; expected ${SERIALIZED_BYTES}`);
    }
    if (MAGIC.some((b, i) => bytes[i] !== b)) {
      throw new LfdDescriptorFormatError(`light field descriptor starts with ${Array.from(bytes.subarray(0, 4))}; expected "LFD1"`);
    }
    let at = MAGIC.length;
    const take = (n: number): Uint8Array => bytes.slice(at, (at += n));
    return new LightFieldDescriptor(
      take(ART_COEFFICIENTS * VIEWS_PER_MODEL),
      take(FOURIER_COEFFICIENTS * VIEWS_PER_MODEL),
      take(VIEWS_PER_MODEL),
      take(VIEWS_PER_MODEL),
    );
  }
}
