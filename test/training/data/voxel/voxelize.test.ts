import { applyNormalization, normalizationOf, orientYUp } from '../../../../training/data/voxel/normalize.js';
import { maxPool } from '../../../../training/data/voxel/maxPool.js';
import { voxelizeSolid } from '../../../../training/data/voxel/voxelize.js';
import type { TriangleMesh } from '../../../../training/data/mesh/TriangleMesh.js';
import { boxMesh, bunnyMesh, halfPipeMesh, meshVolume, mergeMeshes, teapotMesh } from '../mesh/meshWriters.js';

/** Positions normalized into [-0.5, 0.5]^3 (longest side 1), as prepare does. */
function normalized(mesh: TriangleMesh): Float64Array {
  const positions = orientYUp(mesh.positions, 'y');
  return applyNormalization(positions, normalizationOf(positions));
}

/** Voxel centres of an R^3 grid inside an axis-aligned box (normalized coordinates). */
function centresInBox(r: number, min: number[], max: number[]): number {
  let count = 1;
  for (let a = 0; a < 3; a++) {
    let n = 0;
    for (let k = 0; k < r; k++) {
      const c = (k + 0.5) / r - 0.5;
      if (c > min[a] && c < max[a]) n++;
    }
    count *= n;
  }
  return count;
}

/** Voxels of an R^3 grid whose closed cell meets an axis-aligned box (normalized coordinates). */
function cellsTouchingBox(r: number, min: number[], max: number[]): number {
  let count = 1;
  for (let a = 0; a < 3; a++) {
    let n = 0;
    // In voxel units, with a tolerance for the rounding of the box's corners.
    for (let k = 0; k < r; k++) if (k <= (max[a] + 0.5) * r + 1e-9 && k + 1 >= (min[a] + 0.5) * r - 1e-9) n++;
    count *= n;
  }
  return count;
}

function flipWinding(mesh: TriangleMesh): TriangleMesh {
  const indices = Uint32Array.from(mesh.indices);
  for (let t = 0; t < indices.length; t += 3) [indices[t + 1], indices[t + 2]] = [indices[t + 2], indices[t + 1]];
  return { positions: mesh.positions, indices };
}

describe('normalize', () => {
  test('centres the bounding box and scales its longest side to 1 (or the given length)', () => {
    const positions = orientYUp(boxMesh([1, 2, 3], [5, 4, 4]).positions, 'y');
    const n = normalizationOf(positions);
    expect(n.center).toEqual([3, 3, 3.5]);
    expect(n.scale).toBe(0.25);
    applyNormalization(positions, n);
    expect(Math.min(...positions)).toBe(-0.5);
    expect(Math.max(...positions)).toBe(0.5);
    expect(normalizationOf(orientYUp(boxMesh([0, 0, 0], [2, 1, 1]).positions, 'y'), 0.9).scale).toBeCloseTo(0.45, 12);
  });

  test('z-up sources are turned to y up', () => {
    const tall = orientYUp(boxMesh([0, 0, 0], [1, 1, 3]).positions, 'z');
    const heights = [];
    for (let i = 1; i < tall.length; i += 3) heights.push(tall[i]);
    expect(Math.max(...heights) - Math.min(...heights)).toBe(3);
  });

  test('a mesh without extent is refused', () => {
    expect(() => normalizationOf(new Float64Array([1, 1, 1, 1, 1, 1]))).toThrow(/bounding box has size 0/);
  });
});

