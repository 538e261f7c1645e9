/**
 * The toolkit end to end through the `imnet` command line, on 8 small generated vases:
 * prepare -> train (web32, a few epochs) -> gan -> export -> sheet -> ImNetDecoder.load -> ImplicitShape.
 * The loss falls, training shapes are reconstructed better than an all-empty or all-full guess, and
 * the exported weights load unchanged and mesh into a closed surface.
 *
 * Training runs the auto-decoder (`--mode autodecoder`): an IM-AE step also runs the 64^3 encoder,
 * ~4x the cost of these small steps, and this test must fit the suite's CPU budget (trainResume
 * covers the encoder's training and resume).
 */
import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { ImNetDecoder } from '#core';
import { ImplicitShape } from '#main';
import { imnet } from './imnet.js';
import { openDataset } from '../../../training/data/dataset/dataset.js';
import { downsampleVoxels } from '../../../training/eval/gridSurface.js';
import { voxelIou } from '../../../training/eval/metrics.js';
import { generateShape } from '../../../training/data/procedural/categories.js';
import { encodeObj } from '../../../training/data/mesh/writeObj.js';
import { analyseTopology, topologyDefects } from '../../support/meshTopology.js';
import { useTrainingBackend } from '../trainFixtures.js';

Logger.LogLevels = Logger.NoneLogLevel;
const root = mkdtempSync(join(tmpdir(), 'imnet-e2e-'));
const dirs = { meshes: join(root, 'meshes'), data: join(root, 'data'), run: join(root, 'run'), weights: join(root, 'weights', 'vase') };

