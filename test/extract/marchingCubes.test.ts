import { marchCells, marchGrid } from '../../src/extract/index.js';
import { analyseTopology, seededRandom, signedVolume, topologyDefects } from '../support/meshTopology.js';

const NO_DEFECTS = {
  degenerateTriangles: 0,
  repeatedDirectedEdges: 0,
  unmatchedDirectedEdges: 0,
  nonManifoldVertices: 0,
  unusedVertices: 0,
};

/** Corner values of a (resolution+1)^3 grid from a function of corner coordinates. */
function gridOf(resolution: number, value: (x: number, y: number, z: number) => number): Float32Array {
  const n = resolution + 1;
  const values = new Float32Array(n * n * n);
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) values[x + n * (y + n * z)] = value(x, y, z);
    }
  }
  return values;
}

describe('marching cubes table', () => {
  it('gives every one of the 256 cases, alone in empty space, a closed oriented manifold surface', () => {
    for (let caseIndex = 1; caseIndex < 255; caseIndex++) {
      const corner = (x: number, y: number, z: number): number => {
        const c = (x - 1) + 2 * (y - 1) + 4 * (z - 1);
        return x >= 1 && x <= 2 && y >= 1 && y <= 2 && z >= 1 && z <= 2 && (caseIndex >> c) & 1 ? 1 : 0;
      };
      // The case's cell sits in the middle of a 3^3-cell grid, so the neighbours it is glued to
      // come from the table too.
      const mesh = marchGrid(gridOf(3, corner), 3, 0.5);
      const report = analyseTopology(mesh);
      expect({ caseIndex, ...topologyDefects(report) }).toEqual({ caseIndex, ...NO_DEFECTS });
      // Each inside region is a union of blobs around corners: outward winding means positive volume.
      expect(signedVolume(mesh)).toBeGreaterThan(0);
    }
  });

  it('gives every case a closed surface when its cell is the whole grid (capped by the padding)', () => {
    for (let caseIndex = 1; caseIndex < 256; caseIndex++) {
      const values = gridOf(1, (x, y, z) => (caseIndex >> (x + 2 * y + 4 * z)) & 1);
      const mesh = marchGrid(values, 1, 0.5);
      expect({ caseIndex, ...topologyDefects(analyseTopology(mesh)) }).toEqual({ caseIndex, ...NO_DEFECTS });
    }
  });

  it('glues random sign patterns into closed, oriented, edge- and vertex-manifold meshes', () => {
    // Random corners hit every case and every ambiguous face configuration many times, next to
    // every kind of neighbour: the test that the face rule is the same on both sides of a face.
    for (let seed = 1; seed <= 6; seed++) {
      const random = seededRandom(seed);
      const values = gridOf(12, () => random());
      const report = analyseTopology(marchGrid(values, 12, 0.5));
      expect({ seed, ...topologyDefects(report) }).toEqual({ seed, ...NO_DEFECTS });
      expect(report.triangles).toBeGreaterThan(1000);
    }
  });

  it('stays closed when random inside corners touch the box on every side', () => {
    for (let seed = 11; seed <= 14; seed++) {
      const random = seededRandom(seed);
      // A low iso-level makes most corners inside, so the padding layer caps large areas.
      const values = gridOf(12, () => random());
      const mesh = marchGrid(values, 12, 0.3);
      const report = analyseTopology(mesh);
      expect({ seed, ...topologyDefects(report) }).toEqual({ seed, ...NO_DEFECTS });
      expect(Math.max(...mesh.positions.map(Math.abs))).toBeLessThanOrEqual(0.5);
    }
  });

  it('caps a full box into a closed cube of volume 1', () => {
    const mesh = marchGrid(gridOf(4, () => 1), 4, 0.5);
    const report = analyseTopology(mesh);
    expect(topologyDefects(report)).toEqual(NO_DEFECTS);
    expect(report.eulerCharacteristic).toBe(2);
    expect(signedVolume(mesh)).toBeCloseTo(1, 6);
  });

  it('marches a shuffled cell list into the same mesh as the dense grid', () => {
    const resolution = 16;
    const n = resolution + 1;
    const values = gridOf(resolution, (x, y, z) => {
      const d = Math.hypot(x / resolution - 0.5, y / resolution - 0.45, z / resolution - 0.55);
      return 0.5 - (d - 0.3);
    });
    const dense = marchGrid(values, resolution, 0.5);

    const cells: number[] = [];
    const corners: number[] = [];
    for (let k = -1; k <= resolution; k++) {
      for (let j = -1; j <= resolution; j++) {
        for (let i = -1; i <= resolution; i++) {
          const cell: number[] = [];
          for (let c = 0; c < 8; c++) {
            const x = i + (c & 1);
            const y = j + ((c >> 1) & 1);
            const z = k + ((c >> 2) & 1);
            const inGrid = x >= 0 && x < n && y >= 0 && y < n && z >= 0 && z < n;
            cell.push(inGrid ? values[x + n * (y + n * z)] : -Infinity);
          }
          const inside = cell.filter((v) => v >= 0.5).length;
          if (inside === 0 || inside === 8) continue;
          cells.push(i, j, k);
          corners.push(...cell);
        }
      }
    }
    // Reverse the order: vertex sharing must not depend on the order cells arrive in.
    const count = cells.length / 3;
    const order = Array.from({ length: count }, (_, c) => count - 1 - c);
    const sparse = marchCells(
      Int32Array.from(order.flatMap((c) => cells.slice(3 * c, 3 * c + 3))),
      Float32Array.from(order.flatMap((c) => corners.slice(8 * c, 8 * c + 8))),
      resolution,
      0.5,
    );
    expect(topologyDefects(analyseTopology(sparse))).toEqual(NO_DEFECTS);
    expect(sparse.indices.length).toBe(dense.indices.length);
    expect(sparse.positions.length).toBe(dense.positions.length);
    expect(signedVolume(sparse)).toBeCloseTo(signedVolume(dense), 9);
  });

  it('rejects a grid whose size does not match the resolution', () => {
    expect(() => marchGrid(new Float32Array(10), 2, 0.5)).toThrow(RangeError);
    expect(() => marchGrid(new Float32Array(8), 0, 0.5)).toThrow(/resolution/);
    expect(() => marchCells(new Int32Array([0, 0, 5]), new Float32Array(8), 3, 0.5)).toThrow(RangeError);
  });
});
