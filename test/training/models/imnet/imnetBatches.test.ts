/**
 * IM-NET's batches: at the 32^3 and 64^3 levels a `farFraction` of each shape's points comes from its
 * 16^3 samples (which cover the whole box) and the rest from the level's near-surface samples; the
 * same position always gives the same batch. Encoding a shape's code (LatentFitBatches) mixes its
 * points the same way.
 */
import { ImNetBatches } from '../../../../training/models/imnet/ImNetBatches.js';
import { LatentFitBatches } from '../../../../training/models/imnet/LatentFit.js';
import { ShapeCache } from '../../../../training/models/imnet/samples.js';
import { fixtureDataset } from '../../trainFixtures.js';

const counts = { 16: 256, 32: 256, 64: 512 } as const;
const dataset = fixtureDataset({ shapes: 4, counts });
const ids = dataset.ids('train');

/** The coordinates of a shape's samples at a level, as strings, for membership tests. */
async function sampleSet(id: string, level: 16 | 32 | 64): Promise<Set<string>> {
  const s = await dataset.read(id);
  const set = new Set<string>();
  for (let i = 0; i < s.values[level].length; i++) set.add(`${s.points[level][3 * i]},${s.points[level][3 * i + 1]},${s.points[level][3 * i + 2]}:${s.values[level][i]}`);
  return set;
}

function batchesOf(farFraction: number): ImNetBatches {
  return new ImNetBatches(dataset, new ShapeCache(dataset), {
    stages: [{ level: 16, epochs: 1 }, { level: 32, epochs: 1 }], seed: 4, shapesPerStep: 2, pointsPerStep: 64, farFraction,
  }, ids, dataset.manifest.voxelResolution);
}

test.each([0, 0.25])('farFraction %s: the last share of each shape\'s points are 16^3 samples, the rest the level\'s', async (farFraction) => {
  const batches = batchesOf(farFraction);
  const batch = await batches.batch({ stage: 1, epoch: 0, step: 3 });
  const far = Math.round(farFraction * 64);
  expect(batch.pointsPerShape).toBe(64);
  for (let s = 0; s < batch.shapeIndices.length; s++) {
    const id = ids[batch.shapeIndices[s]];
    const level16 = await sampleSet(id, 16);
    const level32 = await sampleSet(id, 32);
    for (let k = 0; k < 64; k++) {
      const i = s * 64 + k;
      // Back from box coordinates to the stored voxel indices at 256^3.
      const key = [0, 1, 2].map((c) => Math.round((batch.points[3 * i + c] + 0.5) * 256 - 0.5)).join(',') + `:${batch.targets[i]}`;
      expect((k < 64 - far ? level32 : level16).has(key)).toBe(true);
    }
  }
  // The same position gives the same batch (a resumed run sees what the uninterrupted one saw).
  const again = await batchesOf(farFraction).batch({ stage: 1, epoch: 0, step: 3 });
  expect(Array.from(again.points.subarray(0, 128 * 3))).toEqual(Array.from(batch.points.subarray(0, 128 * 3)));
});

test('the 16^3 stage takes no far points (its samples already cover the box)', async () => {
  const batch = await batchesOf(0.5).batch({ stage: 0, epoch: 0, step: 0 });
  const level16 = await sampleSet(ids[batch.shapeIndices[0]], 16);
  for (let k = 0; k < 64; k++) {
    const key = [0, 1, 2].map((c) => Math.round((batch.points[3 * k + c] + 0.5) * 256 - 0.5)).join(',') + `:${batch.targets[k]}`;
    expect(level16.has(key)).toBe(true);
  }
});

test.each([0, 0.25])('encoding, farFraction %s: the last share of each shape\'s points are 16^3 samples, the rest 64^3 ones', async (farFraction) => {
  const shapes = await Promise.all(ids.slice(0, 2).map((id) => dataset.read(id)));
  const fit = (): LatentFitBatches => new LatentFitBatches(shapes, { rounds: 2, stepsPerRound: 3, pointsPerShape: 64, level: 64, voxelResolution: 256, seed: 5, farFraction });
  const batch = fit().batch({ stage: 0, epoch: 1, step: 2 });
  const far = Math.round(farFraction * 64);
  for (let s = 0; s < shapes.length; s++) {
    const level16 = await sampleSet(ids[s], 16);
    const level64 = await sampleSet(ids[s], 64);
    for (let k = 0; k < 64; k++) {
      const i = s * 64 + k;
      const key = [0, 1, 2].map((c) => Math.round((batch.points[3 * i + c] + 0.5) * 256 - 0.5)).join(',') + `:${batch.targets[i]}`;
      expect((k < 64 - far ? level64 : level16).has(key)).toBe(true);
    }
  }
  expect(Array.from(fit().batch({ stage: 0, epoch: 1, step: 2 }).points)).toEqual(Array.from(batch.points));
});
