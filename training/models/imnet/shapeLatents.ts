/**
 * The latents a trained IM-NET model ships: the training shapes' (the encoder's codes, or the
 * learned table) and the held-out shapes' (the encoder's codes, or codes optimised against the
 * frozen decoder, starting from their PCA projections when the run used PCA starts).
 */
import * as tf from '@tensorflow/tfjs';
import { fitLatents } from './latents.js';
import type { PcaEncoder } from './pcaLatents.js';
import type { ShapeSamples } from './samples.js';
import type { TrainingModel } from './TrainingModel.js';
import { voxelBatch, type VoxelEncoder } from './VoxelEncoder.js';

/** The encoder's latents for the shapes `ids`, read `batch` at a time. */
export async function encode(encoder: VoxelEncoder, ids: readonly string[], read: (id: string) => Promise<ShapeSamples>, batch: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < ids.length; start += batch) {
    const part = await Promise.all(ids.slice(start, start + batch).map(read));
    const z = tf.tidy(() => encoder.forward(voxelBatch(part.map((s) => s.voxels64))));
    const values = (await z.data()) as Float32Array;
    z.dispose();
    part.forEach((_, i) => out.push(values.slice(i * encoder.latentSize, (i + 1) * encoder.latentSize)));
  }
  return out;
}

/** What {@link shapeLatents} needs besides the model. */
export interface ShapeLatentsArgs {
  trainIds: readonly string[];
  testIds: readonly string[];
  /** Training shapes (cached) and held-out shapes (read once). */
  readTrain: (id: string) => Promise<ShapeSamples>;
  readTest: (id: string) => Promise<ShapeSamples>;
  shapesPerStep: number;
  pointsPerStep: number;
  /** Auto-decoder: optimisation steps per held-out code. */
  encodeSteps: number;
  voxelResolution: number;
  seed: number;
  /** Auto-decoder: the PCA start of held-out codes, fitted on demand (null: noise starts). */
  pca: () => Promise<PcaEncoder | null>;
  log: (line: string) => void;
}

/** Training and held-out latents of `model`. */
export async function shapeLatents(model: TrainingModel, args: ShapeLatentsArgs): Promise<{ trainLatents: Float32Array[]; testLatents: Float32Array[] }> {
  const { trainIds, testIds, shapesPerStep, pointsPerStep, seed } = args;
  if (model.encoder) {
    return {
      trainLatents: await encode(model.encoder, trainIds, args.readTrain, shapesPerStep),
      testLatents: await encode(model.encoder, testIds, args.readTest, shapesPerStep),
    };
  }
  const latentSize = model.decoder.architecture.latentSize;
  const values = (await model.table!.data()) as Float32Array;
  const trainLatents = trainIds.map((_, i) => values.slice(i * latentSize, (i + 1) * latentSize));
  const testShapes = await Promise.all(testIds.map(args.readTest));
  const starts = (await args.pca())?.encode(testShapes.map((s) => s.voxels64));
  args.log(`encoding ${testShapes.length} test shapes by optimising their latents (${args.encodeSteps} steps, starting from ${starts ? 'their PCA codes' : 'noise'})`);
  // In groups of at most a training step's points: all 60 test shapes of a 300-shape set at
  // 4096 points (245k points per step) crashed tfjs-wasm ("table index is out of bounds").
  const groupSize = Math.max(shapesPerStep, Math.floor(32768 / pointsPerStep));
  const testLatents: Float32Array[] = [];
  for (let i = 0; i < testShapes.length; i += groupSize) {
    const group = testShapes.slice(i, i + groupSize);
    testLatents.push(...await fitLatents(model.decoder, group, {
      steps: args.encodeSteps, voxelResolution: args.voxelResolution, seed: seed + i, pointsPerStep, initial: starts?.slice(i, i + groupSize),
    }));
  }
  return { trainLatents, testLatents };
}
