/** What decides a CNN-AE run's result (saved in run.json as its `config`), and its defaults. */
import { decoderLayerShapes, kernelRows, resolveArchitecture, type PresetName } from '#core';
import type { CnnModelConfig } from './CnnAutoencoder.js';

export interface CnnTrainConfig extends CnnModelConfig {
  /** Marks the run as a CNN-AE run (IM-NET runs have no `decoder`). */
  decoder: 'cnn';
  /** Dataset directory as given (provenance only). */
  datasetDir: string;
  /** Epochs over the training shapes' 64^3 grids. */
  epochs: number;
  /** Shapes per optimizer step. */
  shapesPerStep: number;
  /** The IM decoder preset whose parameter count `decoderWidth` was matched to (provenance). */
  matchedPreset: string | null;
}

/** True when a run.json config is a CNN-AE run's. */
export function isCnnConfig(config: unknown): config is CnnTrainConfig {
  return typeof config === 'object' && config !== null && (config as { decoder?: unknown }).decoder === 'cnn';
}

/** Parameters of a preset's IM decoder (kernels and biases): what the CNN decoder's width is matched to. */
export function imDecoderParameterCount(preset: PresetName): number {
  return decoderLayerShapes(resolveArchitecture(preset)).reduce((sum, layer) => sum + kernelRows(layer) * layer.units + layer.units, 0);
}
