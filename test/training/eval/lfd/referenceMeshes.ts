/**
 * The meshes of LFD.md's reference values (closed, outward-facing triangles): cube, box and a
 * 32-segment cylinder with fanned caps.
 */
import type { LfdMesh } from '../../../../training/eval/lfd/index.js';

export interface TestMesh extends LfdMesh {
  readonly positions: Float32Array;
  readonly indices: Uint32Array;
}

/** The axis-aligned box [0, sx] x [0, sy] x [0, sz], two triangles per face, counter-clockwise from outside. */
export function axisBox(sx: number, sy: number, sz: number): TestMesh {
  const positions: number[] = [];
  for (let i = 0; i < 8; i++) positions.push(i & 1 ? sx : 0, i & 2 ? sy : 0, i & 4 ? sz : 0);
  const quads = [[0, 4, 6, 2], [1, 3, 7, 5], [0, 1, 5, 4], [2, 6, 7, 3], [0, 2, 3, 1], [4, 5, 7, 6]];
  const indices = quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]);
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/** cube: [0,1]^3. */
export const cubeMesh = (): TestMesh => axisBox(1, 1, 1);
/** box: [0,1] x [0,0.5] x [0,0.25]. */
export const boxMesh = (): TestMesh => axisBox(1, 0.5, 0.25);

/** cylinder: radius 0.5 around the z axis, z in [-1, 1], `segments` sides, caps fanned from a centre vertex. */
export function cylinderMesh(segments = 32): TestMesh {
  const positions: number[] = [];
  const indices: number[] = [];
  for (let i = 0; i < segments; i++) {
    const angle = (2 * Math.PI * i) / segments;
    const x = 0.5 * Math.cos(angle), y = 0.5 * Math.sin(angle);
    positions.push(x, y, -1, x, y, 1);
  }
  const bottom = 2 * segments, top = bottom + 1;
  positions.push(0, 0, -1, 0, 0, 1);
  for (let i = 0; i < segments; i++) {
    const j = (i + 1) % segments;
    const b0 = 2 * i, t0 = b0 + 1, b1 = 2 * j, t1 = b1 + 1;
    indices.push(b0, b1, t1, b0, t1, t0, bottom, b1, b0, top, t0, t1);
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/** A copy of `mesh` moved, scaled and with every triangle's winding flipped. */
export function movedScaledFlipped(mesh: TestMesh, offset: [number, number, number], scale: number): TestMesh {
  const positions = mesh.positions.map((v, i) => v * scale + offset[i % 3]);
  const indices = mesh.indices.slice();
  for (let t = 0; t < indices.length; t += 3) [indices[t + 1], indices[t + 2]] = [indices[t + 2], indices[t + 1]];
  return { positions, indices };
}
