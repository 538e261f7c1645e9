/**
 * Small parts: the separate pieces of an extracted mesh whose volume is a sliver of the largest
 * piece's. Trained decoders leave such pieces where their field barely crosses the iso-level away
 * from the shape (a blob where other shapes of the category have a handle, a chip off a wing tip);
 * the extraction finds them exactly, and a shape that shows them looks broken.
 *
 * A piece is a connected component of the triangles (sharing vertices; marching cubes shares every
 * vertex between the cells that meet at it). Its volume is the signed volume its closed surface
 * encloses (the divergence theorem over its triangles; extracted meshes are closed, capped at the
 * box, and wound counter-clockwise from outside). A component with negative volume is the inner wall
 * of a cavity and is always kept: removing it would fill the cavity.
 */

import type { Checkpoints } from './checkpoints.js';
import type { ExtractedMesh } from './types.js';

/**
 * The fraction `ImplicitShape` shows pieces from (see `ImplicitShape.DefaultMinPartFraction` for
 * why), and the toolkit's eval counts floaters with.
 */
export const DEFAULT_MIN_PART_FRACTION = 0.03;

/** The result of {@link dropSmallParts}: the mesh without its small parts, and what was dropped. */
export interface SmallPartsResult<M extends ExtractedMesh> {
  /** The mesh without the dropped parts (the input mesh itself when none was dropped). */
  mesh: M;
  /** Parts dropped. */
  dropped: number;
  /** Parts in the mesh before (cavity walls not counted). */
  parts: number;
}