async function expectOk(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const result = await imnet(...args);
  if (result.status !== 0) throw new Error(`imnet ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  return result;
}

beforeAll(async () => {
  await useTrainingBackend('wasm');
  mkdirSync(dirs.meshes, { recursive: true });
  for (let seed = 1; seed <= 8; seed++) writeFileSync(join(dirs.meshes, `vase-${seed}.obj`), encodeObj(generateShape('vase', seed)));
});

test('prepare -> train -> gan -> export -> load -> ImplicitShape', async () => {
  const started = performance.now();
  await expectOk('prepare', dirs.meshes, '--out', dirs.data, '--resolution', '64', '--jobs', '0', '--test-fraction', '0.25', '--seed', '1');
  const dataset = await openDataset(dirs.data);
  expect(dataset.ids('train')).toHaveLength(6);
  expect(dataset.ids('test')).toHaveLength(2);
  const prepared = performance.now();

  // 6 epochs of the 16^3 samples: 4096 points per shape in 16 steps of 256, all 6 shapes per step.
  const train = await expectOk('train', dirs.data, '--out', dirs.run, '--preset', 'web32', '--mode', 'autodecoder',
    '--epochs-16', '6', '--epochs-32', '0', '--epochs-64', '0', '--points', '256', '--lr', '3e-3', '--beta1', '0.9',
    '--latent-lr', '1e-2', '--encode-steps', '20', '--backend', 'wasm');
  expect(train.stderr).toMatch(/tfjs backend: wasm .*forced by --backend wasm/);
  const rows = JSON.parse(readFileSync(join(dirs.run, 'loss.json'), 'utf8')) as { loss: number }[];
  expect(rows).toHaveLength(6);
  expect(rows[rows.length - 1].loss).toBeLessThan(0.8 * rows[0].loss);
  const trained = performance.now();

  // Training shapes come back better than the trivial guesses (all empty: IoU 0; all full: the
  // occupied fraction), on a 32^3 grid to keep the test short.
  const evaluation = await expectOk('eval', dirs.run, dirs.data, '--split', 'train', '--resolution', '32', '--backend', 'wasm');
  expect(evaluation.stdout).toMatch(/mean\s+[\d.]+\s+[\d.]+/);
  const report = JSON.parse(readFileSync(join(dirs.run, 'eval-train.json'), 'utf8')) as { mean: { iou: number }; rows: unknown[] };
  expect(report.rows).toHaveLength(6);
  const shapes = await Promise.all(dataset.ids('train').map((id) => dataset.read(id)));
  const fullIou = shapes.map((s) => {
    const truth = downsampleVoxels(s.voxels64, 32);
    return voxelIou(new Float32Array(truth.length).fill(1), truth);
  });
  expect(report.mean.iou).toBeGreaterThan(fullIou.reduce((a, b) => a + b, 0) / fullIou.length);
  const evaluated = performance.now();

  await expectOk('gan', dirs.run, '--epochs', '40', '--width', '64', '--noise-size', '16', '--batch-size', '6', '--lr', '1e-3', '--backend', 'wasm');
  const exported = await expectOk('export', dirs.run, '--out', dirs.weights, '--float16');
  expect(exported.stderr).toMatch(/category vase, web32 decoder, 6 training \+ 2 test latents, latent generator/);

  // Pictures for people: a held-out reconstruction beside its truth, GAN samples with their distance
  // to the nearest training latent (PNG signatures, and the numbers in the JSON).
  const sheetPrefix = join(root, 'docs', 'vase');
  await expectOk('sheet', dirs.weights, dirs.data, '--out', sheetPrefix, '--count', '1', '--samples', '2', '--backend', 'wasm');
  for (const suffix of ['-reconstructions.png', '-gan.png']) expect(readFileSync(sheetPrefix + suffix).subarray(1, 4).toString()).toBe('PNG');
  const sheet = JSON.parse(readFileSync(`${sheetPrefix}-sheet.json`, 'utf8'));
  expect(sheet.ious).toHaveLength(1);
  expect(sheet.gan.nearestDistance).toHaveLength(2);
  expect(sheet.gan.nearestIndex.every((i: number) => i >= 0 && i < 6)).toBe(true);
  expect(sheet.gan.trainMedianNearest).toBeGreaterThan(0);

  // The runtime loads the exported folder unchanged and meshes a training latent, a held-out one
  // and a GAN sample.
  const decoder = await ImNetDecoder.load(join(dirs.weights, 'model.json'));
  expect(decoder.latents).toHaveLength(6);
  expect(decoder.testLatents).toHaveLength(2);
  expect(decoder.hasGenerator).toBe(true);
  const scene = new Scene(new NullEngine());
  for (const latent of [decoder.latents[0], decoder.testLatents[0], decoder.sample(1)]) {
    const shape = new ImplicitShape(latent, { resolution: 32, backend: 'wasm' }, scene);
    await shape.ready;
    const mesh = {
      positions: Float32Array.from(shape.getVerticesData(VertexBuffer.PositionKind)!),
      normals: Float32Array.from(shape.getVerticesData(VertexBuffer.NormalKind)!),
      indices: Uint32Array.from(shape.getIndices()!),
    };
    expect(mesh.indices.length).toBeGreaterThan(100);
    expect(topologyDefects(analyseTopology(mesh))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    shape.dispose();
  }
  scene.dispose();
  decoder.dispose();
  const done = performance.now();
  process.stderr.write(`endToEnd: prepare ${((prepared - started) / 1000).toFixed(1)} s, train ${((trained - prepared) / 1000).toFixed(1)} s, ` +
    `eval ${((evaluated - trained) / 1000).toFixed(1)} s, gan+export+load ${((done - evaluated) / 1000).toFixed(1)} s; ` +
    `train IoU ${report.mean.iou.toFixed(3)} vs all-full ${(fullIou.reduce((a, b) => a + b, 0) / fullIou.length).toFixed(3)}\n`);
  expect(tf.getBackend()).toBe('wasm');
});

// Flags the first test leaves out, on its run: export without --float16, and eval on a weights folder.
test('export without --float16 keeps float32 values; eval reads a weights folder as it reads a run', async () => {
  const float32Dir = join(root, 'weights', 'vase-f32');
  await expectOk('export', dirs.run, '--out', float32Dir);
  const manifest = JSON.parse(readFileSync(join(float32Dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[]; weights: { shape: number[]; quantization?: unknown }[] }[] };
  const entries = manifest.weightsManifest.flatMap((g) => g.weights);
  expect(entries.every((w) => w.quantization === undefined)).toBe(true);
  // Unquantized, every value takes 4 bytes in the shards.
  const values = entries.reduce((sum, w) => sum + w.shape.reduce((p, d) => p * d, 1), 0);
  const shardBytes = manifest.weightsManifest.flatMap((g) => g.paths).reduce((sum, p) => sum + statSync(join(float32Dir, p)).size, 0);
  expect(shardBytes).toBe(4 * values);
  const halfDir = dirs.weights;
  const [full, half] = await Promise.all([ImNetDecoder.load(join(float32Dir, 'model.json')), ImNetDecoder.load(join(halfDir, 'model.json'))]);
  const a = full.latents[0].values;
  const b = half.latents[0].values;
  // float16 rounds to 11 significant bits: a relative error of at most 2^-11 for codes in (0, 1].
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThanOrEqual(Math.abs(a[i]) * 2 ** -11 + 1e-7);
  full.dispose();
  half.dispose();

  const reportFile = join(root, 'eval-weights-test.json');
  const evaluation = await expectOk('eval', float32Dir, dirs.data, '--split', 'test', '--resolution', '16', '--out', reportFile, '--backend', 'wasm');
  expect(evaluation.stdout).toMatch(/mean\s+[\d.]+\s+[\d.]+/);
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { rows: { iou: number }[] };
  expect(report.rows).toHaveLength(2);
  expect(report.rows.every((r) => r.iou >= 0 && r.iou <= 1)).toBe(true);
});
