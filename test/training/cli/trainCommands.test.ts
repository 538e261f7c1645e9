/**
 * The train, gan, export and eval commands refuse bad command lines with exit code 2 and a message
 * that says what was expected, before loading tfjs or touching any file.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imnet } from './imnet.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-commands-'));

test.each([
  [['train', join(root, 'missing'), '--out', join(root, 'run')], /<dataset-dir> .*missing' does not exist/],
  [['train', root, '--out', join(root, 'run'), '--resume'], /--resume: .* holds no checkpoint.bin/],
  [['train', root, '--out', join(root, 'run'), '--preset', 'huge'], /--preset "huge": expected one of web32, web64, imnet/],
  [['train', root, '--out', join(root, 'run'), '--mode', 'gan'], /--mode "gan": expected one of autoencoder, autodecoder/],
  [['gan', root], /expected the --out folder of 'imnet train' \(no run.json there\)/],
  [['export', root, '--out', join(root, 'weights')], /expected the --out folder of 'imnet train'/],
  [['eval', join(root, 'missing'), root], /<run-or-weights> .* does not exist/],
  [['eval', root, root, '--resolution', '48'], /--resolution "48": expected one of 16, 32, 64/],
])('imnet %j exits 2 and says why', async (args, message) => {
  const result = await imnet(...(args as string[]));
  expect(result.stderr).toMatch(message as RegExp);
  expect(result.status).toBe(2);
});

test('a run folder that already holds a run is not overwritten without --resume', async () => {
  const run = join(root, 'taken');
  mkdirSync(run);
  writeFileSync(join(run, 'checkpoint.bin'), 'x');
  const result = await imnet('train', root, '--out', run);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/already holds a run; pass --resume/);
});

test('a resumed run can be given more epochs at its last level only', async () => {
  const run = join(root, 'finished');
  mkdirSync(run);
  writeFileSync(join(run, 'checkpoint.bin'), 'x');
  writeFileSync(join(run, 'run.json'), JSON.stringify({
    format: 'babylon-imnet-run', formatVersion: 1, trainIds: [], testIds: [], voxelResolution: 256,
    config: { stages: [{ level: 16, epochs: 1 }, { level: 32, epochs: 1 }, { level: 64, epochs: 5 }] },
  }));
  const result = await imnet('train', root, '--out', run, '--resume', '--epochs-16', '3');
  expect(result.stderr).toMatch(/--epochs-16: on --resume only the run's last level \(64\^3\) can be given more epochs/);
  expect(result.status).toBe(2);
});

test('a resumed CNN-AE run (no levels) is not taken for one to extend', async () => {
  const run = join(root, 'cnn-run');
  mkdirSync(run);
  writeFileSync(join(run, 'checkpoint.bin'), 'x');
  writeFileSync(join(run, 'run.json'), JSON.stringify({
    format: 'babylon-imnet-run', formatVersion: 1, trainIds: [], testIds: [], voxelResolution: 256, config: { decoder: 'cnn', epochs: 2 },
  }));
  const result = await imnet('train', root, '--out', run, '--resume', '--epochs-64', '3');
  // It gets as far as the dataset, which this folder is not.
  expect(result.stderr).not.toMatch(/TypeError|can be given more epochs/);
  expect(result.stderr).toMatch(/manifest|dataset/i);
});

test('each command documents its flags', async () => {
  for (const name of ['train', 'gan', 'export', 'eval']) {
    const { stdout, status } = await imnet(name, '--help');
    expect(status).toBe(0);
    expect(stdout).toMatch(/Usage: imnet /);
  }
  expect((await imnet('train', '--help')).stdout).toMatch(/--mode <autoencoder\|autodecoder>[\s\S]*--resume/);
});
