/**
 * `imnet digits`: bad command lines exit 2 naming the input and what was expected, before loading tfjs;
 * `--resume` of a finished run goes through the whole train path (run.json settings, the Trainer,
 * output through the command's streams) and adds its CPU time to cpu.json.
 *
 * No fresh `digits train` here: the smallest one is an epoch of the narrow CNN-AE over all 5,000
 * training digits (about 30 CPU seconds), since no flag shrinks the training set; the models' training
 * itself is covered on 200 digits by test/training/models/digits/digitModels.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../../training/data/mnist/mnistDigits.js';
import { DigitBatches } from '../../../training/models/digits/DigitBatches.js';
import { createDigitModel, DIGIT_RUN_FORMAT, DIGIT_RUN_FORMAT_VERSION, digitRunPaths } from '../../../training/models/digits/digitRuns.js';
import { defaultDigitConfig, DIGIT_MODELS, type DigitNetworks } from '../../../training/models/digits/digitsConfig.js';
import { Trainer } from '../../../training/trainer/Trainer.js';
import { useTrainingBackend } from '../trainFixtures.js';
import { imnet } from './imnet.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-digits-'));
const MODELS = DIGIT_MODELS.join(', ');

test.each([
  [['digits', 'fly'], /<action> 'fly': expected one of train, sheet, export/],
  [['digits', 'train'], new RegExp(`missing <model>: expected one of ${MODELS}`)],
  [['digits', 'train', 'gan'], new RegExp(`<model> 'gan': expected one of ${MODELS}`)],
  [['digits', 'sheet', 'cnn'], /<model> 'cnn': expected one of cnn-ae/],
  [['digits', 'train', 'vae', '--runs', root, '--resume'], /--resume: .*vae holds no checkpoint.bin/],
  [['digits', 'train', 'vae', '--preset', 'huge'], /--preset "huge": expected one of narrow, paper/],
  [['digits', 'train', 'im-ae', '--points', '0'], /--points 0: expected an integer in \[1, 784\]/],
  [['digits', 'train', 'im-ae', '--points', '785'], /--points 785: expected an integer in \[1, 784\]/],
  [['digits', 'train', 'wgan', '--beta2', '1.5'], /--beta2 1.5: expected a number in \[0, 1\]/],
  [['digits', 'train', 'wgan', '--seed=-1'], /--seed -1: expected an integer in \[0, inf\]/],
  [['digits', 'export', 'im-gan'], /export takes no <model>/],
])('imnet %j exits 2 and says why', async (args, message) => {
  const result = await imnet(...(args as string[]));
  expect(result.stderr).toMatch(message as RegExp);
  expect(result.stderr).toMatch(/usage: imnet digits /);
  expect(result.stderr).not.toMatch(/tfjs backend/);
  expect(result.status).toBe(2);
});

test('a model folder that already holds a run is not overwritten without --resume', async () => {
  mkdirSync(join(root, 'dcgan'), { recursive: true });
  writeFileSync(join(root, 'dcgan', 'checkpoint.bin'), 'x');
  const result = await imnet('digits', 'train', 'dcgan', '--runs', root);
  expect(result.stderr).toMatch(/already holds a run; pass --resume/);
  expect(result.status).toBe(2);
});

test('--help lists the actions, the models and the seed default 0', async () => {
  const { status, stdout } = await imnet('digits', '--help');
  expect(status).toBe(0);
  expect(stdout).toMatch(/<action>\s+train \| sheet \| export/);
  expect(stdout).toContain(MODELS);
  expect(stdout).toMatch(/--seed <integer>.*\(default 0\)/);
  expect(stdout).toMatch(/--checkpoint-minutes <number>\s+.*\(default 2\)/);
});

test('--resume of a finished run loads its run.json settings, reports through the command streams and adds to cpu.json', async () => {
  await useTrainingBackend('wasm');
  // A finished CNN-AE run of tiny networks on 20 digits, written as trainDigitRun writes one.
  const networks: DigitNetworks = { codeSize: 6, encoderWidths: [4, 4, 8, 8], implicitHidden: [8, 8, 8, 8, 4], latentGanHidden: [8, 8], latentGanNoise: 4, leakySlope: 0.02 };
  const config = defaultDigitConfig('cnn-ae', 'narrow', { networks, batchSize: 10, epochs: 1 });
  expect(config.seed).toBe(0);
  const runs = join(root, 'finished');
  const paths = digitRunPaths(runs, 'cnn-ae');
  mkdirSync(paths.dir, { recursive: true });
  writeFileSync(paths.info, JSON.stringify({ format: DIGIT_RUN_FORMAT, formatVersion: DIGIT_RUN_FORMAT_VERSION, config }));
  const module = createDigitModel(config);
  try {
    const data = new DigitBatches({ ...loadMnist().train, count: 20 }, 'cnn-ae', 1, 10, module.realBatchesPerStep, config.seed);
    await new Trainer({ module, data, checkpointFile: paths.checkpoint, extraState: { config } }).fit();
  } finally {
    module.dispose();
  }
  const cpuFile = join(paths.dir, 'cpu.json');
  writeFileSync(cpuFile, JSON.stringify({ cpuSeconds: 100 }));

  // --epochs and --preset do not apply to a resumed run: its run.json decides.
  const result = await imnet('digits', 'train', 'cnn-ae', '--runs', runs, '--resume', '--epochs', '7', '--preset', 'paper');
  expect(result.status).toBe(0);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`digits: resuming ${paths.dir} with the settings in its run.json`);
  expect(result.stderr).toMatch(/digits: cnn-ae \(narrow: code 6, encoder 4-4-8-8, implicit 8-8-8-8-4\), 1 epochs, batch 10, .*500 steps/);
  expect(result.stderr).toMatch(/digits: cnn-ae done, 2 steps, [\d.]+ CPU minutes, last epoch loss \d/);
  const { cpuSeconds } = JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number };
  expect(Number.isInteger(cpuSeconds)).toBe(true);
  expect(cpuSeconds).toBeGreaterThanOrEqual(100);
  expect(readFileSync(paths.info, 'utf8')).toBe(JSON.stringify({ format: DIGIT_RUN_FORMAT, formatVersion: DIGIT_RUN_FORMAT_VERSION, config }));
});
