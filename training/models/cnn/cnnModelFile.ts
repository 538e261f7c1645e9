/**
 * A trained CNN-AE as one file, `<run-dir>/model/cnn-model.bin` (the checkpoint container: JSON state
 * and named float32 tensors, written atomically): the decoder, the encoder's codes of the training and
 * test shapes with their ids, and, once `imnet gan` has run, the latent GAN's generator. The runtime
 * does not load it; the evaluation (`imnet report`) does.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratorWeights } from '#core';
import { readCheckpoint, writeCheckpoint, type CheckpointTensor } from '../../trainer/checkpoint.js';

export const CNN_MODEL_FORMAT = 'babylon-imnet-cnn-model';
export const CNN_MODEL_FORMAT_VERSION = 1;

/** What a CNN model file holds. */
export interface CnnModel {
  latentSize: number;
  /** The decoder's width (VoxelDecoder). */
  decoderWidth: number;
  leakySlope: number;
  /** The decoder's tensors by stable name (`cnnDecoder/...`). */
  decoder: Map<string, CheckpointTensor>;
  trainIds: string[];
  testIds: string[];
  trainLatents: Float32Array[];
  testLatents: Float32Array[];
  generator: GeneratorWeights | null;
  provenance: Record<string, unknown>;
}

interface CnnModelState {
  format: typeof CNN_MODEL_FORMAT;
  formatVersion: number;
  latentSize: number;
  decoderWidth: number;
  leakySlope: number;
  trainIds: string[];
  testIds: string[];
  generator: { noiseSize: number; hiddenSizes: number[]; leakySlope: number } | null;
  provenance: Record<string, unknown>;
}

/** The model file of a run directory. */
export const cnnModelPath = (runDir: string): string => join(runDir, 'model', 'cnn-model.bin');

function latentTable(name: string, latents: Float32Array[], latentSize: number): CheckpointTensor {
  const values = new Float32Array(latents.length * latentSize);
  latents.forEach((z, i) => {
    if (z.length !== latentSize) throw new RangeError(`${name}: latent ${i} has ${z.length} values; expected ${latentSize}`);
    values.set(z, i * latentSize);
  });
  return { name, shape: [latents.length, latentSize], values };
}

/** Writes `model` to `file` (folders created); atomic. */
export function writeCnnModel(file: string, model: CnnModel): void {
  const { latentSize } = model;
  if (model.trainIds.length !== model.trainLatents.length || model.testIds.length !== model.testLatents.length) {
    throw new RangeError(`writeCnnModel: ${model.trainLatents.length}/${model.testLatents.length} latents for ${model.trainIds.length}/${model.testIds.length} train/test ids`);
  }
  const tensors: CheckpointTensor[] = [...model.decoder.values()];
  tensors.push(latentTable('latents/train', model.trainLatents, latentSize), latentTable('latents/test', model.testLatents, latentSize));
  const generator = model.generator;
  generator?.layers.forEach((layer, i) => {
    const units = layer.bias.length;
    tensors.push({ name: `generator/dense${i}/kernel`, shape: [layer.kernel.length / units, units], values: Float32Array.from(layer.kernel) });
    tensors.push({ name: `generator/dense${i}/bias`, shape: [units], values: Float32Array.from(layer.bias) });
  });
  const state: CnnModelState = {
    format: CNN_MODEL_FORMAT, formatVersion: CNN_MODEL_FORMAT_VERSION,
    latentSize, decoderWidth: model.decoderWidth, leakySlope: model.leakySlope,
    trainIds: model.trainIds, testIds: model.testIds,
    generator: generator ? { noiseSize: generator.noiseSize, hiddenSizes: generator.hiddenSizes, leakySlope: generator.leakySlope } : null,
    provenance: model.provenance,
  };
  mkdirSync(join(file, '..'), { recursive: true });
  writeCheckpoint(file, state, tensors);
}

/** A file that is not a CNN model file. */
export class CnnModelFormatError extends Error {
  override readonly name = 'CnnModelFormatError';
}

/** Reads a file written by {@link writeCnnModel}; throws a {@link CnnModelFormatError} naming what is wrong. */
export function readCnnModel(file: string): CnnModel {
  if (!existsSync(file)) throw new CnnModelFormatError(`${file}: no CNN model (finish \`imnet train --decoder cnn\` first)`);
  const { state, tensors } = readCheckpoint<CnnModelState>(file);
  if (state.format !== CNN_MODEL_FORMAT || state.formatVersion !== CNN_MODEL_FORMAT_VERSION) {
    throw new CnnModelFormatError(`${file}: expected ${CNN_MODEL_FORMAT} v${CNN_MODEL_FORMAT_VERSION}, got ${String(state.format)} v${String(state.formatVersion)}`);
  }
  const rows = (name: string, count: number): Float32Array[] => {
    const t = tensors.get(name);
    if (!t || t.shape[0] !== count || t.shape[1] !== state.latentSize) {
      throw new CnnModelFormatError(`${file}: ${name} should be [${count}, ${state.latentSize}], got ${t ? `[${t.shape.join(', ')}]` : 'nothing'}`);
    }
    return Array.from({ length: count }, (_, i) => t.values.slice(i * state.latentSize, (i + 1) * state.latentSize));
  };
  let generator: GeneratorWeights | null = null;
  if (state.generator) {
    const layers = [];
    for (let i = 0; i <= state.generator.hiddenSizes.length; i++) {
      const kernel = tensors.get(`generator/dense${i}/kernel`), bias = tensors.get(`generator/dense${i}/bias`);
      if (!kernel || !bias) throw new CnnModelFormatError(`${file}: missing generator layer ${i}`);
      layers.push({ kernel: kernel.values, bias: bias.values });
    }
    generator = { ...state.generator, layers };
  }
  const decoder = new Map([...tensors].filter(([name]) => name.startsWith('cnnDecoder/')));
  return {
    latentSize: state.latentSize, decoderWidth: state.decoderWidth, leakySlope: state.leakySlope, decoder,
    trainIds: state.trainIds, testIds: state.testIds,
    trainLatents: rows('latents/train', state.trainIds.length), testLatents: rows('latents/test', state.testIds.length),
    generator, provenance: state.provenance,
  };
}