/** Root of `i` in the union-find forest `parent`, halving paths on the way. */
function find(parent: Uint32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

/** Runs `kernel(from, to)` over 0..count: in one go, or in chunks with checkpoints between them. */
type RangeRunner = (count: number, kernel: (from: number, to: number) => void) => void | Promise<void>;

/** Items per chunk when sliced: a pass over this many triangles or vertices takes well under a millisecond. */
const ITEMS_PER_CHUNK = 16384;

/**
 * Drops the parts of `mesh` whose enclosed volume is below `minPartFraction` times the largest
 * part's (0 keeps every part; 1 keeps the largest only, and parts exactly as large).
 *
 * @returns the same mesh object when nothing is dropped; otherwise a new mesh (positions, normals
 *   and indices of the kept parts, in their original order) with the other fields of `mesh`.
 * @throws RangeError when `minPartFraction` is not a number in [0, 1].
 */
export function dropSmallParts<M extends ExtractedMesh>(mesh: M, minPartFraction: number): SmallPartsResult<M> {
  return dropSmallPartsWith(mesh, minPartFraction, (count, kernel) => kernel(0, count)) as SmallPartsResult<M>;
}

/**
 * {@link dropSmallParts} in chunks of well under a millisecond, with `checkpoints` between them (a
 * frame budget's time slice, an abort signal); the result is the same.
 */
export async function dropSmallPartsSliced<M extends ExtractedMesh>(mesh: M, minPartFraction: number, checkpoints: Checkpoints): Promise<SmallPartsResult<M>> {
  return dropSmallPartsWith(mesh, minPartFraction, (count, kernel) => checkpoints.forEachChunk(count, ITEMS_PER_CHUNK, kernel));
}

/** The passes of {@link dropSmallParts}, each a kernel over triangles or vertices run by `run`. */
function dropSmallPartsWith<M extends ExtractedMesh>(mesh: M, minPartFraction: number, run: RangeRunner): SmallPartsResult<M> | Promise<SmallPartsResult<M>> {
  if (!(minPartFraction >= 0 && minPartFraction <= 1)) {
    throw new RangeError(`minPartFraction is ${minPartFraction}; expected a number in [0, 1]`);
  }
  const { positions, normals, indices } = mesh;
  const vertexCount = positions.length / 3;
  const triangleCount = indices.length / 3;
  const parent = new Uint32Array(vertexCount);
  // Six times the signed volume per component root: sum of a . (b x c) over its triangles.
  const volume = new Float64Array(vertexCount);
  const newIndex = new Int32Array(vertexCount);
  let largest = 0, parts = 0, dropped = 0, kept = 0, keptTriangles = 0;
  let limit = 0;
  const small = (root: number) => volume[root] > 0 && volume[root] < limit;
  let keptPositions = positions, keptNormals = normals, keptIndices = indices;

  // Each pass may run sliced, so they are chained as steps (sync when `run` is).
  const steps: (() => void | Promise<void>)[] = [
    () => run(vertexCount, (from, to) => { for (let v = from; v < to; v++) parent[v] = v; }),
    () => run(triangleCount, (from, to) => {
      for (let t = 3 * from; t < 3 * to; t += 3) {
        const a = find(parent, indices[t]);
        parent[find(parent, indices[t + 1])] = a;
        parent[find(parent, indices[t + 2])] = a;
      }
    }),
    () => run(triangleCount, (from, to) => {
      for (let t = 3 * from; t < 3 * to; t += 3) {
        const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
        const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
        const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
        volume[find(parent, indices[t])] +=
          positions[a] * (by * cz - bz * cy) + positions[a + 1] * (bz * cx - bx * cz) + positions[a + 2] * (bx * cy - by * cx);
      }
    }),
    () => run(vertexCount, (from, to) => {
      for (let v = from; v < to; v++) {
        if (parent[v] !== v || volume[v] <= 0) continue;
        parts++;
        if (volume[v] > largest) largest = volume[v];
      }
    }),
    () => {
      limit = minPartFraction * largest;
      return run(vertexCount, (from, to) => { for (let v = from; v < to; v++) if (parent[v] === v && small(v)) dropped++; });
    },
  ];
  const rebuild: (() => void | Promise<void>)[] = [
    () => run(vertexCount, (from, to) => { for (let v = from; v < to; v++) newIndex[v] = small(find(parent, v)) ? -1 : kept++; }),
    () => {
      keptPositions = new Float32Array(3 * kept);
      keptNormals = new Float32Array(3 * kept);
      return run(vertexCount, (from, to) => {
        for (let v = from; v < to; v++) {
          const k = newIndex[v];
          if (k < 0) continue;
          keptPositions.set(positions.subarray(3 * v, 3 * v + 3), 3 * k);
          keptNormals.set(normals.subarray(3 * v, 3 * v + 3), 3 * k);
        }
      });
    },
    () => run(triangleCount, (from, to) => { for (let t = from; t < to; t++) if (newIndex[indices[3 * t]] >= 0) keptTriangles++; }),
    () => {
      keptIndices = new Uint32Array(3 * keptTriangles);
      let o = 0;
      return run(triangleCount, (from, to) => {
        for (let t = 3 * from; t < 3 * to; t += 3) {
          if (newIndex[indices[t]] < 0) continue;
          keptIndices[o++] = newIndex[indices[t]];
          keptIndices[o++] = newIndex[indices[t + 1]];
          keptIndices[o++] = newIndex[indices[t + 2]];
        }
      });
    },
  ];
  const result = (): SmallPartsResult<M> =>
    dropped === 0 ? { mesh, dropped, parts } : { mesh: { ...mesh, positions: keptPositions, normals: keptNormals, indices: keptIndices }, dropped, parts };
  return chain([...steps, () => (dropped === 0 ? undefined : chain(rebuild, () => undefined))], result);
}

/** Runs `steps` in order, awaiting only those that return a promise; then `done()`. Sync when every step is. */
function chain<T>(steps: readonly (() => void | Promise<void>)[], done: () => T, from = 0): T | Promise<T> {
  for (let i = from; i < steps.length; i++) {
    const pending = steps[i]();
    if (pending) return pending.then(() => chain(steps, done, i + 1));
  }
  return done();
}
