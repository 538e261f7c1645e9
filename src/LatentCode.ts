import type { ImNetDecoder } from './ImNetDecoder.js';

/**
 * One shape's latent code, bound to the decoder it belongs to (a code means nothing to another
 * decoder). Get them from `decoder.latents[i]`, `decoder.interpolate(a, b, t)`, `decoder.sample(seed)`
 * or `decoder.latent(values)`.
 */
export class LatentCode {
  /** @internal Use the decoder's methods to make one; they validate the values. */
  constructor(
    /** The decoder this code is for. */
    readonly decoder: ImNetDecoder,
    /** The code's values (`decoder.latentSize` finite numbers). Treat as read-only. */
    readonly values: Float32Array,
    /** Where the code came from, e.g. `train[3]`, `sample(42)`, `lerp(train[0], train[1], 0.5)`. */
    readonly label: string,
  ) {}
}
