/**
 * `imnet eval <weights> <data> --encode` on meshes the decoder never saw: two new procedural chairs,
 * prepared, fitted against the shipped chair decoder (frozen). The fitted codes reconstruct the chairs
 * better than the fit's starting code does, the JSON report carries the means and the per-shape rows,
 * and the latents file becomes shapes through the runtime (`decoder.latent` -> `ImplicitShape`).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { ImNetDecoder } from '#core';
import { ImplicitShape } from '#main';
import { imnet as runImnet } from './imnet.js';
import { encodeObj } from '../../../training/data/mesh/writeObj.js';
import { generateShape } from '../../../training/data/procedural/categories.js';
import type { LatentsFile } from '../../../training/eval/encodeDataset.js';
import { useTrainingBackend } from '../trainFixtures.js';

Logger.LogLevels = Logger.NoneLogLevel;
const root = mkdtempSync(join(tmpdir(), 'imnet-encode-'));
const meshes = join(root, 'meshes');
const data = join(root, 'data');
const weights = 'weights/chair';

/** Runs `imnet ...` in this process; resolves to what it printed, failing on a non-zero exit. */
async function imnet(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const run = await runImnet(...args);
  if (run.status !== 0) throw new Error(`imnet ${args.join(' ')} exited ${run.status}:\n${run.stderr}`);
  return run;
}

interface EncodeReport {
  iou: number; mse: number; cd: number; shapes: number;
  rows: { id: string; iou: number; mse: number; chamfer: number; steps: number }[];
}

beforeAll(async () => {
  await useTrainingBackend('wasm');
  mkdirSync(meshes, { recursive: true });
  // Seeds far from the 300 the shipped decoder was trained on (1-300).
  for (const seed of [9001, 9002]) writeFileSync(join(meshes, `chair-${seed}.obj`), encodeObj(generateShape('chair', seed)));
  await imnet('prepare', meshes, '--out', data, '--resolution', '64', '--jobs', '0', '--seed', '1');
});

test('fits new chairs against the frozen chair decoder, reports them as JSON and writes codes the runtime shows', async () => {
  // At 32^3 (floaters are counted at 64^3 only, which this test cannot afford).
  const common = ['--encode', '--json', '--resolution', '32', '--points', '1024', '--encode-points', '1024', '--backend', 'wasm'];
  // One step: (nearly) the starting code, the mean of the decoder's training codes.
  const start = JSON.parse((await imnet('eval', weights, data, ...common, '--encode-steps', '1', '--workers', '1')).stdout) as EncodeReport;
  expect(start.rows.map((r) => r.steps)).toEqual([1, 1]);

  // --ids picks shapes by name, in its order; an unknown one is named in the error.
  const picked = JSON.parse((await imnet('eval', weights, data, ...common, '--encode-steps', '1', '--workers', '1', '--ids', 'chair-9002')).stdout) as EncodeReport;
  expect(picked.rows.map((r) => r.id)).toEqual(['chair-9002']);
  const unknown = await runImnet('eval', weights, data, ...common, '--encode-steps', '1', '--ids', 'chair-9002,chair-7');
  expect(unknown.status).not.toBe(0);
  expect(unknown.stderr).toMatch(/--ids: chair-7 is not in .*data/);

  const file = join(root, 'latents.json');
  const run = await imnet('eval', weights, data, ...common, '--encode-steps', '75', '--workers', '2', '--out', file);
  const report = JSON.parse(run.stdout) as EncodeReport;
  expect(report.shapes).toBe(2);
  expect(report.rows.map((r) => r.id)).toEqual(['chair-9001', 'chair-9002']);
  for (const key of ['iou', 'mse', 'cd'] as const) expect(Number.isFinite(report[key])).toBe(true);
  expect(report.iou).toBeCloseTo(report.rows.reduce((a, r) => a + r.iou, 0) / 2, 10);
  // The fit moved the codes toward the chairs: better IoU and MSE than the start.
  expect(report.iou).toBeGreaterThan(start.iou + 0.05);
  expect(report.mse).toBeLessThan(start.mse);
  expect(run.stderr).toMatch(/encoded shapes 1-2 of 2: \d+ steps/);

  const latents = JSON.parse(readFileSync(file, 'utf8')) as LatentsFile;
  expect(latents).toMatchObject({ format: 'babylon-imnet-latents', formatVersion: 1, ids: ['chair-9001', 'chair-9002'], decoder: { category: 'chair', latentSize: 128 } });
  const decoder = await ImNetDecoder.load(join(weights, 'model.json'));
  const scene = new Scene(new NullEngine());
  try {
    const shape = new ImplicitShape(decoder.latent(latents.latents[0]), { resolution: 32, backend: 'wasm' }, scene);
    await shape.ready;
    expect(shape.getTotalVertices()).toBeGreaterThan(100);
    shape.dispose();
  } finally {
    scene.dispose();
    decoder.dispose();
  }
}, 600_000);
