/**
 * Case `decoder`: points/s and GFLOP/s of each preset on each backend present in Node, beside the
 * same backend's plain matMul GFLOP/s measured in the same run (how close the decoder gets to the
 * backend's limit). The browser's webgl numbers come from `browserDecoderBench`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { decoderFlopsPerPoint, PRESETS, type PresetName } from '../../src/decoder/architecture.js';
import { randomDecoderWeights } from '../../src/decoder/weights.js';
import { TfDecoder } from '../../src/evaluate/tfDecoder.js';
import { createRandom } from '../../src/decoder/random.js';
import { emit, round, timeIt } from './timing.js';

/**
 * One batch size for every Node backend, so their lines compare point for point. 4096 keeps the cpu
 * backend (~25x slower than wasm) to about a minute for the imnet preset; the browser's webgl lines
 * use 32768 (their `batch` field says so), where a GPU needs big calls.
 */
const BATCH = 4096;

/** Plain matMul GFLOP/s at the decoder's typical shape: [batch, 256] x [256, 256]. */
export async function matMulGflops(batch = BATCH): Promise<number> {
  const a = tf.randomUniform([batch, 256]);
  const b = tf.randomUniform([256, 256]);
  const { medianMs } = await timeIt(async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  return (2 * batch * 256 * 256) / (medianMs * 1e6);
}

export async function decoderBench(backends = ['wasm', 'cpu']): Promise<void> {
  tf.env().set('IS_TEST', true);
  for (const backend of backends) {
    if (!(await tf.setBackend(backend))) continue;
    await tf.ready();
    const batch = BATCH;
    const matmul = await matMulGflops(batch);
    for (const preset of Object.keys(PRESETS) as PresetName[]) {
      const architecture = PRESETS[preset];
      const decoder = new TfDecoder(randomDecoderWeights(architecture, 1));
      const random = createRandom(2);
      const folded = decoder.fold(Float32Array.from({ length: architecture.latentSize }, () => random()));
      const points = tf.randomUniform([batch, 3], -0.5, 0.5) as tf.Tensor2D;
      const { medianMs, runs } = await timeIt(async () => {
        const out = decoder.decode(points, folded);
        await out.data();
        out.dispose();
      }, 1500, 2, 20);
      const pointsPerSecond = batch / (medianMs / 1000);
      const gflops = (pointsPerSecond * decoderFlopsPerPoint(architecture)) / 1e9;
      emit({
        case: 'decoder', backend, preset, batch, runs,
        msPerBatch: round(medianMs), pointsPerSecond: Math.round(pointsPerSecond), gflops: round(gflops),
        matMulGflops: round(matmul), fractionOfMatMul: round(gflops / matmul, 2),
      });
      points.dispose();
      folded.dispose();
      decoder.dispose();
    }
  }
}
