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

/** IM-NET's optimizer and encoder settings (the IM-AE defaults), and its 200 epochs at the finest level. */
export const CNN_TRAIN_DEFAULTS = {
  epochs: 200,
  shapesPerStep: 8,
  learningRate: 5e-5,
  beta1: 0.5,
  beta2: 0.999,
  encoderWidth: 32,
  leakySlope: 0.02,
  seed: 1,
} as const;

/** True when a run.json config is a CNN-AE run's. */
export function isCnnConfig(config: unknown): config is CnnTrainConfig {
  return typeof config === 'object' && config !== null && (config as { decoder?: unknown }).decoder === 'cnn';
}

/** Parameters of a preset's IM decoder (kernels and biases): what the CNN decoder's width is matched to. */
export function imDecoderParameterCount(preset: PresetName): number {
  return decoderLayerShapes(resolveArchitecture(preset)).reduce((sum, layer) => sum + kernelRows(layer) * layer.units + layer.units, 0);
}
