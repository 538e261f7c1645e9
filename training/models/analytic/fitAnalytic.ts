/**
 * Fits a small IM-NET decoder to the analytic shapes by auto-decoding (one learned latent per shape,
 * no encoder), and writes it in the runtime's weights format. This gives the demo and tests a real
 * fitted decoder until the toolkit trains categories from meshes.
 *
 *   npx tsx training/models/analytic/fitAnalytic.ts [--minutes 12] [--out weights/analytic] [--backend wasm]
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { decoderLayerShapes, kernelRows, type ImNetArchitecture, createRandom, gaussian, randomDecoderWeights, encodeModel, type ImNetModel } from '#core';
import { matMulFastGrad } from '../../nn/dense.js';
import { ANALYTIC_SHAPES, type Sdf } from './shapes.js';

const ARCHITECTURE: ImNetArchitecture = { latentSize: 32, hiddenSizes: [256, 256, 128, 64, 32], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Half uniform points, half points near the surface (a jittered shell), with 0/1 occupancy. */
function samplePoints(sdf: Sdf, count: number, seed: number): { points: Float32Array; occupancy: Float32Array } {
  const random = createRandom(seed);
  const points = new Float32Array(count * 3);
  const occupancy = new Float32Array(count);
  let n = 0;
  while (n < count) {
    const x = random() - 0.5, y = random() - 0.5, z = random() - 0.5;
    const d = sdf(x, y, z);
    const near = n >= count / 2;
    if (near && Math.abs(d) > 0.04) continue;
    const s = near ? 0.01 : 0;
    const px = Math.min(Math.max(x + gaussian(random) * s, -0.5), 0.5);
    const py = Math.min(Math.max(y + gaussian(random) * s, -0.5), 0.5);
    const pz = Math.min(Math.max(z + gaussian(random) * s, -0.5), 0.5);
    points.set([px, py, pz], 3 * n);
    occupancy[n] = sdf(px, py, pz) <= 0 ? 1 : 0;
    n++;
  }
  return { points, occupancy };
}

