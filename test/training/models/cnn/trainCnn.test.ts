/**
 * The CNN-AE baseline: its decoder's size rule, a tiny run that learns, and a run killed mid-epoch and
 * resumed from its checkpoint ending bit-identical to one that never stopped (the model file whole).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { trainCnn } from '../../../../training/models/cnn/trainCnn.js';
import { readCnnModel, cnnModelPath } from '../../../../training/models/cnn/cnnModelFile.js';
import { imDecoderParameterCount, type CnnTrainConfig } from '../../../../training/models/cnn/config.js';
import { VoxelDecoder, voxelDecoderParameterCount, voxelDecoderWidthFor } from '../../../../training/models/cnn/VoxelDecoder.js';
import { loadCnnDecoder } from '../../../../training/eval/reconstructionSources.js';
import { readCheckpoint } from '../../../../training/trainer/checkpoint.js';
import { AbortError } from '../../../../training/util/abort.js';
import { fixtureDataset, useTrainingBackend } from '../../trainFixtures.js';

const counts = { 16: 64, 32: 64, 64: 64 } as const;
const dataset = fixtureDataset({ shapes: 5, testCount: 1, counts });
const root = mkdtempSync(join(tmpdir(), 'imnet-cnn-'));

// 4 training shapes, 2 per step: 2 steps per epoch, 10 in all.
const config: CnnTrainConfig = {
  decoder: 'cnn', datasetDir: '(fixture)', latentSize: 8, encoderWidth: 2, decoderWidth: 1, leakySlope: 0.02,
  epochs: 5, shapesPerStep: 2, learningRate: 1e-2, beta1: 0.9, beta2: 0.999, seed: 5, matchedPreset: null, initialOccupancy: 0.1,
};

beforeAll(() => useTrainingBackend('wasm'));

describe('VoxelDecoder size', () => {
  test('its parameter count is what it allocates, and the width rule picks the count nearest the IM decoder', () => {
    const decoder = new VoxelDecoder({ latentSize: 8, width: 2 });
    expect(decoder.parameterCount).toBe(voxelDecoderParameterCount(8, 2));
    decoder.dispose();
    const web32 = imDecoderParameterCount('web32');
    expect(web32).toBe(208641);
    const w = voxelDecoderWidthFor(128, web32);
    expect(w).toBe(3);
    // No other width is nearer.
    for (const other of [w - 1, w + 1]) expect(Math.abs(voxelDecoderParameterCount(128, other) - web32)).toBeGreaterThan(Math.abs(voxelDecoderParameterCount(128, w) - web32));
  });

  test('decodes latents to 64^3 occupancies in (0, 1)', async () => {
    const decoder = new VoxelDecoder({ latentSize: 8, width: 1, seed: 2 });
    const [a, b] = await decoder.decode([new Float32Array(8).fill(0.2), new Float32Array(8).fill(0.9)]);
    expect(a.length).toBe(64 ** 3);
    expect(a.every((v) => v > 0 && v < 1)).toBe(true);
    expect(a.some((v, i) => v !== b[i])).toBe(true);
    await expect(decoder.decode([new Float32Array(7)])).rejects.toThrow(/latent has 7 values; this CNN decoder expects 8/);
    decoder.dispose();
  });
});

describe('trainCnn', () => {
  test('killed after step 5 and resumed from the step-4 checkpoint, it ends bit-identical to an uninterrupted run', async () => {
    const straight = join(root, 'straight');
    const tensorsBefore = tf.memory().numTensors;
    const result = await trainCnn({ dataset, runDir: straight, config });
    expect(result.steps).toBe(10);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // It learns: the last epoch's MSE is well below the first's (measured 0.092 -> 0.066).
    expect(result.rows.at(-1)!.loss).toBeLessThan(0.85 * result.rows[0].loss);

    const killed = join(root, 'killed');
    const controller = new AbortController();
    await expect(trainCnn({
      dataset, runDir: killed, config, checkpointEverySteps: 2, signal: controller.signal,
      callbacks: [{ onStepEnd: (s) => { if (s.globalStep === 5) controller.abort(); } }],
    })).rejects.toThrow(AbortError);
    expect(readCheckpoint<{ globalStep: number }>(join(killed, 'checkpoint.bin')).state.globalStep).toBe(4);
    expect(existsSync(cnnModelPath(killed))).toBe(false);
    const resumed = await trainCnn({ dataset, runDir: killed, resume: true });
    expect(resumed.rows.map((r) => r.loss)).toEqual(result.rows.map((r) => r.loss));
    expect(Buffer.compare(readFileSync(cnnModelPath(killed)), readFileSync(cnnModelPath(straight)))).toBe(0);

    // The model file: ids and codes of both splits, a decoder the evaluation loads.
    const model = readCnnModel(cnnModelPath(straight));
    expect(model.trainIds).toEqual(dataset.ids('train'));
    expect(model.testIds).toEqual(dataset.ids('test'));
    expect(model.testLatents[0]).toHaveLength(8);
    const decoder = loadCnnDecoder(model, cnnModelPath(straight));
    const [grid] = await decoder.decode(model.testLatents);
    expect(grid.length).toBe(64 ** 3);
    decoder.dispose();
    expect(JSON.parse(readFileSync(join(straight, 'run.json'), 'utf8')).config.decoder).toBe('cnn');
    expect(readFileSync(join(straight, 'loss.csv'), 'utf8').trim().split('\n')).toHaveLength(6);
  });
});
