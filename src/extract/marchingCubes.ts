/**
 * Marching cubes over the box [-0.5,0.5]^3 split into `resolution`^3 cells, with the consistent
 * table of `marchingCubesTable.ts`.
 *
 * Grid conventions: corner (x, y, z), integers in 0..resolution, sits at -0.5 + (x, y, z) /
 * resolution; cell (i, j, k) spans corners i..i+1, j..j+1, k..k+1. Cells -1 and `resolution` on
 * each axis are the padding layer: their corners outside the grid count as empty, so a shape that
 * touches the box is capped there and the mesh stays closed.
 *
 * Two entry points share one per-cell path ({@link CellMesher}): {@link marchGrid} for a dense
 * corner grid, {@link marchCells} for any set of cells (what an adaptive extractor evaluates near
 * the surface). Vertices are keyed by global edge id, so cells may arrive in any order and still
 * share their vertices. The extractors use the time-sliced variants ({@link marchGridSliced},
 * {@link CellMesher.finishSliced}): the same kernels over the same cells in the same order, in
 * chunks with checkpoints between them, so the same mesh.
 */

import { EdgeVertexMap } from './edgeVertexMap.js';
import {
  CASE_EDGE_MASK,
  CASE_TRIANGLES,
  CASE_TRIANGLE_START,
  CORNER_OFFSETS,
  EDGE_AXIS,
  EDGE_CORNER_A,
  EDGE_CORNER_B,
} from './marchingCubesTable.js';
import type { Checkpoints, GrowsInChunks } from './checkpoints.js';
import type { ExtractedMesh } from './types.js';
import { computeVertexNormals, computeVertexNormalsSliced } from './vertexNormals.js';

/**
 * Largest resolution whose edge ids fit the map's uint32 keys: 3 (r+3)^3 must stay below 2^32 - 1.
 * 1024 keeps a round margin.
 */
export const MAX_RESOLUTION = 1024;

/** Corner value standing for the empty space beyond the grid: below any iso-level. */
const OUTSIDE = Number.NEGATIVE_INFINITY;

/**
 * Chunk sizes of {@link marchGridSliced}. Sphere at 256^3 in Node on the dev machine: ~4 ns per
 * scanned cell (its inside flag included), ~0.3 us per meshed cell, hence its weight; chunks then
 * take ~0.15 ms (flags) and ~0.25 ms (rows) on average under jest.
 */
const FLAGS_PER_CHUNK = 65536;
const GRID_WORK_PER_CHUNK = 32768;
const MESHED_CELL_WORK = 64;

/**
 * Accumulates the surface of cells one by one: shared vertices, triangles, then normals.
 * Internal building block of the extractors; each cell must be added at most once.
 */
export class CellMesher implements GrowsInChunks {
  /** Cells per axis of the grid the cell coordinates refer to. */
  readonly resolution: number;
  /** A corner is inside when its value >= isoLevel. */
  readonly isoLevel: number;

  private readonly cornersPerAxisPadded: number;
  /** Padded point-index offset of each of the 8 cell corners from corner 0. */
  private readonly cornerPointOffset = new Int32Array(8);
  private readonly vertexOfEdge: EdgeVertexMap;
  /** Vertex index of each crossing edge of the current cell. */
  private readonly cellVertices = new Int32Array(12);
  private positions: Float32Array;
  private vertexCount = 0;
  private indices: Uint32Array;
  private indexCount = 0;

  /**
   * @param resolution - cells per axis over [-0.5,0.5]^3, integer in 1..{@link MAX_RESOLUTION}.
   * @param isoLevel - inside when value >= isoLevel.
   * @param expectedVertices - capacity hint.
   */
  constructor(resolution: number, isoLevel: number, expectedVertices = 4096) {
    checkResolution(resolution, 1);
    if (!Number.isFinite(isoLevel)) throw new RangeError(`isoLevel is ${isoLevel}; expected a finite number`);
    this.resolution = resolution;
    this.isoLevel = isoLevel;
    const p = resolution + 3;
    this.cornersPerAxisPadded = p;
    for (let c = 0; c < 8; c++) {
      this.cornerPointOffset[c] =
        CORNER_OFFSETS[3 * c] + p * (CORNER_OFFSETS[3 * c + 1] + p * CORNER_OFFSETS[3 * c + 2]);
    }
    this.vertexOfEdge = new EdgeVertexMap(expectedVertices);
    this.positions = new Float32Array(3 * expectedVertices);
    this.indices = new Uint32Array(6 * expectedVertices);
  }

