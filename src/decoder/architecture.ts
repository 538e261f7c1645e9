/**
 * The one definition of the IM-NET decoder architecture, shared by the runtime (`src/`) and the
 * training toolkit (`training/`).
 *
 * IM-NET (Chen & Zhang, CVPR 2019), as in IM-NET-pytorch: the input is `[x, y, z, latent]`, a stack of
 * fully connected layers with LeakyReLU(0.02), one output. The original CVPR (TensorFlow) variant also
 * concatenates `[xyz, latent]` into the inputs of layers 2-5 ("skip connections"). The paper's 2D
 * experiments (MNIST digits) use the same network on `[x, y, latent]`: `pointSize: 2`.
 */

/** How the last layer's value becomes an occupancy. */
export type OutputActivation = 'leakyClip' | 'clip' | 'sigmoid';

/** Names of the built-in architectures. */
export type PresetName = 'imnet' | 'web64' | 'web32';

/** Everything that fixes the decoder's tensor shapes and math. */
export interface ImNetArchitecture {
  /** Length of a shape's latent code. */
  latentSize: number;
  /** Widths of the hidden layers, first to last; the output layer (width 1) is implicit. */
  hiddenSizes: number[];
  /** Output activation; IM-NET-pytorch's "leaky clip" is the default. */
  outputActivation: OutputActivation;
  /** Concatenate `[xyz, latent]` into the inputs of hidden layers 2-5 (the original CVPR variant). */
  skipConnections: boolean;
  /** Negative slope of the hidden layers' LeakyReLU. IM-NET uses 0.02. */
  leakySlope: number;
  /**
   * Coordinates per point: 3 (x, y, z; a shape in a box) or 2 (x, y; a shape in a square, as the
   * paper's 2D digits). Default 3: weights written before this field existed are 3D.
   */
  pointSize?: PointSize;
}

/** Coordinates per point of a decoder's input. */
export type PointSize = 2 | 3;

/** The built-in presets: `imnet` is the paper's size; `web64`/`web32` trade detail for speed in browsers. */
export const PRESETS: Readonly<Record<PresetName, Readonly<ImNetArchitecture>>> = {
  imnet: { latentSize: 256, hiddenSizes: [1024, 1024, 1024, 512, 256, 128], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 },
  web64: { latentSize: 256, hiddenSizes: [512, 512, 512, 256, 128, 64], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 },
  web32: { latentSize: 128, hiddenSizes: [256, 256, 256, 128, 64, 32], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 },
};

/** Coordinates per point of a 3D decoder (the default). */
export const POINT_SIZE = 3;

/** Coordinates per point of `architecture` (3 unless it says 2). */
export function pointSizeOf(architecture: ImNetArchitecture): PointSize {
  return architecture.pointSize ?? POINT_SIZE;
}

/** Layer indices (0-based, hidden layers) whose input also receives `[xyz, latent]` when skips are on. */
export function receivesSkip(architecture: ImNetArchitecture, layerIndex: number): boolean {
  return architecture.skipConnections && layerIndex >= 1 && layerIndex <= 4;
}

/**
 * The shape of one dense layer's kernel, split by what its rows multiply: the previous layer's
 * activations, the point's xyz, and the latent code. Row order in the stored kernel is
 * `[previous; xyz; latent]` (layer 0 has no `previous`: `[xyz; latent]`, as IM-NET's `concat([points, z])`).
 */
export interface DenseLayerShape {
  /** Rows fed by the previous layer's activations (0 for the first layer). */
  previousRows: number;
  /** Rows fed by the point's coordinates (the architecture's point size, or 0). */
  pointRows: number;
  /** Rows fed by the latent (latentSize or 0). */
  latentRows: number;
  /** Output width. */
  units: number;
}

