/**
 * Voxel IoU at 64^3 of the fitted analytic decoder against each analytic shape's exact occupancy.
 *
 *   npx tsx training/models/analytic/evaluateAnalytic.ts [weights/analytic/model.json]
 */
import '@tensorflow/tfjs-backend-wasm';
import { ImNetDecoder } from '#core';
import { ANALYTIC_SHAPES, occupancyOf } from './shapes.js';

const RESOLUTION = 64;

function gridCenters(resolution: number): Float32Array {
  const points = new Float32Array(resolution ** 3 * 3);
  let n = 0;
  for (let z = 0; z < resolution; z++) for (let y = 0; y < resolution; y++) for (let x = 0; x < resolution; x++) {
    points[n++] = (x + 0.5) / resolution - 0.5;
    points[n++] = (y + 0.5) / resolution - 0.5;
    points[n++] = (z + 0.5) / resolution - 0.5;
  }
  return points;
}

async function main(): Promise<void> {
  const decoder = await ImNetDecoder.load(process.argv[2] ?? 'weights/analytic/model.json');
  const points = gridCenters(RESOLUTION);
  const names = (decoder.provenance?.shapes as string[] | undefined) ?? ANALYTIC_SHAPES.map((s) => s.name);
  let sum = 0;
  for (let i = 0; i < decoder.latents.length; i++) {
    const predicted = await decoder.evaluate(decoder.latents[i], points, { backend: 'wasm' });
    const truth = occupancyOf(ANALYTIC_SHAPES[i].sdf, points);
    let intersection = 0;
    let union = 0;
    for (let k = 0; k < truth.length; k++) {
      const a = predicted[k] >= decoder.isoLevel;
      const b = truth[k] === 1;
      if (a && b) intersection++;
      if (a || b) union++;
    }
    const iou = intersection / union;
    sum += iou;
    console.log(JSON.stringify({ shape: names[i], iou64: Number(iou.toFixed(4)) }));
  }
  console.log(JSON.stringify({ meanIou64: Number((sum / decoder.latents.length).toFixed(4)) }));
  decoder.dispose();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