  /**
   * Adds the surface inside cell (i, j, k), each in -1..resolution (the padding layer included).
   * @param cornerValues - the cell's 8 corner values from `offset`, corner c at offset
   *   (c & 1, (c >> 1) & 1, (c >> 2) & 1); -Infinity for corners beyond the grid. NaN counts as
   *   outside.
   */
  addCell(i: number, j: number, k: number, cornerValues: Float32Array | Float64Array, offset = 0): void {
    const r = this.resolution;
    if (!(i >= -1 && i <= r && j >= -1 && j <= r && k >= -1 && k <= r)) {
      throw new RangeError(`cell (${i}, ${j}, ${k}) is outside -1..${r} on some axis`);
    }
    const iso = this.isoLevel;
    let caseIndex = 0;
    for (let c = 0; c < 8; c++) if (cornerValues[offset + c] >= iso) caseIndex |= 1 << c;
    const edgeMask = CASE_EDGE_MASK[caseIndex];
    if (edgeMask === 0) return;

    const p = this.cornersPerAxisPadded;
    const basePoint = i + 1 + p * (j + 1 + p * (k + 1));
    const cellVertices = this.cellVertices;
    for (let e = 0; e < 12; e++) {
      if ((edgeMask & (1 << e)) === 0) continue;
      const a = EDGE_CORNER_A[e];
      const axis = EDGE_AXIS[e];
      const key = 3 * (basePoint + this.cornerPointOffset[a]) + axis;
      let vertex = this.vertexOfEdge.get(key);
      if (vertex < 0) {
        const va = cornerValues[offset + a];
        const vb = cornerValues[offset + EDGE_CORNER_B[e]];
        let t = (iso - va) / (vb - va);
        // Infinite corner values (the padding layer) give NaN or out-of-range t: the crossing is
        // then at the inside corner, which is where clamping to the box would put it anyway.
        if (!(t >= 0 && t <= 1)) t = va >= iso ? 0 : 1;
        vertex = this.addVertex(
          i + CORNER_OFFSETS[3 * a] + (axis === 0 ? t : 0),
          j + CORNER_OFFSETS[3 * a + 1] + (axis === 1 ? t : 0),
          k + CORNER_OFFSETS[3 * a + 2] + (axis === 2 ? t : 0),
        );
        this.vertexOfEdge.insert(key, vertex);
      }
      cellVertices[e] = vertex;
    }

    const end = CASE_TRIANGLE_START[caseIndex + 1];
    let start = CASE_TRIANGLE_START[caseIndex];
    if (this.indexCount + (end - start) > this.indices.length) {
      this.indices = grow(this.indices, this.indexCount + (end - start));
    }
    const indices = this.indices;
    for (; start < end; start++) indices[this.indexCount++] = cellVertices[CASE_TRIANGLES[start]];
  }

  /** Its edge -> vertex table is getting full; see {@link growSliced}. */
  get crowded(): boolean {
    return this.vertexOfEdge.crowded;
  }

  /** Grows the edge -> vertex table in chunks, for time-sliced drivers (between their chunks). */
  growSliced(checkpoints: Checkpoints): Promise<void> {
    return this.vertexOfEdge.growSliced(checkpoints);
  }

  /** The mesh so far, with normals; arrays are trimmed copies. */
  finish(): ExtractedMesh {
    const positions = this.positions.slice(0, 3 * this.vertexCount);
    const indices = this.indices.slice(0, this.indexCount);
    return { positions, normals: computeVertexNormals(positions, indices), indices };
  }

  /** {@link finish} with the normals computed in chunks, a checkpoint between them. */
  async finishSliced(checkpoints: Checkpoints): Promise<ExtractedMesh> {
    const positions = this.positions.slice(0, 3 * this.vertexCount);
    const indices = this.indices.slice(0, this.indexCount);
    return { positions, normals: await computeVertexNormalsSliced(positions, indices, checkpoints), indices };
  }