/** All dense layers of the decoder, hidden layers first, the 1-unit output layer last. */
export function decoderLayerShapes(architecture: ImNetArchitecture): DenseLayerShape[] {
  const { hiddenSizes, latentSize } = architecture;
  const pointSize = pointSizeOf(architecture);
  const layers: DenseLayerShape[] = [];
  for (let i = 0; i <= hiddenSizes.length; i++) {
    const units = i < hiddenSizes.length ? hiddenSizes[i] : 1;
    if (i === 0) {
      layers.push({ previousRows: 0, pointRows: pointSize, latentRows: latentSize, units });
    } else {
      const skip = i < hiddenSizes.length && receivesSkip(architecture, i);
      layers.push({ previousRows: hiddenSizes[i - 1], pointRows: skip ? pointSize : 0, latentRows: skip ? latentSize : 0, units });
    }
  }
  return layers;
}

/** Rows of a layer's stored kernel. */
export function kernelRows(layer: DenseLayerShape): number {
  return layer.previousRows + layer.pointRows + layer.latentRows;
}

/** Weight names as stored in a weights file, in manifest order. */
export function decoderWeightNames(architecture: ImNetArchitecture): {
  /** Name of the layer's kernel, `decoder/dense{i}/kernel`. */
  kernel: string;
  /** Name of the layer's bias, `decoder/dense{i}/bias`. */
  bias: string;
}[] {
  return decoderLayerShapes(architecture).map((_, i) => ({ kernel: `decoder/dense${i}/kernel`, bias: `decoder/dense${i}/bias` }));
}

/**
 * Multiply-adds per point once the latent's contribution is folded into per-shape biases
 * (what the runtime pays); `unfolded` counts the latent rows too (what a naive implementation pays).
 */
export function decoderFlopsPerPoint(architecture: ImNetArchitecture, unfolded = false): number {
  let flops = 0;
  for (const layer of decoderLayerShapes(architecture)) {
    const rows = layer.previousRows + layer.pointRows + (unfolded ? layer.latentRows : 0);
    flops += 2 * rows * layer.units + layer.units;
  }
  return flops;
}

/** Throws a RangeError naming the field when an architecture is not usable. */
export function validateArchitecture(architecture: ImNetArchitecture, source = 'architecture'): void {
  const a = architecture as Partial<ImNetArchitecture> | undefined;
  if (!a || typeof a !== 'object') throw new TypeError(`${source}: expected an object, got ${String(a)}`);
  if (!Number.isInteger(a.latentSize) || (a.latentSize as number) < 1) {
    throw new RangeError(`${source}.latentSize: expected a positive integer, got ${String(a.latentSize)}`);
  }
  if (!Array.isArray(a.hiddenSizes) || a.hiddenSizes.length < 1 || !a.hiddenSizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`${source}.hiddenSizes: expected a non-empty array of positive integers, got ${JSON.stringify(a.hiddenSizes)}`);
  }
  if (!['leakyClip', 'clip', 'sigmoid'].includes(a.outputActivation as string)) {
    throw new RangeError(`${source}.outputActivation: expected 'leakyClip' | 'clip' | 'sigmoid', got ${JSON.stringify(a.outputActivation)}`);
  }
  if (typeof a.skipConnections !== 'boolean') {
    throw new RangeError(`${source}.skipConnections: expected a boolean, got ${JSON.stringify(a.skipConnections)}`);
  }
  if (typeof a.leakySlope !== 'number' || !Number.isFinite(a.leakySlope) || a.leakySlope < 0 || a.leakySlope >= 1) {
    throw new RangeError(`${source}.leakySlope: expected a number in [0, 1), got ${JSON.stringify(a.leakySlope)}`);
  }
  if (a.pointSize !== undefined && a.pointSize !== 2 && a.pointSize !== 3) {
    throw new RangeError(`${source}.pointSize: expected 2 (x, y) or 3 (x, y, z), got ${JSON.stringify(a.pointSize)}`);
  }
}

/** A preset's architecture, optionally with some fields replaced. */
export function resolveArchitecture(preset: PresetName | undefined, overrides: Partial<ImNetArchitecture> = {}): ImNetArchitecture {
  if (preset !== undefined && !(preset in PRESETS)) {
    throw new RangeError(`preset: expected one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset)}`);
  }
  const base = PRESETS[preset ?? 'web32'];
  const architecture: ImNetArchitecture = { ...base, hiddenSizes: [...base.hiddenSizes], ...overrides };
  validateArchitecture(architecture);
  return architecture;
}
