/**
 * The shipped IM-GAN digit decoder (weights/digits): a 2D decoder loaded through the same path as the
 * 3D categories, whose generated digits extrude into closed slabs, and whose training codes decode
 * to digit-like shapes (ink on a small part of the square, not an empty or full field).
 */
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { quietTf } from '../support/backends.js';
import { analyseTopology, topologyDefects } from '../support/meshTopology.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { extractExtrudedShape } from '../../src/extract/index.js';

quietTf();

const MODEL = fileURLToPath(new URL('../../weights/digits/model.json', import.meta.url));

let decoder: ImNetDecoder;

beforeAll(async () => {
  await tf.setBackend('cpu');
  decoder = await ImNetDecoder.load(MODEL);
});

afterAll(() => decoder.dispose());

test('a 2D decoder with a latent GAN and the codes of 100 training and 100 held-out digits', () => {
  expect(decoder.pointSize).toBe(2);
  expect(decoder.hasGenerator).toBe(true);
  expect(decoder.latents.length).toBe(100);
  expect(decoder.testLatents.length).toBe(100);
});

test('generated digits extrude into closed manifold slabs covering a digit-like share of the square', async () => {
  for (const seed of [1, 2, 3]) {
    const evaluator = decoder.createOccupancy(decoder.sample(seed), { backend: 'cpu' });
    const mesh = await extractExtrudedShape(evaluator.evaluate, { resolution: 28, depth: 0.1 });
    evaluator.dispose();
    expect(topologyDefects(analyseTopology(mesh))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    expect(mesh.indices.length).toBeGreaterThan(100);
  }
});

test('held-out codes decode to ink on 5-40% of the square, as MNIST digits (13% on average)', async () => {
  const grid = new Float32Array(2 * 28 * 28);
  for (let i = 0; i < 28 * 28; i++) { grid[2 * i] = ((i % 28) + 0.5) / 28 - 0.5; grid[2 * i + 1] = 0.5 - (Math.floor(i / 28) + 0.5) / 28; }
  for (const latent of decoder.testLatents.slice(0, 5)) {
    const values = await decoder.evaluate(latent, grid, { backend: 'cpu' });
    const ink = values.filter((v) => v >= 0.5).length / values.length;
    expect(ink).toBeGreaterThan(0.05);
    expect(ink).toBeLessThan(0.4);
  }
});
