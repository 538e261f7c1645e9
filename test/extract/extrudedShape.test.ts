/**
 * The 2D path: marching squares over a planar field, then extrusion, gives closed, outward-oriented
 * manifolds whose topology and volume are the field's (a disc is a genus-0 slab of area x depth, a
 * ring a torus, two discs two components), saddles resolve consistently, and bad input is a typed error.
 */
import { extractExtrudedShape, marchSquares, type OccupancyFunction } from '../../src/extract/index.js';
import { analyseTopology, signedVolume, topologyDefects } from '../support/meshTopology.js';

const NO_DEFECTS = { degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 };

/** A planar occupancy from a signed distance: a steep sigmoid, 0.5 on the outline. */
function planar(distance: (x: number, y: number) => number): OccupancyFunction {
  return async (points) => {
    const out = new Float32Array(points.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = 1 / (1 + Math.exp(40 * distance(points[2 * i], points[2 * i + 1])));
    return out;
  };
}

const disc = (cx: number, cy: number, r: number) => (x: number, y: number) => Math.hypot(x - cx, y - cy) - r;

describe('extractExtrudedShape', () => {
  test('a disc becomes a closed genus-0 slab with volume pi r^2 depth (within 2%)', async () => {
    const mesh = await extractExtrudedShape(planar(disc(0.05, -0.02, 0.3)), { resolution: 64, depth: 0.2 });
    const report = analyseTopology(mesh);
    expect(topologyDefects(report)).toEqual(NO_DEFECTS);
    expect(report.eulerCharacteristic).toBe(2);
    const exact = Math.PI * 0.3 ** 2 * 0.2;
    expect(Math.abs(signedVolume(mesh) - exact) / exact).toBeLessThan(0.02);
    expect(mesh.stats).toEqual({ evaluations: 65 * 65, rounds: 1, calls: 1 });
    for (let i = 2; i < mesh.positions.length; i += 3) expect(Math.abs(mesh.positions[i])).toBeCloseTo(0.1, 6);
  });

  test('a ring is a torus (Euler characteristic 0); two discs are two spheres', async () => {
    const ring = await extractExtrudedShape(planar((x, y) => Math.abs(Math.hypot(x, y) - 0.3) - 0.08), { resolution: 48 });
    expect(topologyDefects(analyseTopology(ring))).toEqual(NO_DEFECTS);
    expect(analyseTopology(ring).eulerCharacteristic).toBe(0);
    const two = await extractExtrudedShape(planar((x, y) => Math.min(disc(-0.25, 0, 0.15)(x, y), disc(0.25, 0, 0.15)(x, y))), { resolution: 48, batchSize: 100 });
    expect(topologyDefects(analyseTopology(two))).toEqual(NO_DEFECTS);
    expect(analyseTopology(two).eulerCharacteristic).toBe(4);
    expect(two.stats.calls).toBe(Math.ceil(49 * 49 / 100));
  });

  test('saddles: a cell with diagonal inside corners joins them when its centre is inside, not otherwise', () => {
    // 3 x 3 cells; the middle cell's corners (1,1) and (2,2) are inside, (2,1) and (1,2) outside; border corners are outside.
    const grid = (inside: number, outside: number) => {
      const v = new Float32Array(16);
      v[1 + 4 * 1] = inside; v[2 + 4 * 2] = inside; v[2 + 4 * 1] = outside; v[1 + 4 * 2] = outside;
      return v;
    };
    const loops = (region: ReturnType<typeof marchSquares>) => {
      const next = new Map<number, number>();
      for (let i = 0; i < region.outline.length; i += 2) next.set(region.outline[i], region.outline[i + 1]);
      const seen = new Set<number>();
      let count = 0;
      for (const start of next.keys()) {
        if (seen.has(start)) continue;
        count++;
        for (let v = start; !seen.has(v); v = next.get(v)!) seen.add(v);
      }
      return count;
    };
    expect(loops(marchSquares(grid(1, 0.3), 3))).toBe(1); // centre mean 0.65
    expect(loops(marchSquares(grid(0.6, 0.1), 3))).toBe(2); // centre mean 0.35
  });

  test('bad input is a typed error naming what was expected', async () => {
    await expect(extractExtrudedShape(planar(disc(0, 0, 0.3)), { depth: 0 })).rejects.toThrow(/depth is 0; expected a positive/);
    await expect(extractExtrudedShape(async () => new Float32Array(3), { resolution: 4 })).rejects.toThrow(/returned 3 values for 25 points/);
    await expect(extractExtrudedShape(async (p) => new Float32Array(p.length / 2).fill(NaN), { resolution: 4 })).rejects.toThrow(/NaN for point \(-0\.5, -0\.5\)/);
    expect(() => marchSquares(new Float32Array(10), 4)).toThrow(/expected \(4 \+ 1\)\^2 = 25/);
    const abort = new AbortController();
    abort.abort();
    await expect(extractExtrudedShape(planar(disc(0, 0, 0.3)), { signal: abort.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
