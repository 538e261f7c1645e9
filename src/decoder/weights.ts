/** Decoder parameters as plain typed arrays: what files hold, what evaluators upload, what training updates. */
import { decoderLayerShapes, kernelRows, type ImNetArchitecture, validateArchitecture } from './architecture.js';
import { createRandom, gaussian } from './random.js';

/** One dense layer: `kernel` is row-major `[inputs, units]` (rows `[previous; xyz; latent]`), `bias` is `[units]`. */
export interface DenseWeights {
  /** Row-major `[inputs, units]`. */
  kernel: Float32Array;
  /** `[units]`. */
  bias: Float32Array;
}

/** A decoder's full set of parameters. */
export interface DecoderWeights {
  /** The architecture the layers follow. */
  architecture: ImNetArchitecture;
  /** One per layer, input first; the last has one unit. */
  layers: DenseWeights[];
}

/** Throws a RangeError naming the layer and field whose size disagrees with the architecture. */
export function validateDecoderWeights(weights: DecoderWeights, source = 'decoder weights'): void {
  validateArchitecture(weights.architecture, `${source}: architecture`);
  const shapes = decoderLayerShapes(weights.architecture);
  if (weights.layers.length !== shapes.length) {
    throw new RangeError(`${source}: expected ${shapes.length} dense layers, got ${weights.layers.length}`);
  }
  shapes.forEach((shape, i) => {
    const expectedKernel = kernelRows(shape) * shape.units;
    if (weights.layers[i].kernel.length !== expectedKernel) {
      throw new RangeError(`${source}: decoder/dense${i}/kernel has ${weights.layers[i].kernel.length} values; expected ${kernelRows(shape)}x${shape.units} = ${expectedKernel}`);
    }
    if (weights.layers[i].bias.length !== shape.units) {
      throw new RangeError(`${source}: decoder/dense${i}/bias has ${weights.layers[i].bias.length} values; expected ${shape.units}`);
    }
  });
}

/**
 * Fresh weights, reproducible for a seed: He-normal kernels (std sqrt(2 / inputs), which keeps the
 * activations' scale through LeakyReLU layers so a random decoder's output still varies over space),
 * zero biases, and an output bias of `isoLevel` so the random field crosses the surface level.
 */
export function randomDecoderWeights(architecture: ImNetArchitecture, seed = 1, isoLevel = 0.5): DecoderWeights {
  validateArchitecture(architecture);
  const random = createRandom(seed);
  const shapes = decoderLayerShapes(architecture);
  const layers = shapes.map((shape, l) => {
    const rows = kernelRows(shape);
    const std = Math.sqrt(2 / rows);
    const kernel = new Float32Array(rows * shape.units);
    for (let i = 0; i < kernel.length; i++) kernel[i] = gaussian(random) * std;
    const bias = new Float32Array(shape.units);
    if (l === shapes.length - 1) bias.fill(isoLevel);
    return { kernel, bias };
  });
  return { architecture: { ...architecture, hiddenSizes: [...architecture.hiddenSizes] }, layers };
}
