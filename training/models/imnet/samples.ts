/**
 * What training reads from a prepared dataset, and the conversions from its compact storage
 * (uint8 voxel indices at 256^3, 0/1 values) to the float batches the networks take.
 * `SampleSource` is the part of `training/data/dataset`'s `Dataset` that training reads, so tests can
 * hand in small in-memory datasets; `openDataset` returns a `Dataset`, which is one.
 */

import type { SampleLevel, ShapeSamples } from '../../data/dataset/dataset.js';

export type { SampleLevel, ShapeSamples } from '../../data/dataset/dataset.js';

/** The part of a dataset manifest training reads. */
export interface SampleManifest {
  voxelResolution: number;
  sampleCounts: Record<SampleLevel, number>;
  shapes: { id: string; split: 'train' | 'test' }[];
}

/** A prepared dataset as training sees it (a `Dataset` from `openDataset`, or an in-memory one in tests). */
export interface SampleSource {
  readonly dir: string;
  readonly manifest: SampleManifest;
  ids(split?: 'train' | 'test'): string[];
  read(id: string): Promise<ShapeSamples>;
}

/**
 * Writes the samples `indices` of `shape` at `level` into `points` (xyz floats, at
 * `(p + 0.5) / voxelResolution - 0.5`) and `targets` (0/1), starting at point slot `offset`.
 * Indices past a shape's sample count wrap around (a shape with fewer samples keeps the batch full).
 */
export function copyPointSamples(
  shape: ShapeSamples, level: SampleLevel, indices: ArrayLike<number>, voxelResolution: number,
  points: Float32Array, targets: Float32Array, offset: number,
): void {
  const voxels = shape.points[level];
  const values = shape.values[level];
  const available = values.length;
  if (voxels.length !== 3 * available) throw new RangeError(`shape '${shape.id}' level ${level}: ${voxels.length / 3} points but ${available} values`);
  if (available === 0) throw new RangeError(`shape '${shape.id}' has no samples at level ${level}`);
  const scale = 1 / voxelResolution;
  for (let k = 0; k < indices.length; k++) {
    const p = indices[k] % available;
    const o = offset + k;
    points[3 * o] = (voxels[3 * p] + 0.5) * scale - 0.5;
    points[3 * o + 1] = (voxels[3 * p + 1] + 0.5) * scale - 0.5;
    points[3 * o + 2] = (voxels[3 * p + 2] + 0.5) * scale - 0.5;
    targets[o] = values[p];
  }
}

/**
 * Reads shapes and keeps the most recently used ones, up to `maxShapes` (a shape is ~0.4 MB:
 * voxels plus three point levels; the default 1024 holds a small category whole and bounds a large
 * one to ~400 MB, reading the rest from the dataset's shards as steps need them).
 */
export class ShapeCache {
  private readonly shapes = new Map<string, Promise<ShapeSamples>>();
  constructor(private readonly source: SampleSource, private readonly maxShapes = 1024) {}

  get(id: string): Promise<ShapeSamples> {
    let shape = this.shapes.get(id);
    if (shape) {
      // Map order is insertion order: re-inserting marks the shape as most recently used.
      this.shapes.delete(id);
    } else {
      shape = this.source.read(id);
    }
    this.shapes.set(id, shape);
    if (this.shapes.size > this.maxShapes) this.shapes.delete(this.shapes.keys().next().value as string);
    return shape;
  }

  all(ids: readonly string[]): Promise<ShapeSamples[]> {
    return Promise.all(ids.map((id) => this.get(id)));
  }
}
