/**
 * Small in-memory datasets for the training tests, made straight from analytic SDFs in the format
 * `imnet prepare` produces (contract.md): 64^3 voxels, and per level uint8 point indices at 256^3
 * with 0/1 occupancy, half near the surface.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { box, capsule, cylinder, sphere, torus, type Sdf } from '../../training/models/analytic/shapes.js';
import { createRandom } from '#core';
import type { SampleLevel, SampleSource, ShapeSamples } from '../../training/models/imnet/samples.js';

const VOXELS = 256;

/** Eight simple shapes that differ in size and topology. */
export const FIXTURE_SHAPES: { id: string; sdf: Sdf }[] = [
  { id: 'sphere', sdf: sphere(0.33) },
  { id: 'small-sphere', sdf: sphere(0.2, 0.05, -0.1, 0) },
  { id: 'box', sdf: box(0.3, 0.22, 0.28, 0.04) },
  { id: 'slab', sdf: box(0.4, 0.08, 0.35, 0.02) },
  { id: 'torus', sdf: torus(0.27, 0.1) },
  { id: 'cylinder', sdf: cylinder(0.16, 0.4) },
  { id: 'capsule', sdf: capsule(-0.3, -0.2, 0, 0.3, 0.2, 0, 0.13) },
  { id: 'post', sdf: box(0.1, 0.42, 0.1, 0.02) },
];

/** Samples one shape: voxels64 at voxel centres, `counts[level]` points per level. */
export function analyticSamples(id: string, sdf: Sdf, counts: Record<SampleLevel, number>, seed: number): ShapeSamples {
  const voxels64 = new Uint8Array(64 ** 3);
  for (let z = 0, i = 0; z < 64; z++) for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++, i++) {
    voxels64[i] = sdf((x + 0.5) / 64 - 0.5, (y + 0.5) / 64 - 0.5, (z + 0.5) / 64 - 0.5) <= 0 ? 1 : 0;
  }
  const random = createRandom(seed);
  const points = {} as Record<SampleLevel, Uint8Array>;
  const values = {} as Record<SampleLevel, Uint8Array>;
  for (const level of [16, 32, 64] as SampleLevel[]) {
    const n = counts[level];
    const p = new Uint8Array(3 * n);
    const v = new Uint8Array(n);
    // Near-surface band shrinks with the level, as IM-NET's samples concentrate near the surface.
    const band = 1.5 / level;
    for (let k = 0; k < n;) {
      const ix = Math.floor(random() * VOXELS), iy = Math.floor(random() * VOXELS), iz = Math.floor(random() * VOXELS);
      const cx = (ix + 0.5) / VOXELS - 0.5, cy = (iy + 0.5) / VOXELS - 0.5, cz = (iz + 0.5) / VOXELS - 0.5;
      const d = sdf(cx, cy, cz);
      if (k % 2 === 1 && Math.abs(d) > band) continue;
      p.set([ix, iy, iz], 3 * k);
      v[k] = d <= 0 ? 1 : 0;
      k++;
    }
    points[level] = p;
    values[level] = v;
  }
  return { id, voxels64, points, values };
}

/** An in-memory dataset with the contract's reading API; the last `testCount` shapes are the test split. */
export function memoryDataset(shapes: ShapeSamples[], testCount: number, counts: Record<SampleLevel, number>): SampleSource {
  const split = (i: number): 'train' | 'test' => (i >= shapes.length - testCount ? 'test' : 'train');
  const byId = new Map(shapes.map((s) => [s.id, s]));
  return {
    dir: '(memory)',
    manifest: { voxelResolution: VOXELS, sampleCounts: counts, shapes: shapes.map((s, i) => ({ id: s.id, split: split(i) })) },
    ids: (which) => shapes.filter((_, i) => !which || split(i) === which).map((s) => s.id),
    read: async (id) => {
      const s = byId.get(id);
      if (!s) throw new Error(`no shape ${id}`);
      return s;
    },
  };
}

/** A small dataset of the fixture shapes (`testCount` of them held out). */
export function fixtureDataset(options: { shapes?: number; testCount?: number; counts?: Record<SampleLevel, number> } = {}): SampleSource {
  const counts = options.counts ?? { 16: 512, 32: 512, 64: 1024 };
  const chosen = FIXTURE_SHAPES.slice(0, options.shapes ?? FIXTURE_SHAPES.length);
  return memoryDataset(chosen.map((s, i) => analyticSamples(s.id, s.sdf, counts, 10 + i)), options.testCount ?? 0, counts);
}

/**
 * Uses a backend for a training test, quietly. Not through `quietTf`: tfjs's IS_TEST flag turns on a
 * kernel leak check that misfires on customGrad's saved tensors (`matMulFastGrad`), so IS_TEST stays
 * off and PROD (which also silences tfjs's warnings) is on.
 */
export async function useTrainingBackend(name: 'wasm' | 'cpu' = 'wasm'): Promise<void> {
  tf.env().set('IS_TEST', false);
  tf.env().set('PROD', true);
  await tf.setBackend(name);
  await tf.ready();
}