async function main(): Promise<void> {
  const minutes = Number(flag('minutes', '12'));
  const out = flag('out', 'weights/analytic');
  const backend = flag('backend', 'wasm');
  await tf.setBackend(backend);
  console.log(`fitAnalytic: tfjs backend ${tf.getBackend()}, ${ANALYTIC_SHAPES.length} shapes, ${minutes} min budget`);

  const shapesCount = ANALYTIC_SHAPES.length;
  const perShape = 32768;
  const samples = ANALYTIC_SHAPES.map((s, i) => samplePoints(s.sdf, perShape, 100 + i));
  const init = randomDecoderWeights(ARCHITECTURE, 3);
  const layers = decoderLayerShapes(ARCHITECTURE).map((shape, i) => ({
    shape,
    kernel: tf.variable(tf.tensor2d(init.layers[i].kernel, [kernelRows(shape), shape.units])),
    bias: tf.variable(tf.tensor1d(init.layers[i].bias)),
  }));
  const random = createRandom(9);
  const latents = tf.variable(tf.tensor2d(Float32Array.from({ length: shapesCount * ARCHITECTURE.latentSize }, () => 0.5 + 0.01 * gaussian(random)), [shapesCount, ARCHITECTURE.latentSize]));
  const optimizer = tf.train.adam(1e-3, 0.9, 0.999);
  const batchPerShape = 1024;

  const forward = (points: tf.Tensor2D, shapeIndex: tf.Tensor1D): tf.Tensor1D => {
    // One-hot x table instead of gather: tfjs-wasm has no gradient kernel for gather (UnsortedSegmentSum).
    const z = matMulFastGrad(tf.oneHot(shapeIndex, shapesCount).toFloat() as tf.Tensor2D, latents);
    const input = tf.concat([points, z], 1);
    let h: tf.Tensor2D = input;
    layers.forEach((layer, l) => {
      const x = l === 0 ? input : h;
      const pre = tf.add(matMulFastGrad(x, layer.kernel), layer.bias) as tf.Tensor2D;
      h = l === layers.length - 1 ? pre : tf.leakyRelu(pre, ARCHITECTURE.leakySlope);
    });
    const o = tf.reshape(h, [-1]);
    return tf.maximum(tf.minimum(o, tf.add(tf.mul(o, 0.01), 0.99)), tf.mul(o, 0.01)) as tf.Tensor1D;
  };

  const started = Date.now();
  let step = 0;
  let loss = 0;
  const pointsBatch = new Float32Array(shapesCount * batchPerShape * 3);
  const targetBatch = new Float32Array(shapesCount * batchPerShape);
  const indexBatch = new Int32Array(shapesCount * batchPerShape);
  while (Date.now() - started < minutes * 60_000) {
    for (let s = 0; s < shapesCount; s++) {
      for (let k = 0; k < batchPerShape; k++) {
        const p = Math.floor(random() * perShape);
        const o = s * batchPerShape + k;
        pointsBatch.set(samples[s].points.subarray(3 * p, 3 * p + 3), 3 * o);
        targetBatch[o] = samples[s].occupancy[p];
        indexBatch[o] = s;
      }
    }
    // Coarse-to-fine: a smaller step for the last 40% of the budget sharpens thin parts.
    if (Date.now() - started > 0.6 * minutes * 60_000) (optimizer as unknown as { learningRate: number }).learningRate = 3e-4;
    const cost = optimizer.minimize(() => tf.tidy(() => {
      const predicted = forward(tf.tensor2d(pointsBatch, [indexBatch.length, 3]), tf.tensor1d(indexBatch, 'int32'));
      return tf.add(tf.mean(tf.square(tf.sub(predicted, tf.tensor1d(targetBatch)))), tf.mul(1e-4, tf.mean(tf.square(tf.sub(latents, 0.5)))));
    }) as tf.Scalar, true)!;
    loss = (await cost.data())[0];
    cost.dispose();
    step++;
    if (step % 100 === 0) {
      console.log(`step ${step}  loss ${loss.toFixed(5)}  ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (step % 1000 === 0) await save();
    }
  }
  await save();
  console.log(`fitAnalytic: ${step} steps, final loss ${loss.toFixed(5)}, wrote ${out}`);

  async function save(): Promise<void> {
    const model: ImNetModel = {
      category: 'analytic',
      preset: null,
      architecture: ARCHITECTURE,
      isoLevel: 0.5,
      decoder: {
        architecture: ARCHITECTURE,
        layers: await Promise.all(layers.map(async (l) => ({ kernel: (await l.kernel.data()) as Float32Array, bias: (await l.bias.data()) as Float32Array }))),
      },
      trainLatents: Array.from({ length: shapesCount }, (_, i) => (latents.arraySync() as number[][])[i]).map((r) => Float32Array.from(r)),
      testLatents: [],
      generator: null,
      provenance: {
        producedBy: 'training/models/analytic/fitAnalytic.ts (auto-decoder fit to analytic SDF shapes)',
        command: `npx tsx training/models/analytic/fitAnalytic.ts --minutes ${minutes} --out ${out} --backend ${backend}`,
        shapes: ANALYTIC_SHAPES.map((s) => s.name),
        steps: step,
        finalLoss: loss,
        pointsPerStep: indexBatch.length,
        wallSeconds: Math.round((Date.now() - started) / 1000),
        backend: tf.getBackend(),
      },
    };
    const { manifest, bin } = encodeModel(model);
    mkdirSync(out, { recursive: true });
    // Atomic: a kill mid-write never leaves a manifest that disagrees with its binary.
    writeFileSync(join(out, 'weights.bin.tmp'), bin);
    writeFileSync(join(out, 'model.json.tmp'), JSON.stringify(manifest, null, 1));
    renameSync(join(out, 'weights.bin.tmp'), join(out, 'weights.bin'));
    renameSync(join(out, 'model.json.tmp'), join(out, 'model.json'));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