  /** Adds a vertex at grid coordinates (gx, gy, gz), clamped to the box. */
  private addVertex(gx: number, gy: number, gz: number): number {
    if (3 * this.vertexCount + 3 > this.positions.length) {
      this.positions = grow(this.positions, 3 * this.vertexCount + 3);
    }
    const scale = 1 / this.resolution;
    const o = 3 * this.vertexCount;
    this.positions[o] = clampToBox(-0.5 + gx * scale);
    this.positions[o + 1] = clampToBox(-0.5 + gy * scale);
    this.positions[o + 2] = clampToBox(-0.5 + gz * scale);
    return this.vertexCount++;
  }
}

/**
 * Marches a dense corner grid.
 *
 * @param values - (resolution+1)^3 corner values, x fastest: index = x + (r+1) * (y + (r+1) * z).
 * @param resolution - cells per axis over [-0.5,0.5]^3, integer in 1..{@link MAX_RESOLUTION}.
 * @param isoLevel - a corner is inside when value >= isoLevel (NaN is outside).
 * @returns a closed, manifold mesh, capped at the box where the inside touches it.
 */
export function marchGrid(values: Float32Array, resolution: number, isoLevel: number): ExtractedMesh {
  const grid = prepareGrid(values, resolution, isoLevel);
  setInsideFlags(grid, 0, grid.n * grid.n);
  marchRows(grid, 0, grid.rows, Number.POSITIVE_INFINITY);
  return grid.mesher.finish();
}

/**
 * {@link marchGrid} in chunks of a few tenths of a millisecond, a checkpoint between them; the same
 * mesh. For the extractors: `checkpoints` carries their abort signal and time slice.
 */
export async function marchGridSliced(
  values: Float32Array,
  resolution: number,
  isoLevel: number,
  checkpoints: Checkpoints,
): Promise<ExtractedMesh> {
  const grid = prepareGrid(values, resolution, isoLevel);
  const n = grid.n;
  await checkpoints.forEachChunk(n * n, Math.max(1, Math.floor(FLAGS_PER_CHUNK / n)), (from, to) =>
    setInsideFlags(grid, from, to),
  );
  for (let row = 0; row < grid.rows; ) {
    if (grid.mesher.crowded) await grid.mesher.growSliced(checkpoints);
    row = marchRows(grid, row, grid.rows, GRID_WORK_PER_CHUNK);
    const wait = checkpoints.next();
    if (wait) await wait;
  }
  return grid.mesher.finishSliced(checkpoints);
}

/** A dense grid being marched. */
interface GridMarch {
  values: Float32Array;
  isoLevel: number;
  /** Corners per axis. */
  n: number;
  /** Inside flags with a one-corner empty border ((n+2)^3): padded cells read theirs without bounds checks. */
  inside: Uint8Array;
  /** Rows of padded cells: (n+1)^2, row cy + (n+1) cz, cx fastest within. */
  rows: number;
  mesher: CellMesher;
  /** Corner values of the current cell. */
  corners: Float64Array;
}

function prepareGrid(values: Float32Array, resolution: number, isoLevel: number): GridMarch {
  checkResolution(resolution, 1);
  const n = resolution + 1;
  if (values.length !== n * n * n) {
    throw new RangeError(
      `values has ${values.length} entries; resolution ${resolution} needs ${n}^3 = ${n * n * n} corners`,
    );
  }
  const mesher = new CellMesher(resolution, isoLevel, Math.max(1024, 4 * n * n));
  const p = n + 2;
  return {
    values, isoLevel, n, inside: new Uint8Array(p * p * p), rows: (p - 1) * (p - 1), mesher,
    corners: new Float64Array(8),
  };
}

/** Inside flags of the corner rows from..to-1 (row y + n z, x fastest within). */
function setInsideFlags(grid: GridMarch, from: number, to: number): void {
  const { values, isoLevel, n, inside } = grid;
  const p = n + 2;
  for (let yz = from; yz < to; yz++) {
    const y = yz % n;
    const z = (yz - y) / n;
    const row = n * yz;
    const paddedRow = 1 + p * (y + 1 + p * (z + 1));
    for (let x = 0; x < n; x++) inside[paddedRow + x] = values[row + x] >= isoLevel ? 1 : 0;
  }
}

