/**
 * Training curves (`imnet train --curve-every`): rows at the cadence with the measurements' cost kept
 * off the axes (an injected clock), and on real tiny runs, a run killed and resumed writes the same
 * curve as one that never stopped.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveArchitecture } from '#core';
import { defaultTrainConfig, type TrainConfig } from '../../../training/models/imnet/config.js';
import { trainImNet } from '../../../training/models/imnet/trainImNet.js';
import { curveCallback, CurveFileError, readCurve, type CurveRow, type CurveSettings } from '../../../training/eval/trainingCurve.js';
import { imnetCurveScores } from '../../../training/eval/imnetCurveScores.js';
import type { StepEnd } from '../../../training/trainer/callbacks.js';
import { AbortError } from '../../../training/util/abort.js';
import { fixtureDataset, useTrainingBackend } from '../trainFixtures.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-curve-'));

/** A step event of a 2-stage run of 4 steps per epoch, 2 epochs per stage, at the given clock. */
function step(globalStep: number, cpuSeconds: number, loss = 1): StepEnd {
  const stageIndex = globalStep > 8 ? 1 : 0;
  const inStage = globalStep - 8 * stageIndex;
  return {
    stageIndex, stageCount: 2, stage: String(16 * 2 ** stageIndex), epoch: Math.ceil(inStage / 4), epochs: 2, step: ((inStage - 1) % 4) + 1, steps: 4,
    globalStep, metrics: { loss }, seconds: 1, samplesPerSecond: 1, elapsedSeconds: cpuSeconds, cpuSeconds,
  };
}

