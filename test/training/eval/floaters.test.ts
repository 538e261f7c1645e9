/**
 * Floaters on hand-made grids: a piece counts when it is a separate (6-connected) component that does
 * not reach the truth dilated by one voxel; and the 2x refinement of a coarse occupancy matches a
 * dense evaluation of a smooth shape while evaluating far fewer points.
 */
import { countFloaters, dilateVoxels, refineOccupancy, upsampleVoxels } from '../../../training/eval/floaters.js';

const N = 16;
const index = (x: number, y: number, z: number): number => x + N * (y + N * z);

/** A grid with the boxes [x0, x1] x [y0, y1] x [z0, z1] (inclusive) set. */
function boxes(...list: [number, number, number, number, number, number][]): Uint8Array {
  const grid = new Uint8Array(N ** 3);
  for (const [x0, x1, y0, y1, z0, z1] of list) {
    for (let z = z0; z <= z1; z++) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) grid[index(x, y, z)] = 1;
  }
  return grid;
}

const truth = boxes([2, 6, 2, 6, 2, 6]);

describe('countFloaters', () => {
  test('a reconstruction equal to the truth has one component and no floater', () => {
    expect(countFloaters(truth, truth, N)).toEqual({ components: 1, floaters: 0, floaterVoxels: 0, floatersShown: 0 });
  });

  test('a separate blob two voxels from the truth is a floater, with its voxels', () => {
    // Truth ends at x = 6; its dilation at x = 7; a 2x2x2 blob at x = 8..9 touches neither.
    const reconstruction = boxes([2, 6, 2, 6, 2, 6], [8, 9, 3, 4, 3, 4]);
    expect(countFloaters(reconstruction, truth, N)).toEqual({ components: 2, floaters: 1, floaterVoxels: 8, floatersShown: 1 });
  });

  test('a separate blob within one voxel of the truth is not a floater (face or corner)', () => {
    // A gap of one voxel between the blob and the truth's face: the blob is in the dilation.
    const byFace = boxes([2, 5, 2, 6, 2, 6], [7, 7, 3, 4, 3, 4]);
    expect(countFloaters(byFace, boxes([2, 6, 2, 6, 2, 6]), N)).toEqual({ components: 2, floaters: 0, floaterVoxels: 0, floatersShown: 0 });
    // Only diagonal to the truth's corner (6, 6, 6): in its 3x3x3 dilation.
    const byCorner = boxes([2, 6, 2, 6, 2, 6], [7, 8, 7, 8, 7, 8]);
    expect(countFloaters(byCorner, truth, N).floaters).toBe(0);
  });

  test('blobs that share only an edge are separate pieces', () => {
    const reconstruction = boxes([2, 6, 2, 6, 2, 6], [10, 11, 10, 11, 3, 4], [12, 13, 12, 13, 3, 4]);
    expect(countFloaters(reconstruction, truth, N)).toEqual({ components: 3, floaters: 2, floaterVoxels: 16, floatersShown: 2 });
    // Sharing a face joins them.
    const joined = boxes([2, 6, 2, 6, 2, 6], [10, 11, 10, 11, 3, 4], [12, 13, 10, 11, 3, 4]);
    expect(countFloaters(joined, truth, N)).toEqual({ components: 2, floaters: 1, floaterVoxels: 16, floatersShown: 1 });
  });

  test('a reconstruction that misses the truth entirely is all floater; an empty one has none', () => {
    expect(countFloaters(boxes([10, 13, 10, 13, 10, 13]), truth, N)).toEqual({ components: 1, floaters: 1, floaterVoxels: 64, floatersShown: 1 });
    expect(countFloaters(new Uint8Array(N ** 3), truth, N)).toEqual({ components: 0, floaters: 0, floaterVoxels: 0, floatersShown: 0 });
  });

  test('floatersShown leaves out floaters under minPartFraction of the largest piece, as ImplicitShape drops them', () => {
    // Truth 125 voxels; floaters of 8 (6.4% of it) and 2 (1.6%).
    const reconstruction = boxes([2, 6, 2, 6, 2, 6], [9, 10, 9, 10, 9, 10], [13, 14, 2, 2, 2, 2]);
    expect(countFloaters(reconstruction, truth, N, 0.03)).toEqual({ components: 3, floaters: 2, floaterVoxels: 10, floatersShown: 1 });
    expect(countFloaters(reconstruction, truth, N, 0.1)).toMatchObject({ floaters: 2, floatersShown: 0 });
    // The largest piece is measured among all pieces, floaters too.
    expect(countFloaters(boxes([10, 13, 10, 13, 10, 13], [2, 2, 2, 2, 2, 2]), boxes([2, 2, 2, 2, 2, 2]), N, 0.03)).toMatchObject({ floaters: 1, floatersShown: 1 });
  });

  test('names wrong grid sizes', () => {
    expect(() => countFloaters(new Uint8Array(10), truth, N)).toThrow(/expected 16\^3 = 4096/);
  });
});

