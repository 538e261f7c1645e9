/** `imnet digits` refuses bad command lines with exit code 2 and says what was expected, before loading tfjs. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../training/cli/main.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-digits-'));

async function imnet(...args: string[]): Promise<{ status: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => ((stderr += text), true)) as typeof process.stderr.write;
  try {
    return { status: await main(args), stderr };
  } finally {
    process.stderr.write = write;
  }
}

test.each([
  [['digits', 'fly'], /<action> 'fly': expected one of train, sheet, export/],
  [['digits', 'train'], /missing <model>: expected one of cnn-ae, im-ae, cnn-gan, im-gan, vae, vae-im, dcgan, wgan, wgan-im/],
  [['digits', 'train', 'gan'], /model 'gan': expected one of cnn-ae/],
  [['digits', 'train', 'vae', '--runs', root, '--resume'], /--resume: .* holds no checkpoint.bin/],
  [['digits', 'train', 'vae', '--preset', 'huge'], /--preset "huge": expected one of narrow, paper/],
  [['digits', 'train', 'im-ae', '--points', '900'], /--points 900: expected an integer in \[1, 784\]/],
  [['digits', 'export', 'im-gan'], /export takes no <model>/],
])('imnet %j exits 2 and says why', async (args, message) => {
  const result = await imnet(...(args as string[]));
  expect(result.stderr).toMatch(message as RegExp);
  expect(result.status).toBe(2);
});

test('a model folder that already holds a run is not overwritten without --resume', async () => {
  mkdirSync(join(root, 'dcgan'), { recursive: true });
  writeFileSync(join(root, 'dcgan', 'checkpoint.bin'), 'x');
  const result = await imnet('digits', 'train', 'dcgan', '--runs', root);
  expect(result.stderr).toMatch(/already holds a run; pass --resume/);
  expect(result.status).toBe(2);
});
