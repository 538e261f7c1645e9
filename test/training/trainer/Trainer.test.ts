/**
 * The Trainer on a model small enough to reason about (a line fitted by Adam): hooks fire in order,
 * the gradient reducer sits between computing and applying, a stopped run resumes to the same
 * weights, an aborted one writes nothing, a diverged one says so, and the loss log has a row per epoch.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Adam, type NamedVariable } from '../../../training/nn/Adam.js';
import { readCheckpointState } from '../../../training/trainer/checkpoint.js';
import { Trainer, type TrainerArgs } from '../../../training/trainer/Trainer.js';
import type { BatchSource, Gradients, TrainingModule, TrainingPosition } from '../../../training/trainer/TrainingModule.js';
import { AbortError } from '../../../training/util/abort.js';
import { useTrainingBackend } from '../trainFixtures.js';

interface Batch {
  x: Float32Array;
  y: Float32Array;
}

/** y = w x + b, MSE, one pass per step. */
class Line implements TrainingModule<Batch> {
  readonly w = tf.tidy(() => tf.variable(tf.scalar(0)));
  readonly b = tf.tidy(() => tf.variable(tf.scalar(0)));
  readonly variables: NamedVariable[] = [{ name: 'line/w', variable: this.w }, { name: 'line/b', variable: this.b }];
  readonly adam = new Adam(this.variables, { learningRate: 0.05 });
  readonly optimizers = [this.adam];
  readonly passes = ['loss'];

  computeGradients(batch: Batch): Gradients {
    return tf.tidy(() => {
      const x = tf.tensor1d(batch.x), y = tf.tensor1d(batch.y);
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(tf.add(tf.mul(this.w, x), this.b), y))) as tf.Scalar, [this.w, this.b]);
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.adam.apply(grads);
  }

  values(): [number, number] {
    return [this.w.dataSync()[0], this.b.dataSync()[0]];
  }

  dispose(): void {
    this.adam.dispose();
    this.w.dispose();
    this.b.dispose();
  }
}

/** Two stages (2 and 1 epochs) of 3 steps; each batch is 8 points of y = 2x + 1 chosen by the position. */
const data = (target = (x: number) => 2 * x + 1): BatchSource<Batch> => ({
  stages: [{ name: 'a', epochs: 2 }, { name: 'b', epochs: 1 }],
  steps: () => 3,
  batch: ({ stage, epoch, step }: TrainingPosition) => {
    const x = Float32Array.from({ length: 8 }, (_, i) => Math.sin(1 + i + 8 * (step + 3 * (epoch + 2 * stage))));
    return { x, y: x.map(target) };
  },
  sampleCount: (batch) => batch.x.length,
});

const root = mkdtempSync(join(tmpdir(), 'imnet-trainer-'));
beforeAll(() => useTrainingBackend('cpu'));

async function train(args: Partial<TrainerArgs<Batch>> & { resume?: boolean } = {}): Promise<{ line: Line; trainer: Trainer<Batch>; result: Awaited<ReturnType<Trainer<Batch>['fit']>> }> {
  const line = new Line();
  const trainer = new Trainer({ module: line, data: data(), ...args });
  if (args.resume) trainer.resume();
  const result = await trainer.fit();
  return { line, trainer, result };
}

test('hooks fire in order, the loss log has a row per epoch, and the line is learned', async () => {
  const events: string[] = [];
  const { line, result } = await train({
    checkpointFile: join(root, 'hooks.bin'), lossLog: { dir: root, prefix: 'hooks', title: 'line' },
    callbacks: [{
      onTrainBegin: ({ resumed }) => void events.push(`begin ${resumed}`),
      onStepEnd: (s) => void events.push(`step ${s.stage} ${s.epoch}/${s.epochs} ${s.step}/${s.steps} #${s.globalStep}`),
      onEpochEnd: ({ row }) => void events.push(`epoch ${row.stage} ${row.stageEpoch}`),
      onCheckpoint: ({ reason }) => void events.push(`checkpoint ${reason}`),
      onStageEnd: ({ stage }) => void events.push(`stage ${stage}`),
      onTrainEnd: ({ stopped }) => void events.push(`end ${stopped}`),
    }],
  });
  expect(events.slice(0, 5)).toEqual(['begin false', 'step a 1/2 1/3 #1', 'step a 1/2 2/3 #2', 'step a 1/2 3/3 #3', 'epoch a 1']);
  expect(events.filter((e) => !e.startsWith('step'))).toEqual(['begin false', 'epoch a 1', 'epoch a 2', 'checkpoint stage', 'stage a', 'epoch b 1', 'checkpoint stage', 'stage b', 'end false']);
  expect(result.globalStep).toBe(9);
  expect(result.rows.map((r) => [r.stage, r.stageEpoch, r.step])).toEqual([['a', 1, 3], ['a', 2, 6], ['b', 1, 9]]);
  expect(readFileSync(join(root, 'hooks.csv'), 'utf8').trim().split('\n')).toHaveLength(4);
  // Adam at lr 0.05 moves each parameter at most ~0.05 a step: 9 steps bring both up from 0 toward (2, 1).
  const [w, b] = line.values();
  expect(w).toBeGreaterThan(0.2);
  expect(b).toBeGreaterThan(0.2);
  line.dispose();
});

test('the gradient reducer sits between computing and applying: zeroed gradients leave the weights alone', async () => {
  const passes: number[] = [];
  const { line } = await train({ reduceGradients: ({ loss, grads }, pass) => (passes.push(pass), { loss, grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.zerosLike(g)])) }) });
  expect(passes).toHaveLength(9);
  // Adam with zero gradients keeps zero moments: nothing moves.
  expect(line.values()).toEqual([0, 0]);
  line.dispose();
});

test('a run stopped by a callback checkpoints and resumes to the weights of an uninterrupted run', async () => {
  const tensorsBefore = tf.memory().numTensors;
  const straight = await train({ checkpointFile: join(root, 'straight.bin') });
  const file = join(root, 'stopped.bin');
  const first = new Line();
  const trainer: Trainer<Batch> = new Trainer({ module: first, data: data(), checkpointFile: file, extraState: { note: 'kept' }, callbacks: [{ onStepEnd: (s) => { if (s.globalStep === 4) trainer.stop(); } }] });
  const stopped = await trainer.fit();
  expect(stopped).toMatchObject({ stopped: true, globalStep: 4 });
  expect(readCheckpointState<{ globalStep: number; note: string }>(file)).toMatchObject({ globalStep: 4, note: 'kept' });
  const resumed = await train({ checkpointFile: file, resume: true });
  expect(resumed.result.globalStep).toBe(9);
  expect(resumed.line.values()).toEqual(straight.line.values());
  expect(resumed.result.rows.map((r) => r.loss)).toEqual(straight.result.rows.map((r) => r.loss));
  for (const line of [straight.line, first, resumed.line]) line.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

test('an abort throws the one AbortError and writes nothing; a non-finite loss says the run diverged', async () => {
  const controller = new AbortController();
  const file = join(root, 'aborted.bin');
  const line = new Line();
  const trainer = new Trainer({ module: line, data: data(), checkpointFile: file, signal: controller.signal, callbacks: [{ onStepEnd: () => controller.abort() }] });
  await expect(trainer.fit()).rejects.toThrow(new AbortError('training stopped at global step 1'));
  expect(existsSync(file)).toBe(false);
  line.dispose();
  const nan = new Line();
  await expect(new Trainer({ module: nan, data: data(() => NaN), name: 'line fit' }).fit()).rejects.toThrow(/^line fit diverged: loss NaN at global step 1; try a lower --lr$/);
  nan.dispose();
});