describe('grid helpers', () => {
  test('dilation grows a voxel into its 3x3x3 cube, clipped at the grid', () => {
    const one = new Uint8Array(N ** 3);
    one[index(0, 5, 5)] = 1;
    const grown = dilateVoxels(one, N);
    expect(grown.reduce((a, b) => a + b, 0)).toBe(2 * 3 * 3);
    expect(grown[index(1, 6, 6)]).toBe(1);
    expect(grown[index(2, 5, 5)]).toBe(0);
  });

  test('upsampling makes each voxel a factor^3 block', () => {
    const coarse = new Uint8Array(8);
    coarse[1 + 2 * (1 + 2 * 0)] = 1; // (1, 1, 0) of a 2^3 grid
    const fine = upsampleVoxels(coarse, 2, 2);
    const set: number[] = [];
    fine.forEach((v, i) => { if (v) set.push(i); });
    expect(set).toEqual([2 + 4 * (2 + 4 * 0), 3 + 4 * (2 + 4 * 0), 2 + 4 * (3 + 4 * 0), 3 + 4 * (3 + 4 * 0), 2 + 4 * (2 + 4 * 1), 3 + 4 * (2 + 4 * 1), 2 + 4 * (3 + 4 * 1), 3 + 4 * (3 + 4 * 1)]);
  });
});

describe('refineOccupancy', () => {
  test('a smooth shape refined from 16^3 to 32^3 equals its dense 32^3 occupancy, at a fraction of the evaluations', async () => {
    // Two spheres: values 1 inside, 0 outside.
    const field = (x: number, y: number, z: number): number =>
      (Math.hypot(x + 0.15, y, z) < 0.2 || Math.hypot(x - 0.2, y - 0.1, z + 0.05) < 0.12 ? 1 : 0);
    const centresOf = (n: number): Float32Array => {
      const p = new Float32Array(3 * n ** 3);
      let k = 0;
      for (let z = 0; z < n; z++) for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
        p[k++] = (x + 0.5) / n - 0.5; p[k++] = (y + 0.5) / n - 0.5; p[k++] = (z + 0.5) / n - 0.5;
      }
      return p;
    };
    const evaluateAll = (points: Float32Array): Float32Array => Float32Array.from({ length: points.length / 3 }, (_, i) => field(points[3 * i], points[3 * i + 1], points[3 * i + 2]));
    const coarse = evaluateAll(centresOf(16));
    let evaluated = 0;
    const fine = await refineOccupancy(coarse, 16, 0.5, async (points) => {
      evaluated += points.length / 3;
      return evaluateAll(points);
    }, 1000);
    const dense = Uint8Array.from(evaluateAll(centresOf(32)), (v) => (v >= 0.5 ? 1 : 0));
    expect(Array.from(fine)).toEqual(Array.from(dense));
    expect(evaluated).toBeGreaterThan(0);
    expect(evaluated).toBeLessThan(0.5 * 32 ** 3);
  });
});