describe('voxelizeSolid', () => {
  test('a closed box fills exactly the voxels it touches (default), or whose centres it contains (center)', () => {
    const box = boxMesh([0, 0, 0], [1, 0.6, 0.8]);
    // 0.6 * 40 = 24 voxels exactly: the faces at y = +-0.3 lie on voxel boundaries and touch the layer beyond.
    const solid = voxelizeSolid(normalized(box), box.indices, { resolution: 40 });
    expect(solid.stats.occupiedVoxels).toBe(cellsTouchingBox(40, [-0.5, -0.3, -0.4], [0.5, 0.3, 0.4]));
    expect(solid.stats.occupiedVoxels).toBe(40 * 26 * 34);
    expect(solid.stats.lostSurfaceVoxels).toBe(0);
    const { voxels, stats } = voxelizeSolid(normalized(box), box.indices, { resolution: 40, surface: 'center' });
    expect(stats.occupiedVoxels).toBe(centresInBox(40, [-0.5, -0.3, -0.4], [0.5, 0.3, 0.4]));
    // Every surface voxel left empty by the centre rule has an occupied neighbour: nothing lost.
    expect(stats.lostSurfaceVoxels).toBe(0);
    expect(stats.vanishedParts).toBe(0);
    expect(voxels.reduce((s, v) => s + v, 0)).toBe(stats.occupiedVoxels);
    expect(stats.leakedInsideVoxels).toBe(0);
    // Closed: the six axis rays agree everywhere, no diagonal rays needed.
    expect(stats.rayFamilies).toBe(3);
  });

  test('a cube with one face missing voxelizes as a solid', () => {
    const open = boxMesh([0, 0, 0], [1, 1, 1], '+y');
    const { stats } = voxelizeSolid(normalized(open), open.indices, { resolution: 32 });
    expect(stats.occupiedVoxels).toBe(32 ** 3);
    // The fill did leak through the hole; the ray votes (axes and diagonals) recovered the interior.
    expect(stats.leakedInsideVoxels).toBeGreaterThan(0);
    expect(stats.rayFamilies).toBe(9);
  });

  test('a box with one face missing, inside a larger grid, is solid and nothing else is', () => {
    const open = mergeMeshes(boxMesh([0, 0, 0], [1, 0.5, 0.6], '+x'), boxMesh([0, 0, 0], [0.01, 0.01, 0.01]));
    const { stats } = voxelizeSolid(normalized(open), open.indices, { resolution: 48, surface: 'center' });
    expect(stats.occupiedVoxels).toBe(centresInBox(48, [-0.5, -0.25, -0.3], [0.5, 0.25, 0.3]));
    const solid = voxelizeSolid(normalized(open), open.indices, { resolution: 48 });
    expect(solid.stats.occupiedVoxels).toBe(cellsTouchingBox(48, [-0.5, -0.25, -0.3], [0.5, 0.25, 0.3]));
  });

  test('overlapping parts (self-intersecting) give their union, whatever their winding', () => {
    const a = boxMesh([0, 0, 0], [0.6, 0.6, 0.6]);
    const b = boxMesh([0.3, 0.2, 0.1], [1, 0.5, 0.4]);
    const expected = (r: number) => {
      let n = 0;
      for (let z = 0; z < r; z++) for (let y = 0; y < r; y++) for (let x = 0; x < r; x++) {
        // Normalized: bounding box [0,1]x[0,0.6]x[0,0.6] centred, scale 1.
        const p = [(x + 0.5) / r, (y + 0.5) / r - 0.5 + 0.3, (z + 0.5) / r - 0.5 + 0.3];
        const inA = p[0] > 0 && p[0] < 0.6 && p[1] > 0 && p[1] < 0.6 && p[2] > 0 && p[2] < 0.6;
        const inB = p[0] > 0.3 && p[1] > 0.2 && p[1] < 0.5 && p[2] > 0.1 && p[2] < 0.4;
        if (inA || inB) n++;
      }
      return n;
    };
    for (const mesh of [mergeMeshes(a, b), mergeMeshes(a, flipWinding(b))]) {
      const { stats } = voxelizeSolid(normalized(mesh), mesh.indices, { resolution: 40, surface: 'center' });
      expect(stats.occupiedVoxels).toBe(expected(40));
    }
  });

  test("surface 'center' gives the bunny the volume of its closed mesh within 3%; the default adds its surface voxels", () => {
    const bunny = bunnyMesh();
    const positions = normalized(bunny);
    const exact = meshVolume(positions, bunny.indices);
    const r = 128;
    const center = voxelizeSolid(positions, bunny.indices, { resolution: r, surface: 'center' });
    expect(Math.abs(center.stats.occupiedVoxels / r ** 3 / exact - 1)).toBeLessThan(0.03);
    // Closed mesh: the surface wall is watertight, the fill never leaks in.
    expect(center.stats.leakedInsideVoxels).toBe(0);
    const solid = voxelizeSolid(positions, bunny.indices, { resolution: r });
    // The solid holds the centre-rule solid and every surface voxel, nothing else.
    let extra = 0, missing = 0;
    for (let i = 0; i < solid.voxels.length; i++) {
      if (solid.voxels[i] < center.voxels[i]) missing++;
      extra += solid.voxels[i] - center.voxels[i];
    }
    expect(missing).toBe(0);
    expect(extra).toBeGreaterThan(0);
    expect(extra).toBeLessThanOrEqual(solid.stats.surfaceVoxels);
    expect(solid.stats.lostSurfaceVoxels).toBe(0);
  });

  test('an open surface without a clear inside shows as uncertain; closed and merely holed meshes do not', () => {
    const share = (mesh: TriangleMesh) => {
      const { stats } = voxelizeSolid(normalized(mesh), mesh.indices, { resolution: 48 });
      return stats.uncertainVoxels / stats.occupiedVoxels;
    };
    expect(share(halfPipeMesh())).toBeGreaterThan(1);
    expect(share(boxMesh([0, 0, 0], [1, 1, 1], '+y'))).toBe(0);
    expect(share(boxMesh([0, 0, 0], [1, 0.5, 0.7]))).toBe(0);
  });

  test('a thin sheet and a thin rod survive by default; under center they vanish, and the stats say so', () => {
    // A 0.001-thick plate and, apart from it, a rod 0.002 thick: both far thinner than a voxel (1/32).
    const mesh = mergeMeshes(boxMesh([0, 0, 0], [1, 1, 0.001]), boxMesh([0.5, 0.5, 0.6], [0.502, 0.502, 1]));
    const r = 32;
    const solid = voxelizeSolid(normalized(mesh), mesh.indices, { resolution: r });
    expect(solid.stats.occupiedVoxels).toBe(solid.stats.surfaceVoxels);
    expect(solid.stats.occupiedVoxels).toBeGreaterThanOrEqual(r * r + 0.4 * r);
    expect(solid.stats.lostSurfaceVoxels).toBe(0);
    expect(solid.stats.vanishedParts).toBe(0);
    const center = voxelizeSolid(normalized(mesh), mesh.indices, { resolution: r, surface: 'center' });
    expect(center.stats.occupiedVoxels).toBe(0);
    expect(center.stats.lostSurfaceVoxels).toBe(center.stats.surfaceVoxels);
    // Two parts vanished, the plate the larger.
    expect(center.stats.vanishedParts).toBe(2);
    expect(center.stats.largestVanishedPart).toBeGreaterThanOrEqual(r * r);
  });

  test('the open Utah teapot (528 boundary edges) still has a solid body', () => {
    const teapot = teapotMesh();
    const r = 128;
    const { voxels, stats } = voxelizeSolid(normalized(teapot), teapot.indices, { resolution: r });
    expect(stats.leakedInsideVoxels).toBeGreaterThan(0);
    // The body's vertical axis is filled from near the bottom to near the lid.
    let column = 0;
    for (let y = 0; y < r; y++) column += voxels[r / 2 + r * (y + r * (r / 2))];
    expect(column).toBeGreaterThan(0.25 * r);
    expect(voxels[0]).toBe(0);
  });
});

describe('maxPool', () => {
  test('a pooled cell is 1 when any voxel of its block is', () => {
    const grid = new Uint8Array(4 ** 3);
    grid[3 + 4 * (2 + 4 * 1)] = 1; // voxel (3, 2, 1) -> cell (1, 1, 0)
    const pooled = maxPool(grid, 4, 2);
    expect(Array.from(pooled)).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => maxPool(grid, 4, 3)).toThrow(/not a multiple/);
  });
});
