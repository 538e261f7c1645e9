/**
 * The reconstruction metrics against cases with known answers: Chamfer distance of offset planes,
 * area-uniform surface sampling, the voxel-grid surface of a sphere, IoU and MSE.
 */
import { chamferDistance, sampleSurface, voxelIou, voxelMse } from '../../../training/eval/metrics.js';
import { downsampleVoxels, gridSurface, voxelCentres } from '../../../training/eval/gridSurface.js';
import { analyseTopology, topologyDefects } from '../../support/meshTopology.js';

/** An n x n grid of points on the plane z = height. */
function planePoints(n: number, height: number): Float32Array {
  const out = new Float32Array(3 * n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.set([i / n, j / n, height], 3 * (i * n + j));
  return out;
}

describe('chamferDistance', () => {
  test('is 0 for identical sets and 2 d^2 for a plane and its copy moved by d (squared, both directions summed)', () => {
    const a = planePoints(20, 0);
    expect(chamferDistance(a, a)).toBe(0);
    expect(chamferDistance(a, planePoints(20, 0.01))).toBeCloseTo(2 * 0.01 ** 2, 10);
  });

  test('an empty reconstruction is infinitely far', () => {
    expect(chamferDistance(new Float32Array(0), planePoints(2, 0))).toBe(Infinity);
  });
});

describe('sampleSurface', () => {
  test('samples by area and only on the triangles', () => {
    // Two triangles in z = 0: areas 1.5 (x < 0) and 0.5 (x > 0).
    const mesh = {
      positions: Float32Array.from([-3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0]),
      indices: Uint32Array.from([0, 1, 2, 3, 4, 5]),
    };
    const points = sampleSurface(mesh, 4000, 5);
    let left = 0;
    for (let i = 0; i < 4000; i++) {
      const [x, y, z] = [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
      expect(z).toBe(0);
      expect(y).toBeGreaterThanOrEqual(0);
      if (x < 0) { left++; expect(y).toBeLessThanOrEqual(1 + x / 3 + 1e-6); } else expect(y).toBeLessThanOrEqual(1 - x + 1e-6);
    }
    expect(left / 4000).toBeGreaterThan(0.72);
    expect(left / 4000).toBeLessThan(0.78);
    expect(sampleSurface(mesh, 10, 5)).toEqual(sampleSurface(mesh, 10, 5));
  });
});

describe('gridSurface', () => {
  const n = 64;
  const centres = voxelCentres(n);
  const sphere = new Uint8Array(n ** 3);
  for (let i = 0; i < sphere.length; i++) sphere[i] = Math.hypot(centres[3 * i], centres[3 * i + 1], centres[3 * i + 2]) <= 0.3 ? 1 : 0;

  test('meshes voxels of a sphere into a closed surface within a voxel of the sphere', () => {
    const mesh = gridSurface(sphere, n);
    expect(topologyDefects(analyseTopology(mesh))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    for (let v = 0; v < mesh.positions.length; v += 3) {
      expect(Math.abs(Math.hypot(mesh.positions[v], mesh.positions[v + 1], mesh.positions[v + 2]) - 0.3)).toBeLessThan(1 / n);
    }
    // By Chamfer (x1000, 4096 points), the voxel surface is near the sphere of radius 0.3 (what is
    // left is mostly sampling: 4096 points are ~0.017 apart) and clearly farther from one of 0.33.
    const onSphere = (radius: number): Float32Array => sampleSurface(mesh, 4096, 1).map((v, i, a) => {
      const k = i - (i % 3);
      return (v / Math.hypot(a[k], a[k + 1], a[k + 2])) * radius;
    });
    const samples = sampleSurface(mesh, 4096, 2);
    expect(chamferDistance(samples, onSphere(0.3)) * 1000).toBeLessThan(0.5);
    expect(chamferDistance(samples, onSphere(0.33)) * 1000).toBeGreaterThan(1.5);
  });

  test('closes a shape that fills the box at the box faces', () => {
    const full = gridSurface(new Uint8Array(8 ** 3).fill(1), 8);
    let lo = Infinity, hi = -Infinity;
    for (const v of full.positions) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    expect(lo).toBeCloseTo(-0.5, 6);
    expect(hi).toBeCloseTo(0.5, 6);
  });

  test('downsampling keeps a voxel when half its sub-voxels are inside', () => {
    const coarse = downsampleVoxels(sphere, 32);
    const c32 = voxelCentres(32);
    let wrong = 0;
    for (let i = 0; i < coarse.length; i++) if (coarse[i] !== (Math.hypot(c32[3 * i], c32[3 * i + 1], c32[3 * i + 2]) <= 0.3 ? 1 : 0)) wrong++;
    expect(wrong / coarse.length).toBeLessThan(0.01);
  });
});

describe('voxelIou and voxelMse', () => {
  test('score predictions against 0/1 voxels', () => {
    const target = Uint8Array.from([1, 1, 0, 0]);
    expect(voxelIou(Float32Array.from([0.9, 0.2, 0.7, 0.1]), target)).toBeCloseTo(1 / 3);
    expect(voxelIou(new Float32Array(4).fill(1), target)).toBeCloseTo(0.5);
    expect(voxelIou(new Float32Array(4), target)).toBe(0);
    expect(voxelMse(Float32Array.from([1, 0.5, 0, 0.5]), target)).toBeCloseTo(0.125);
  });
});
