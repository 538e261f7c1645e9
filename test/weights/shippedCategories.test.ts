/**
 * The trained category weights in weights/: each loads by name, and a training latent and a GAN
 * sample mesh exactly as their own dense 64^3 extraction does (float16 file -> loader -> tfjs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { referenceDecode } from '../../src/decoder/reference.js';
import { extractSurface, marchGrid } from '../../src/extract/index.js';
import { SHIPPED_CATEGORIES, UnknownCategoryError } from '../../src/shippedWeights.js';
import type { LatentCode } from '../../src/LatentCode.js';
import { quietTf } from '../support/backends.js';
import { cornerValues, insideFlags, recordingOccupancy, triangleSet, voxelIoU } from '../support/fields.js';
import { analyseTopology, topologyDefects } from '../support/meshTopology.js';

const WEIGHTS_DIR = resolve('weights');
const RESOLUTION = 64;

beforeAll(async () => {
  quietTf();
  await tf.setBackend('wasm');
});

afterEach(() => {
  ImNetDecoder.weightsBaseUrl = null;
});

describe('ImNetDecoder.categories', () => {
  it('lists exactly the trained 3D category folders in weights/ (at least six)', () => {
    const folders = readdirSync(WEIGHTS_DIR, { withFileTypes: true })
      // 3D categories only: not the analytic demo fit, not the 2D digit decoder (pointSize 2).
      .filter((e) => e.isDirectory() && existsSync(join(WEIGHTS_DIR, e.name, 'model.json')) && e.name !== 'analytic')
      .filter((e) => JSON.parse(readFileSync(join(WEIGHTS_DIR, e.name, 'model.json'), 'utf8')).architecture?.pointSize !== 2)
      .map((e) => e.name)
      .sort();
    expect([...ImNetDecoder.categories].sort()).toEqual(folders);
    expect(ImNetDecoder.categories.length).toBeGreaterThanOrEqual(6);
  });

  it("defaults to the package's weights/ folder and can be pointed elsewhere", async () => {
    expect(resolve(ImNetDecoder.weightsBaseUrl)).toBe(WEIGHTS_DIR);
    ImNetDecoder.weightsBaseUrl = '/nowhere/weights';
    expect(ImNetDecoder.weightsBaseUrl).toBe('/nowhere/weights/');
    await expect(ImNetDecoder.load('chair')).rejects.toMatchObject({
      name: 'WeightsFormatError', file: '/nowhere/weights/chair/model.json', field: '(file)', message: '/nowhere/weights/chair/model.json: (file): file not found',
    });
    expect(() => { ImNetDecoder.weightsBaseUrl = ''; }).toThrow(TypeError);
  });

  it('names the shipped categories when a bare name is not one of them', async () => {
    await expect(ImNetDecoder.load('sofa')).rejects.toThrow(UnknownCategoryError);
    await expect(ImNetDecoder.load('sofa')).rejects.toThrow(/'sofa' is not a shipped category \(airplane, car, chair/);
  });
});

/** Adaptive (exact, guard band on) extraction of `latent` beside the dense 64^3 grid of the same evaluator. */
async function compareWithDense(decoder: ImNetDecoder, latent: LatentCode) {
  const evaluator = decoder.createOccupancy(latent, { backend: 'wasm' });
  try {
    const recorder = recordingOccupancy(evaluator.evaluate, RESOLUTION);
    const mesh = await extractSurface(recorder.occupancy, { resolution: RESOLUTION, isoLevel: decoder.isoLevel, outputActivation: decoder.architecture.outputActivation });
    const dense = await cornerValues(evaluator.evaluate, RESOLUTION);
    return { mesh, dense, iou: voxelIoU(insideFlags(recorder.values, RESOLUTION), insideFlags(dense, RESOLUTION)) };
  } finally {
    evaluator.dispose();
  }
}

describe.each(SHIPPED_CATEGORIES)('shipped category %s', (category) => {
  let decoder: ImNetDecoder;
  beforeAll(async () => {
    decoder = await ImNetDecoder.load(category);
  });
  afterAll(() => decoder?.dispose());

  it('loads by name with its training and held-out latents and a GAN generator', () => {
    expect(decoder.category).toBe(category);
    expect(decoder.source).toBe(join(WEIGHTS_DIR, category, 'model.json'));
    // trainCategory.sh: 200 shapes, 80/20 split.
    expect(decoder.latents.length).toBeGreaterThanOrEqual(160);
    expect(decoder.testLatents.length).toBeGreaterThanOrEqual(40);
    expect(decoder.hasGenerator).toBe(true);
  });

  it.each([
    ['training latent 0', (d: ImNetDecoder) => d.latents[0]],
    ['GAN sample 1', (d: ImNetDecoder) => d.sample(1)],
  ])('%s: a closed mesh identical to its own dense 64^3 extraction', async (_label, pick) => {
    const latent = pick(decoder);
    const { mesh, dense, iou } = await compareWithDense(decoder, latent);
    expect(mesh.indices.length).toBeGreaterThan(300);
    expect(topologyDefects(analyseTopology(mesh))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    expect(iou).toBe(1);
    expect(triangleSet(mesh)).toEqual(triangleSet(marchGrid(dense, RESOLUTION, decoder.isoLevel)));
    // The float16 weights as tfjs runs them agree with the float64 reference on the same weights.
    const stride = 97;
    const n = RESOLUTION + 1;
    const count = Math.floor(dense.length / stride);
    const points = new Float32Array(3 * count);
    for (let k = 0; k < count; k++) {
      const i = k * stride;
      points.set([-0.5 + (i % n) / RESOLUTION, -0.5 + (Math.floor(i / n) % n) / RESOLUTION, -0.5 + Math.floor(i / (n * n)) / RESOLUTION], 3 * k);
    }
    const reference = referenceDecode(decoder.weights.decoder, latent.values, points);
    let worst = 0;
    for (let k = 0; k < count; k++) worst = Math.max(worst, Math.abs(reference[k] - dense[k * stride]));
    expect(worst).toBeLessThan(1e-4);
  });
});
