/**
 * Indexed triangle meshes for the procedural generators: closed parts are built as plain arrays,
 * oriented outward and appended to one mesh. Parts may overlap; the mesh is their union, which the
 * voxelizer resolves (it fills by inside/outside, not by parity of one surface).
 */

import type { TriangleMesh } from '../mesh/TriangleMesh.js';

/** The toolkit's triangle mesh (xyz per vertex, three indices per triangle); generators wind it counter-clockwise seen from outside. */
export type { TriangleMesh };

export type Vec3 = readonly [number, number, number];

/** A closed, consistently wound surface under construction (world coordinates). */
export interface Part {
  positions: number[];
  indices: number[];
}

/** Six times the signed volume a closed part encloses: positive when its triangles face outward. */
export function signedVolume6(positions: ArrayLike<number>, indices: ArrayLike<number>): number {
  let volume = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const ax = positions[a], ay = positions[a + 1], az = positions[a + 2];
    const bx = positions[b], by = positions[b + 1], bz = positions[b + 2];
    const cx = positions[c], cy = positions[c + 1], cz = positions[c + 2];
    volume += ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  }
  return volume;
}

/** Collects closed parts into one mesh, winding each outward whatever way it was built or mirrored. */
export class MeshBuilder {
  private readonly positions: number[] = [];
  private readonly indices: number[] = [];

  /** Number of vertices so far. */
  get vertexCount(): number {
    return this.positions.length / 3;
  }

  /** Appends closed parts; a part whose signed volume is negative is flipped so it faces outward. */
  add(...parts: Part[]): this {
    for (const part of parts) {
      const base = this.positions.length / 3;
      for (const p of part.positions) this.positions.push(p);
      const flip = signedVolume6(part.positions, part.indices) < 0;
      const idx = part.indices;
      for (let t = 0; t < idx.length; t += 3) {
        if (flip) this.indices.push(base + idx[t], base + idx[t + 2], base + idx[t + 1]);
        else this.indices.push(base + idx[t], base + idx[t + 1], base + idx[t + 2]);
      }
    }
    return this;
  }

  /** The mesh so far, as typed arrays. */
  build(): TriangleMesh {
    return { positions: new Float32Array(this.positions), indices: new Uint32Array(this.indices) };
  }
}

/** Applies `f` to every vertex of the parts, in place, and returns them. */
export function mapVertices(parts: Part[], f: (x: number, y: number, z: number, out: number[]) => void): Part[] {
  const out = [0, 0, 0];
  for (const part of parts) {
    const p = part.positions;
    for (let i = 0; i < p.length; i += 3) {
      f(p[i], p[i + 1], p[i + 2], out);
      p[i] = out[0];
      p[i + 1] = out[1];
      p[i + 2] = out[2];
    }
  }
  return parts;
}

/** Moves parts by (dx, dy, dz), in place. */
export function translate(parts: Part[], dx: number, dy: number, dz: number): Part[] {
  return mapVertices(parts, (x, y, z, o) => {
    o[0] = x + dx;
    o[1] = y + dy;
    o[2] = z + dz;
  });
}

/**
 * Rotates parts in place by `angle` radians about the axis through `pivot` parallel to x, y or z
 * (right-handed: a positive angle about x turns +y toward +z).
 */
export function rotate(parts: Part[], axis: 'x' | 'y' | 'z', angle: number, pivot: Vec3 = [0, 0, 0]): Part[] {
  const c = Math.cos(angle), s = Math.sin(angle);
  const [px, py, pz] = pivot;
  return mapVertices(parts, (x, y, z, o) => {
    x -= px;
    y -= py;
    z -= pz;
    if (axis === 'x') {
      o[0] = x;
      o[1] = c * y - s * z;
      o[2] = s * y + c * z;
    } else if (axis === 'y') {
      o[0] = c * x + s * z;
      o[1] = y;
      o[2] = -s * x + c * z;
    } else {
      o[0] = c * x - s * y;
      o[1] = s * x + c * y;
      o[2] = z;
    }
    o[0] += px;
    o[1] += py;
    o[2] += pz;
  });
}

/** Axis-aligned bounds of a mesh's vertices. */
export function meshBounds(positions: ArrayLike<number>): { min: [number, number, number]; max: [number, number, number] } {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let k = 0; k < 3; k++) {
      const v = positions[i + k];
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  }
  return { min, max };
}

/**
 * Centres a mesh's bounding box at the origin and scales it uniformly so its longest side is
 * `extent`, in place: every category then fills the canonical box the same way.
 */
export function fitToExtent(mesh: TriangleMesh, extent: number): TriangleMesh {
  const { min, max } = meshBounds(mesh.positions);
  const size = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(size > 0)) throw new RangeError(`cannot fit a mesh whose bounding box has size ${size}`);
  const scale = extent / size;
  const c = [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2];
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3) {
    p[i] = (p[i] - c[0]) * scale;
    p[i + 1] = (p[i + 1] - c[1]) * scale;
    p[i + 2] = (p[i + 2] - c[2]) * scale;
  }
  return mesh;
}
