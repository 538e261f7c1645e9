/**
 * `imnet sheet`'s work: held-out reconstructions beside their ground truth, and GAN samples with the
 * distance of each sample's latent to its nearest training latent, as PNG contact sheets and JSON.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ImNetDecoder, type LatentCode } from '#core';
import type { SampleSource } from '../models/imnet/samples.js';
import { renderContactSheet, type Rgb, type SheetMesh } from './contactSheet.js';
import { resolveModelManifest } from '../eval/evaluateDataset.js';
import { gridSurface, voxelCentres } from '../eval/gridSurface.js';
import { voxelIou } from '../eval/metrics.js';
import { writeFileAtomicSync } from '../util/atomicWrite.js';

const GRID = 64;
const TRUTH_COLOR: Rgb = [170, 176, 186];
const RECONSTRUCTION_COLOR: Rgb = [222, 170, 110];
const SAMPLE_COLOR: Rgb = [130, 178, 214];

/** Options of {@link writeModelSheets}. */
export interface ModelSheetsArgs {
  /** Run directory, weights folder or manifest path. */
  model: string;
  dataset: SampleSource;
  /** Path prefix of the files written. */
  prefix: string;
  /** Held-out shapes shown. */
  count: number;
  /** GAN samples shown (seeds 1..samples). */
  samples: number;
  title?: string;
  onShape?: (label: string) => void;
}

/** The numbers behind the GAN sheet. */
export interface GanNovelty {
  seeds: number[];
  /** L2 distance of each sample's latent to its nearest training latent. */
  nearestDistance: number[];
  /** Index of that nearest training latent. */
  nearestIndex: number[];
  minDistance: number;
  medianDistance: number;
  /** For scale: the median, over training latents, of the distance to the nearest other training latent. */
  trainMedianNearest: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/** Each code's nearest code in `pool` (skipping identical indices when `pool` is the codes themselves). */
export function nearestLatents(codes: readonly ArrayLike<number>[], pool: readonly ArrayLike<number>[], skipSelf = false): { index: number; distance: number }[] {
  return codes.map((code, i) => {
    let best = { index: -1, distance: Infinity };
    pool.forEach((other, j) => {
      if (skipSelf && i === j) return;
      const d = distance(code, other);
      if (d < best.distance) best = { index: j, distance: d };
    });
    return best;
  });
}

/** Occupancy of `latent` at the 64^3 voxel centres. */
async function decodeGrid(decoder: ImNetDecoder, latent: LatentCode): Promise<Float32Array> {
  const evaluator = decoder.createOccupancy(latent);
  try {
    return await evaluator.evaluate(voxelCentres(GRID));
  } finally {
    evaluator.dispose();
  }
}

/** Writes `<prefix>-reconstructions.png`, `<prefix>-gan.png` and `<prefix>-sheet.json`; returns the numbers. */
export async function writeModelSheets(args: ModelSheetsArgs): Promise<{ files: string[]; meanIou: number; gan: GanNovelty }> {
  const { manifest } = resolveModelManifest(args.model);
  const decoder = await ImNetDecoder.load(manifest);
  try {
    if (!decoder.hasGenerator) throw new Error(`${manifest} carries no GAN generator; run \`imnet gan\` on the run first`);
    const title = args.title ?? decoder.category;
    const testIds = (decoder.provenance?.testIds as string[] | undefined) ?? args.dataset.ids('test');
    if (testIds.length !== decoder.testLatents.length) throw new Error(`${manifest}: ${decoder.testLatents.length} test latents for ${testIds.length} test ids`);
    const shown = Math.min(args.count, testIds.length);
    const reconstructions: SheetMesh[] = [];
    const colors: Rgb[] = [];
    const ious: number[] = [];
    for (let i = 0; i < shown; i++) {
      const shape = await args.dataset.read(testIds[i]);
      const truth = shape.strided64 ?? shape.voxels64;
      const predicted = await decodeGrid(decoder, decoder.testLatents[i]);
      const iou = voxelIou(predicted, truth, decoder.isoLevel);
      ious.push(iou);
      reconstructions.push({ ...gridSurface(truth, GRID, 0.5), label: `truth ${testIds[i]}` });
      reconstructions.push({ ...gridSurface(predicted, GRID, decoder.isoLevel), label: `IM-NET IoU ${iou.toFixed(2)}` });
      colors.push(TRUTH_COLOR, RECONSTRUCTION_COLOR);
      args.onShape?.(`${testIds[i]} IoU ${iou.toFixed(3)}`);
    }
    const meanIou = ious.reduce((a, b) => a + b, 0) / Math.max(ious.length, 1);

    const trainCodes = decoder.latents.map((l) => l.values);
    const seeds = Array.from({ length: args.samples }, (_, i) => i + 1);
    const sampleCodes = seeds.map((seed) => decoder.sample(seed));
    const nearest = nearestLatents(sampleCodes.map((l) => l.values), trainCodes);
    const trainNearest = nearestLatents(trainCodes, trainCodes, true).map((n) => n.distance);
    const gan: GanNovelty = {
      seeds,
      nearestDistance: nearest.map((n) => n.distance),
      nearestIndex: nearest.map((n) => n.index),
      minDistance: Math.min(...nearest.map((n) => n.distance)),
      medianDistance: median(nearest.map((n) => n.distance)),
      trainMedianNearest: median(trainNearest),
    };
    const samples: SheetMesh[] = [];
    for (let i = 0; i < seeds.length; i++) {
      const mesh = gridSurface(await decodeGrid(decoder, sampleCodes[i]), GRID, decoder.isoLevel);
      samples.push({ ...mesh, label: `seed ${seeds[i]} d=${gan.nearestDistance[i].toFixed(2)}` });
      args.onShape?.(`GAN seed ${seeds[i]}`);
    }

    const files = [`${args.prefix}-reconstructions.png`, `${args.prefix}-gan.png`, `${args.prefix}-sheet.json`];
    mkdirSync(dirname(args.prefix), { recursive: true });
    renderContactSheet(reconstructions, {
      columns: 4, cellSize: 200, fit: 'unitCube', colors, out: files[0],
      title: `${title}: held-out truth | IM-NET, mean IoU ${meanIou.toFixed(3)}`,
    });
    renderContactSheet(samples, {
      columns: 4, cellSize: 200, fit: 'unitCube', colors: [SAMPLE_COLOR], out: files[1],
      title: `${title} GAN; d: to nearest train latent (their median ${gan.trainMedianNearest.toFixed(2)})`,
    });
    writeFileAtomicSync(files[2], JSON.stringify({ model: manifest, category: decoder.category, testIds: testIds.slice(0, shown), ious, meanIou, gan }, null, 2) + '\n');
    return { files, meanIou, gan };
  } finally {
    decoder.dispose();
  }
}
