/**
 * Data-parallel training on worker threads: the replicas' weighted gradient sum is the one-replica
 * gradient of the whole batch (however the batch is split), every replica holds the same weights
 * after each step, and a 2-worker run killed and resumed ends bit-identical to an uninterrupted one.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createRandom, resolveArchitecture, type ImNetArchitecture } from '#core';
import type { ModelConfig } from '../../../training/models/imnet/config.js';
import { defaultTrainConfig } from '../../../training/models/imnet/config.js';
import { imnetReplicaFactory, splitTrainingBatch } from '../../../training/models/imnet/replica.js';
import { trainImNet } from '../../../training/models/imnet/trainImNet.js';
import { TrainingModel, type TrainingBatch } from '../../../training/models/imnet/TrainingModel.js';
import { DataParallel } from '../../../training/trainer/DataParallel.js';
import { trainStep } from '../../../training/trainer/Trainer.js';
import { AbortError } from '../../../training/util/abort.js';
import { fixtureDataset, useTrainingBackend } from '../trainFixtures.js';

const architecture: ImNetArchitecture = { latentSize: 8, hiddenSizes: [32, 32, 16], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const modelConfig: ModelConfig = {
  architecture, mode: 'autodecoder', encoderWidth: 2, seed: 3,
  learningRate: 1e-3, beta1: 0.9, beta2: 0.999, latentLearningRate: 1e-2, latentRegularization: 1e-2,
};
const TABLE = 6;

beforeAll(() => useTrainingBackend('wasm'));

function batchOf(shapes: number, pointsPerShape: number, seed: number): TrainingBatch {
  const random = createRandom(seed);
  const n = shapes * pointsPerShape;
  const points = Float32Array.from({ length: 3 * n }, () => random() - 0.5);
  const targets = Float32Array.from({ length: n }, (_, i) => (Math.hypot(points[3 * i], points[3 * i + 1], points[3 * i + 2]) < 0.15 + 0.05 * Math.floor(i / pointsPerShape) ? 1 : 0));
  return { shapeIndices: Array.from({ length: shapes }, (_, i) => (2 * i + 1) % TABLE), voxels: [], pointsPerShape, points, targets };
}

/** Loss and gradients (by stable variable name) of one replica on the whole batch. */
function wholeBatchGradients(model: TrainingModel, batch: TrainingBatch): { loss: number; grads: Map<string, Float32Array> } {
  const { loss, grads } = model.computeGradients(batch);
  const result = { loss: loss.dataSync()[0], grads: new Map(model.variables.map(({ name, variable }) => [name, grads[variable.name].dataSync() as Float32Array])) };
  tf.dispose([loss, ...Object.values(grads)]);
  return result;
}

describe('DataParallel', () => {
  test.each([
    ['2 replicas, 1 shape: split by points', 2, 1, 100],
    ['2 replicas, 4 shapes: split by shapes', 2, 4, 50],
    ['3 replicas, 2 shapes: split by points 33/33/34', 3, 2, 100],
  ])('%s: the weighted sum is the whole batch\'s gradient, and replicas stay identical', async (_, replicas, shapes, perShape) => {
    const batch = batchOf(shapes, perShape, 40 + shapes);
    const single = new TrainingModel(modelConfig, TABLE);
    const expected = wholeBatchGradients(single, batch);
    single.dispose();

    const model = new TrainingModel(modelConfig, TABLE);
    const parallel = await DataParallel.start({
      module: model, replicas, split: splitTrainingBatch, backend: 'wasm',
      factory: imnetReplicaFactory({ config: modelConfig, trainCount: TABLE }),
    });
    try {
      const own = parallel.computeGradients(batch, 0);
      const summed = await parallel.reduce(own, 0);
      expect(summed.loss.dataSync()[0]).toBeCloseTo(expected.loss, 6);
      for (const { name, variable } of model.variables) {
        const actual = summed.grads[variable.name].dataSync();
        const wanted = expected.grads.get(name)!;
        const scale = Math.max(...Array.from(wanted, Math.abs));
        expect(scale).toBeGreaterThan(0);
        for (let i = 0; i < wanted.length; i++) expect(Math.abs(actual[i] - wanted[i])).toBeLessThanOrEqual(1e-5 * scale);
      }
      parallel.applyGradients(summed.grads, 0);
      tf.dispose([own.loss, summed.loss, ...Object.values(own.grads), ...Object.values(summed.grads)]);
      for (let step = 0; step < 3; step++) await trainStep(parallel, batchOf(shapes, perShape, 50 + step), parallel.reduce);
      const mine = model.variables.map(({ variable }) => variable.dataSync());
      for (let r = 1; r < replicas; r++) {
        const theirs = await parallel.replicaVariables(r);
        theirs.forEach((values, i) => expect(Buffer.compare(Buffer.from(values.buffer, values.byteOffset, values.byteLength), Buffer.from(mine[i].buffer, mine[i].byteOffset, mine[i].byteLength))).toBe(0));
      }
    } finally {
      await parallel.dispose();
      model.dispose();
    }
  });

  test('a 2-worker run killed after step 5 and resumed ends bit-identical to an uninterrupted 2-worker run', async () => {
    const dataset = fixtureDataset({ shapes: 5, testCount: 1, counts: { 16: 256, 32: 256, 64: 512 } });
    const root = mkdtempSync(join(tmpdir(), 'imnet-data-parallel-'));
    const config = defaultTrainConfig({
      datasetDir: '(fixture)', preset: 'web32', architecture: resolveArchitecture('web32'), mode: 'autodecoder',
      // 4 training shapes, 2 per step, 128 points each: 4 steps per epoch, 8 in all.
      stages: [{ level: 16, epochs: 1 }, { level: 32, epochs: 1 }],
      shapesPerStep: 2, pointsPerStep: 128, learningRate: 1e-3, beta1: 0.9, encodeSteps: 3, seed: 5,
    });
    const straight = await trainImNet({ dataset, runDir: join(root, 'straight'), config, workers: 2 });
    expect(straight.steps).toBe(8);

    const killed = join(root, 'killed');
    const controller = new AbortController();
    await expect(trainImNet({
      dataset, runDir: killed, config, workers: 2, checkpointEverySteps: 4, signal: controller.signal,
      onProgress: (p) => { if (p.globalStep === 5) controller.abort(); },
    })).rejects.toThrow(AbortError);
    const lines: string[] = [];
    const resumed = await trainImNet({ dataset, runDir: killed, resume: true, workers: 2, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.startsWith('note:'))).toBe(false);
    expect(resumed.rows.map((r) => r.loss)).toEqual(straight.rows.map((r) => r.loss));
    expect(Buffer.compare(readFileSync(join(killed, 'model', 'weights.bin')), readFileSync(join(root, 'straight', 'model', 'weights.bin')))).toBe(0);
    expect(straight.model.provenance).toMatchObject({ workers: 2 });
  });
});
