/**
 * `imnet curves` draws one series per run into a PNG and prints the Markdown table; bad command lines
 * (and `imnet train`'s curve flags) exit 2 saying what was expected.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { writeCurve, type CurveRow, type CurveSettings } from '../../../training/eval/trainingCurve.js';
import { CURVE_COLORS } from '../../../training/render/trainingCurves.js';
import { imnet } from './imnet.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-curves-'));
const settings: CurveSettings = { everySteps: 10, testShapes: 2, trainShapes: 1, resolution: 16, fitSteps: 5 };

/** A run folder with a curve of `n` rows rising to `top`. */
function curveRun(name: string, n: number, top: number): string {
  const dir = join(root, name);
  const rows: CurveRow[] = Array.from({ length: n }, (_, i) => ({
    step: 10 * i, stage: '16', wallSeconds: 30 * i, cpuSeconds: 60 * i, trainLoss: i ? 0.2 / i : NaN,
    testIou: (top * i) / (n - 1), testMse: 0.1, trainIou: (top * i) / (n - 1), trainMse: 0.1, evalSeconds: 2, evalCpuSeconds: 3,
  }));
  writeCurve(dir, settings, rows);
  return dir;
}

/** The RGB pixels of a PNG written by encodePng (filter 0 rows). */
function decodeRgb(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  return { width, height, pixel: (x, y) => Array.from(raw.subarray(y * (3 * width + 1) + 1 + 3 * x, y * (3 * width + 1) + 4 + 3 * x)) };
}

/** How many of the series colours appear in the picture. */
function seriesColoursIn(png: Buffer): number {
  const { width, height, pixel } = decodeRgb(png);
  const seen = new Set<string>();
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) seen.add(pixel(x, y).join());
  return CURVE_COLORS.filter((c) => seen.has(c.join())).length;
}

test('one series per run, labelled, and a Markdown row per run', async () => {
  const runs = [curveRun('mse', 5, 0.6), curveRun('bce', 4, 0.7), curveRun('far', 6, 0.5)];
  const out = join(root, 'docs', 'recipes', 'three.png');
  const result = await imnet('curves', ...runs, '--out', out, '--labels', 'IM-NET mse, bce ,far');
  expect(result.status).toBe(0);
  expect(seriesColoursIn(readFileSync(out))).toBe(3);
  const table = result.stdout.trim().split('\n');
  expect(table).toHaveLength(2 + 3);
  expect(table[2]).toMatch(/^\| IM-NET mse \| 0\.600 \| 0\.600 \| 4\.0 \| 0\.600 \| 4\.0 \| 40 \| 0\.3 \|$/);
  expect(table[3]).toMatch(/^\| bce \| 0\.700 /);

  // Two runs, loss against steps: two colours; default labels are the folders' names.
  const two = join(root, 'two.png');
  const loss = await imnet('curves', runs[0], runs[1], '--out', two, '--x', 'steps', '--y', 'loss');
  expect(loss.status).toBe(0);
  expect(seriesColoursIn(readFileSync(two))).toBe(2);
  expect(loss.stdout).toMatch(/\| mse \|[\s\S]*\| bce \|/);
});

test.each([
  [['curves', join(root, 'no-curve'), '--out', join(root, 'x.png')], /<run-dir> .*no-curve.*: no curve.csv\/curve.json; train the run with .*--curve-every/, 'no-curve'],
  [['curves', join(root, 'missing'), '--out', join(root, 'x.png')], /<run-dir> .*missing' does not exist/, null],
  [['curves', join(root, 'mse'), '--out', join(root, 'x.png'), '--labels', 'a,b'], /--labels: 2 labels for 1 runs/, null],
  [['curves', join(root, 'mse'), '--out', join(root, 'x.svg')], /--out .*x.svg: expected a .png file/, null],
  [['curves', join(root, 'mse'), '--out', join(root, 'x.png'), '--x', 'epochs'], /--x "epochs": expected one of cpu-minutes, wall-minutes, steps/, null],
  [['curves', '--out', join(root, 'x.png')], /missing <run-dir>/, null],
  [['train', root, '--out', join(root, 'run'), '--curve-every', '1', '--curve-every-steps', '5'], /give one cadence/, null],
  [['train', root, '--out', join(root, 'run'), '--curve-every', '0'], /--curve-every 0: expected a number in \[0.01, inf\]/, null],
  [['train', root, '--out', join(root, 'run'), '--curve-every', '1', '--decoder', 'cnn'], /--decoder cnn has no curve/, null],
  [['train', root, '--out', join(root, 'run'), '--curve-resolution', '48'], /--curve-resolution "48": expected one of 16, 32, 64/, null],
] as const)('imnet %j exits 2 and says why', async (args, message, emptyDir) => {
  curveRun('mse', 3, 0.5);
  if (emptyDir) mkdirSync(join(root, emptyDir), { recursive: true });
  const result = await imnet(...args);
  expect(result.stderr).toMatch(message);
  expect(result.status).toBe(2);
});
