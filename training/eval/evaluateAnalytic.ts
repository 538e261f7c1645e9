/**
 * Voxel IoU at 64^3 of the fitted analytic decoder against each analytic shape's exact occupancy.
 *
 *   npx tsx training/eval/evaluateAnalytic.ts [weights/analytic/model.json]
 */
import '@tensorflow/tfjs-backend-wasm';
import { ImNetDecoder } from '#core';
import { ANALYTIC_SHAPES, occupancyOf } from '../models/analytic/shapes.js';
import { voxelCentres } from './gridSurface.js';
import { voxelIou } from './metrics.js';

const RESOLUTION = 64;

async function main(): Promise<void> {
  const decoder = await ImNetDecoder.load(process.argv[2] ?? 'weights/analytic/model.json');
  const points = voxelCentres(RESOLUTION);
  const names = (decoder.provenance?.shapes as string[] | undefined) ?? ANALYTIC_SHAPES.map((s) => s.name);
  let sum = 0;
  for (let i = 0; i < decoder.latents.length; i++) {
    const predicted = await decoder.evaluate(decoder.latents[i], points, { backend: 'wasm' });
    const iou = voxelIou(predicted, Uint8Array.from(occupancyOf(ANALYTIC_SHAPES[i].sdf, points)), decoder.isoLevel);
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