describe('curveCallback (injected clock)', () => {
  const settings: CurveSettings = { everyCpuMinutes: 0.5, testShapes: 1, trainShapes: 0, resolution: 16, fitSteps: 1 };

  test('a row at step 0, each time training CPU passes another 30 s, and at each stage end; measurements are off the axis', async () => {
    const dir = join(root, 'cadence');
    let measured = 0;
    // Each measurement costs the clock 20 CPU seconds (as if it ran on the process's clock).
    let cpu = 0;
    const callback = curveCallback({
      runDir: dir, settings, stageName: (i) => String(16 * 2 ** i), readClock: () => ({ elapsedSeconds: cpu, cpuSeconds: cpu }),
      measure: async () => { measured++; cpu += 20; return { testIou: measured / 10, testMse: 0.1, trainIou: NaN, trainMse: NaN }; },
    });
    await callback.onTrainBegin!({ position: { stage: 0, epoch: 0, step: 0 }, globalStep: 0, resumed: false, elapsedSeconds: 0, cpuSeconds: 0 });
    // Training costs 10 CPU seconds a step; the event's clock includes the measurements so far.
    for (let s = 1; s <= 16; s++) {
      cpu += 10;
      await callback.onStepEnd!(step(s, cpu, s));
    }
    const rows = readCurve(dir).rows;
    // Training CPU 30 s (step 3), 60 (6), stage end (8), 90 (9: 30 after the row at 6, not after 8), 120 (12), 150 (15), end (16).
    expect(rows.map((r) => r.step)).toEqual([0, 3, 6, 8, 9, 12, 15, 16]);
    expect(rows.map((r) => r.cpuSeconds)).toEqual([0, 30, 60, 80, 90, 120, 150, 160]);
    expect(rows.map((r) => r.stage)).toEqual(['16', '16', '16', '16', '32', '32', '32', '32']);
    // Mean loss of the steps since the previous row; none before step 0.
    expect(rows[0].trainLoss).toBeNaN();
    expect(rows.slice(1, 4).map((r) => r.trainLoss)).toEqual([2, 5, 7.5]);
    expect(rows.every((r) => r.evalCpuSeconds >= 0 && r.evalSeconds >= 0)).toBe(true);
    const csv = readFileSync(join(dir, 'curve.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('step,stage,wall_seconds,cpu_seconds,train_loss,test_iou,test_mse,train_iou,train_mse,eval_seconds,eval_cpu_seconds');
    expect(csv).toHaveLength(9);
    expect(csv[1].split(',').slice(0, 8)).toEqual(['0', '16', '0', '0', '', '0.1', '0.1', '']);
  });

  test('a resumed run drops the rows after its checkpoint and continues the rest', async () => {
    const dir = join(root, 'resume');
    const measure = async () => ({ testIou: 0.5, testMse: 0.1, trainIou: 0.6, trainMse: 0.05 });
    const first = curveCallback({ runDir: dir, settings: { ...settings, everyCpuMinutes: undefined, everySteps: 2 }, stageName: String, measure });
    await first.onTrainBegin!({ position: { stage: 0, epoch: 0, step: 0 }, globalStep: 0, resumed: false, elapsedSeconds: 0, cpuSeconds: 0 });
    for (let s = 1; s <= 7; s++) await first.onStepEnd!(step(s, s));
    expect(readCurve(dir).rows.map((r) => r.step)).toEqual([0, 2, 4, 6]);
    // Killed after step 7; the last checkpoint was at step 5.
    const second = curveCallback({ runDir: dir, settings: { ...settings, everyCpuMinutes: undefined, everySteps: 2 }, stageName: String, measure });
    await second.onTrainBegin!({ position: { stage: 0, epoch: 1, step: 1 }, globalStep: 5, resumed: true, elapsedSeconds: 5, cpuSeconds: 5 });
    expect(readCurve(dir).rows.map((r) => r.step)).toEqual([0, 2, 4]);
    for (let s = 6; s <= 8; s++) await second.onStepEnd!(step(s, s));
    const rows: CurveRow[] = readCurve(dir).rows;
    expect(rows.map((r) => r.step)).toEqual([0, 2, 4, 6, 8]);
    expect(rows[3].trainLoss).toBe(1);
  });

  test('reading a folder without a curve names the folder and the flag', () => {
    expect(() => readCurve(root)).toThrow(CurveFileError);
    expect(() => readCurve(root)).toThrow(/no curve.csv\/curve.json; train the run with .*--curve-every/);
  });
});

describe.each(['autodecoder', 'autoencoder'] as const)('a real %s run', (mode) => {
  const counts = { 16: 256, 32: 256, 64: 512 } as const;
  const dataset = fixtureDataset({ shapes: 6, testCount: 2, counts });
  // 4 training shapes, 2 per step, 128 of 256 points: 4 steps per epoch, 12 in all.
  const config: TrainConfig = defaultTrainConfig({
    datasetDir: '(fixture)', preset: 'web32', architecture: resolveArchitecture('web32'), mode,
    stages: [{ level: 16, epochs: 2 }, { level: 32, epochs: 1 }],
    shapesPerStep: 2, pointsPerStep: 128, learningRate: 3e-3, beta1: 0.9, encoderWidth: 2, encodeSteps: 5, seed: 3,
  });
  const settings: CurveSettings = { everySteps: 3, testShapes: 2, trainShapes: 1, resolution: 16, fitSteps: 5 };
  const observe = (runDir: string) => (view: Parameters<NonNullable<Parameters<typeof trainImNet>[0]['observe']>>[0]) =>
    [curveCallback({ runDir, settings, measure: imnetCurveScores(view, settings), stageName: (i) => String(view.info.config.stages[i]?.level) })];

  beforeAll(() => useTrainingBackend('wasm'));

  test('killed after step 7 and resumed from step 6, it writes the curve of a run that never stopped', async () => {
    const straight = join(root, `${mode}-straight`);
    await trainImNet({ dataset, runDir: straight, config, observe: observe(straight) });
    const expected = readCurve(straight);
    expect(expected.settings).toEqual(settings);
    // Every 3 steps, the ends of the 16^3 stage (step 8) and of the 32^3 one (12).
    expect(expected.rows.map((r) => [r.step, r.stage])).toEqual([[0, '16'], [3, '16'], [6, '16'], [8, '16'], [9, '32'], [12, '32']]);
    for (const r of expected.rows) {
      for (const v of [r.testIou, r.trainIou]) expect(v).toBeGreaterThanOrEqual(0);
      for (const v of [r.testIou, r.trainIou]) expect(v).toBeLessThanOrEqual(1);
      expect(r.testMse).toBeGreaterThan(0);
    }
    // CPU time only grows, and training (not the measurements) moves it.
    for (let i = 1; i < expected.rows.length; i++) expect(expected.rows[i].cpuSeconds).toBeGreaterThan(expected.rows[i - 1].cpuSeconds);
    // The training shape is fitted better than at the start.
    expect(expected.rows.at(-1)!.trainMse).toBeLessThan(expected.rows[0].trainMse);

    const killed = join(root, `${mode}-killed`);
    const controller = new AbortController();
    await expect(trainImNet({
      dataset, runDir: killed, config, checkpointEverySteps: 3, observe: observe(killed),
      onProgress: (p) => { if (p.globalStep === 7) controller.abort(); }, signal: controller.signal,
    })).rejects.toThrow(AbortError);
    expect(readCurve(killed).rows.map((r) => r.step)).toEqual([0, 3, 6]);
    await trainImNet({ dataset, runDir: killed, resume: true, observe: observe(killed) });
    const resumed = readCurve(killed).rows;
    const scores = (rows: CurveRow[]) => rows.map((r) => [r.step, r.stage, r.trainLoss, r.testIou, r.testMse, r.trainIou, r.trainMse]);
    expect(scores(resumed)).toEqual(scores(expected.rows));
    for (let i = 1; i < resumed.length; i++) expect(resumed[i].cpuSeconds).toBeGreaterThan(resumed[i - 1].cpuSeconds);
    expect(existsSync(join(killed, 'curve.csv'))).toBe(true);
  }, 300_000);
});
