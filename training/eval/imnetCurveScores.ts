/**
 * One point of an IM-NET run's training curve: the live model scored as `imnet eval` scores a finished
 * run (IoU and MSE of the decoder at the voxel centres against the dataset's voxels,
 * evaluateReconstruction.ts; no Chamfer distance or floaters, which cost more than the rest), on the
 * first held-out shapes and the first training shapes.
 *
 * Codes: IM-AE's encoder gives both. The auto-decoder's training codes are its table's rows; held-out
 * shapes have no code yet, so theirs are fitted against the current decoder (fitLatents.ts, frozen
 * decoder) with a small fixed budget (`fitSteps`, no early stop, the same points every time), from
 * their PCA projections when the run starts codes that way, else from the mean training code. A
 * fixed budget keeps every measurement's cost the same and the runs comparable; it stops short of
 * the fit after training (which runs until it stops improving), so the curve's held-out IoU is a
 * little below `imnet eval`'s.
 */
import * as tf from '@tensorflow/tfjs';
import { ImNetDecoder, type BackendName } from '#core';
import { FIT_DEFAULTS } from '../models/imnet/config.js';
import { fitLatents } from '../models/imnet/fitLatents.js';
import { encode } from '../models/imnet/shapeLatents.js';
import type { ShapeSamples } from '../models/imnet/samples.js';
import type { ImNetRunView } from '../models/imnet/trainImNet.js';
import { evaluateReconstruction } from './evaluateReconstruction.js';
import type { CurveScores, CurveSettings } from './trainingCurve.js';

/** A measure function for `curveCallback`, over the run `view` shows. */
export function imnetCurveScores(view: ImNetRunView, settings: CurveSettings): () => Promise<CurveScores> {
  const { info, model } = view;
  const testIds = info.testIds.slice(0, settings.testShapes);
  const trainIds = info.trainIds.slice(0, settings.trainShapes);
  if (testIds.length === 0) throw new RangeError('training curve: the run has no held-out shapes to measure');
  let shapes: Promise<{ test: ShapeSamples[]; train: ShapeSamples[] }> | undefined;
  // The PCA starts depend only on the held-out grids: projected once.
  let pcaStarts: Promise<Float32Array[] | null> | undefined;
  const latentSize = info.config.architecture.latentSize;

  return async () => {
    const { test, train } = await (shapes ??= (async () => ({ test: await Promise.all(testIds.map(view.readTest)), train: await Promise.all(trainIds.map(view.readTrain)) }))());
    let testCodes: Float32Array[], trainCodes: Float32Array[];
    if (model.encoder) {
      testCodes = await encode(model.encoder, testIds, async (id) => test[testIds.indexOf(id)], info.config.shapesPerStep);
      trainCodes = await encode(model.encoder, trainIds, async (id) => train[trainIds.indexOf(id)], info.config.shapesPerStep);
    } else {
      const table = (await model.table!.data()) as Float32Array;
      trainCodes = trainIds.map((_, i) => table.slice(i * latentSize, (i + 1) * latentSize));
      const starts = await (pcaStarts ??= view.pca().then((pca) => pca?.encode(test.map((s) => s.voxels64)) ?? null));
      const initial = starts ?? test.map(() => meanCode(table, latentSize));
      testCodes = (await fitLatents(model.decoder, test, {
        maxSteps: settings.fitSteps, minImprovement: 0, pointsPerShape: FIT_DEFAULTS.pointsPerShape,
        voxelResolution: info.voxelResolution, seed: info.config.seed, initial, loss: info.config.loss,
      })).latents;
    }
    const decoder = ImNetDecoder.fromModel({
      category: 'curve', preset: info.config.preset, architecture: info.config.architecture, isoLevel: 0.5,
      decoder: await model.decoder.read(), trainLatents: trainCodes, testLatents: testCodes, generator: null,
    });
    try {
      // The training process's backend: tfjs has one, and the run's variables live on it.
      const options = { resolution: settings.resolution, skipChamfer: true, skipFloaters: true, decoderBackend: tf.getBackend() as BackendName };
      const heldOut = await evaluateReconstruction(decoder, decoder.testLatents, test, options);
      const trained = train.length ? await evaluateReconstruction(decoder, decoder.latents, train, options) : null;
      return { testIou: heldOut.mean.iou, testMse: heldOut.mean.mse, trainIou: trained?.mean.iou ?? NaN, trainMse: trained?.mean.mse ?? NaN };
    } finally {
      decoder.dispose();
    }
  };
}

/** The mean of a `[count, size]` table's rows. */
function meanCode(table: Float32Array, size: number): Float32Array {
  const count = table.length / size;
  const mean = new Float32Array(size);
  for (let i = 0; i < count; i++) for (let j = 0; j < size; j++) mean[j] += table[i * size + j] / count;
  return mean;
}
