/**
 * A run killed mid-stage and resumed from its last checkpoint ends with the same weights as a run
 * that never stopped (same seed); and what a run directory holds along the way.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveArchitecture, loadModel } from '#core';
import { readCheckpoint, writeCheckpoint, CheckpointError } from '../../../../training/trainer/checkpoint.js';
import { trainImNet } from '../../../../training/models/imnet/trainImNet.js';
import { defaultTrainConfig, type TrainConfig } from '../../../../training/models/imnet/config.js';
import { AbortError } from '../../../../training/util/abort.js';
import { fixtureDataset, useTrainingBackend } from '../../trainFixtures.js';

const counts = { 16: 256, 32: 256, 64: 512 } as const;
const dataset = fixtureDataset({ shapes: 5, testCount: 1, counts });
const root = mkdtempSync(join(tmpdir(), 'imnet-train-resume-'));

const config = (mode: TrainConfig['mode'], latentInit: TrainConfig['latentInit'] = 'pca'): TrainConfig => defaultTrainConfig({
  datasetDir: '(fixture)', preset: 'web32', architecture: resolveArchitecture('web32'), mode, latentInit,
  // 4 training shapes, 2 per step, 128 of 256 points per step: 4 steps per epoch, 12 in all.
  stages: [{ level: 16, epochs: 2 }, { level: 32, epochs: 1 }],
  shapesPerStep: 2, pointsPerStep: 128, learningRate: 1e-3, beta1: 0.9, encoderWidth: 2, encodeSteps: 5, seed: 7,
});

beforeAll(() => useTrainingBackend('wasm'));

describe('checkpoint files', () => {
  test('round-trip state and tensors exactly, and name what is wrong with a bad file', () => {
    const file = join(root, 'roundtrip.bin');
    const values = Float32Array.from([1.5, -2, Math.PI, 1e-30, 3]);
    writeCheckpoint(file, { step: 3, note: 'ünïcode' }, [{ name: 'a', shape: [5], values }, { name: 'b', shape: [1, 2], values: Float32Array.from([7, 8]) }]);
    const read = readCheckpoint<{ step: number; note: string }>(file);
    expect(read.state).toEqual({ step: 3, note: 'ünïcode' });
    expect(Array.from(read.tensors.get('a')!.values)).toEqual(Array.from(values));
    expect(read.tensors.get('b')!.shape).toEqual([1, 2]);
    expect(readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
    const bytes = readFileSync(file);
    const truncated = join(root, 'truncated.bin');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 4));
    expect(() => readCheckpoint(truncated)).toThrow(CheckpointError);
    expect(() => readCheckpoint(truncated)).toThrow(/truncated: tensor b/);
  });
});

describe.each([
  ['autoencoder', 'pca'],
  ['autodecoder', 'pca'],
  ['autodecoder', 'noise'],
] as const)('%s run (latent init %s where it applies)', (mode, latentInit) => {
  test('killed after step 7 and resumed from the step-6 checkpoint, it ends bit-identical to an uninterrupted run', async () => {
    const straight = join(root, `${mode}-${latentInit}-straight`);
    const tensorsBefore = tf.memory().numTensors;
    const straightResult = await trainImNet({ dataset, runDir: straight, config: config(mode, latentInit) });
    expect(straightResult.steps).toBe(12);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    // It learns: the second epoch at 16^3 has a lower loss than the first (measured ~0.17 -> ~0.14).
    expect(straightResult.rows[1].loss).toBeLessThan(0.9 * straightResult.rows[0].loss);

    const killed = join(root, `${mode}-${latentInit}-killed`);
    const controller = new AbortController();
    await expect(trainImNet({
      dataset, runDir: killed, config: config(mode, latentInit), checkpointEverySteps: 3,
      onProgress: (p) => { if (p.globalStep === 7) controller.abort(); },
      signal: controller.signal,
    })).rejects.toThrow(AbortError);
    expect(readCheckpoint<{ globalStep: number }>(join(killed, 'checkpoint.bin')).state.globalStep).toBe(6);
    expect(existsSync(join(killed, 'model', 'model.json'))).toBe(false);

    const lines: string[] = [];
    const resumed = await trainImNet({ dataset, runDir: killed, resume: true, log: (l) => lines.push(l) });
    expect(lines[0]).toMatch(/resumed at level 16\^3, epoch 2\/2, after step 2 of the epoch \(global step 6\)/);
    expect(resumed.steps).toBe(12);
    expect(resumed.rows.map((r) => r.loss)).toEqual(straightResult.rows.map((r) => r.loss));
    // Same decoder, latents (train and test) and provenance-free bytes: the whole weights file.
    expect(Buffer.compare(readFileSync(join(killed, 'model', 'weights.bin')), readFileSync(join(straight, 'model', 'weights.bin')))).toBe(0);

    // The run directory: settings, loss log (CSV, JSON, SVG), a model the runtime loads.
    expect(JSON.parse(readFileSync(join(straight, 'run.json'), 'utf8')).config.mode).toBe(mode);
    const csv = readFileSync(join(straight, 'loss.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,stage,stage_epoch,step,loss,seconds');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual(['1,16,1,4', '2,16,2,8', '3,32,1,12']);
    expect(readFileSync(join(straight, 'loss.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    const { model } = await loadModel(join(straight, 'model', 'model.json'));
    expect(model.trainLatents).toHaveLength(4);
    expect(model.testLatents).toHaveLength(1);
    expect(model.provenance).toMatchObject({ trainIds: dataset.ids('train'), testIds: dataset.ids('test'), mode, steps: 12 });
  });
});

describe('a finished run given more epochs at its last level', () => {
  test('trains only the added epochs and ends bit-identical to a run planned that long; fewer than trained is refused', async () => {
    const longer: TrainConfig = { ...config('autodecoder'), stages: [{ level: 16, epochs: 2 }, { level: 32, epochs: 2 }] };
    const planned = join(root, 'extend-planned');
    const plannedResult = await trainImNet({ dataset, runDir: planned, config: longer });
    expect(plannedResult.steps).toBe(16);

    const extended = join(root, 'extend-extended');
    await trainImNet({ dataset, runDir: extended, config: config('autodecoder') });
    const stepsSeen: number[] = [];
    const lines: string[] = [];
    const result = await trainImNet({
      dataset, runDir: extended, resume: true, extend: { lastLevelEpochs: 2, encodeSteps: 5 },
      onProgress: (p) => stepsSeen.push(p.globalStep), log: (l) => lines.push(l),
    });
    expect(lines[0]).toMatch(/the run had finished; 32\^3 now has 2 epochs/);
    expect(stepsSeen).toEqual([13, 14, 15, 16]);
    expect(result.rows.map((r) => `${r.stage}/${r.stageEpoch}`)).toEqual(['16/1', '16/2', '32/1', '32/2']);
    expect(result.rows.map((r) => r.loss)).toEqual(plannedResult.rows.map((r) => r.loss));
    expect(Buffer.compare(readFileSync(join(extended, 'model', 'weights.bin')), readFileSync(join(planned, 'model', 'weights.bin')))).toBe(0);
    expect(JSON.parse(readFileSync(join(extended, 'run.json'), 'utf8')).config.stages).toEqual(longer.stages);

    await expect(trainImNet({ dataset, runDir: extended, resume: true, extend: { lastLevelEpochs: 1 } }))
      .rejects.toThrow(/has trained 2 epochs at 32\^3; it cannot be set to 1/);
  });
});