/**
 * Marches the padded cell rows from `from` on, up to `to` or until `workLimit` is spent (a scanned
 * cell costs 1, a meshed one {@link MESHED_CELL_WORK}; whole rows only); returns the next row.
 */
function marchRows(grid: GridMarch, from: number, to: number, workLimit: number): number {
  const { values, n, inside, mesher, corners } = grid;
  const p = n + 2;
  const pp = p * p;
  let work = 0;
  let row = from;
  while (row < to && work < workLimit) {
    const cy = row % (p - 1);
    const cz = (row - cy) / (p - 1);
    let point = p * (cy + p * cz);
    // Slide along x: the x=1 corners of one cell (bits 1,3,5,7) are the x=0 corners of the next.
    let caseIndex =
      (inside[point] << 1) | (inside[point + p] << 3) | (inside[point + pp] << 5) | (inside[point + p + pp] << 7);
    for (let cx = 0; cx < p - 1; cx++, point++) {
      caseIndex =
        ((caseIndex >> 1) & 0x55) |
        (inside[point + 1] << 1) |
        (inside[point + 1 + p] << 3) |
        (inside[point + 1 + pp] << 5) |
        (inside[point + 1 + p + pp] << 7);
      if (caseIndex === 0 || caseIndex === 255) continue;
      gatherCorners(values, n, cx - 1, cy - 1, cz - 1, corners);
      mesher.addCell(cx - 1, cy - 1, cz - 1, corners);
      work += MESHED_CELL_WORK;
    }
    work += p - 1;
    row++;
  }
  return row;
}

/**
 * Marches an explicit list of cells of a `resolution`^3 grid; for extractors that only evaluate
 * cells near the surface. The list must hold every cell the surface passes through (else the mesh
 * has holes) and each cell once.
 *
 * @param cells - (i, j, k) per cell, each in -1..resolution (the padding layer included).
 * @param cornerValues - 8 values per cell, corner c at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1);
 *   -Infinity for corners beyond the grid.
 * @param resolution - cells per axis over [-0.5,0.5]^3, integer in 1..{@link MAX_RESOLUTION}.
 * @param isoLevel - a corner is inside when value >= isoLevel (NaN is outside).
 */
export function marchCells(
  cells: Int32Array,
  cornerValues: Float32Array,
  resolution: number,
  isoLevel: number,
): ExtractedMesh {
  if (cells.length % 3 !== 0) throw new RangeError(`cells has ${cells.length} entries; expected 3 per cell`);
  const cellCount = cells.length / 3;
  if (cornerValues.length !== 8 * cellCount) {
    throw new RangeError(`cornerValues has ${cornerValues.length} entries; ${cellCount} cells need ${8 * cellCount}`);
  }
  const mesher = new CellMesher(resolution, isoLevel, Math.max(1024, cellCount));
  for (let c = 0; c < cellCount; c++) {
    mesher.addCell(cells[3 * c], cells[3 * c + 1], cells[3 * c + 2], cornerValues, 8 * c);
  }
  return mesher.finish();
}

/** Throws unless `resolution` is an integer in min..MAX_RESOLUTION. */
function checkResolution(resolution: number, min: number): void {
  if (!Number.isInteger(resolution) || resolution < min || resolution > MAX_RESOLUTION) {
    throw new RangeError(`resolution is ${resolution}; expected an integer in ${min}..${MAX_RESOLUTION}`);
  }
}

/** Writes the 8 corner values of cell (i, j, k) into `out`, OUTSIDE beyond the grid. */
function gatherCorners(values: Float32Array, n: number, i: number, j: number, k: number, out: Float64Array): void {
  for (let c = 0; c < 8; c++) {
    const x = i + (c & 1);
    const y = j + ((c >> 1) & 1);
    const z = k + ((c >> 2) & 1);
    out[c] = x >= 0 && x < n && y >= 0 && y < n && z >= 0 && z < n ? values[x + n * (y + n * z)] : OUTSIDE;
  }
}

function clampToBox(v: number): number {
  return v < -0.5 ? -0.5 : v > 0.5 ? 0.5 : v;
}

function grow<T extends Float32Array | Uint32Array>(array: T, needed: number): T {
  let length = Math.max(64, array.length * 2);
  while (length < needed) length *= 2;
  const bigger = new (array.constructor as { new (length: number): T })(length);
  bigger.set(array);
  return bigger;
}
