/**
 * `dropSmallParts`: separate pieces of an extracted mesh under a fraction of the largest piece's
 * enclosed volume go; the rest of the mesh is untouched, and cavity walls stay.
 */
import { dropSmallParts, marchGrid } from '../../src/extract/index.js';
import { Checkpoints } from '../../src/extract/checkpoints.js';
import { dropSmallPartsSliced } from '../../src/extract/smallParts.js';
import { cornerValues, occupancyOfSdf, triangleSet, type Sdf } from '../support/fields.js';
import { analyseTopology, topologyDefects } from '../support/meshTopology.js';

const sphere = (cx: number, cy: number, cz: number, r: number): Sdf => (x, y, z) => Math.hypot(x - cx, y - cy, z - cz) - r;
const union = (...parts: Sdf[]): Sdf => (x, y, z) => Math.min(...parts.map((p) => p(x, y, z)));
const big = sphere(-0.1, 0, 0, 0.3);
/** Volume ratio to `big`: (0.06 / 0.3)^3 = 0.8%. */
const blob = sphere(0.35, 0.3, 0.3, 0.06);
/** Volume ratio to `big`: (0.12 / 0.3)^3 = 6.4%. */
const part = sphere(0.33, -0.3, -0.3, 0.12);

async function meshOf(sdf: Sdf, resolution = 48) {
  return marchGrid(await cornerValues(occupancyOfSdf(sdf), resolution), resolution, 0.5);
}

describe('dropSmallParts', () => {
  it('drops a piece under the fraction and leaves the other pieces exactly as they were', async () => {
    const mesh = await meshOf(union(big, blob, part));
    const { mesh: kept, dropped, parts } = dropSmallParts(mesh, 0.03);
    expect(parts).toBe(3);
    expect(dropped).toBe(1);
    // Away from the blob the field is the same, so the kept triangles are those of the field without it.
    expect(triangleSet(kept)).toEqual(triangleSet(await meshOf(union(big, part))));
    expect(topologyDefects(analyseTopology(kept))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    // Normals travel with their vertices.
    expect(kept.normals.length).toBe(kept.positions.length);

    const only = dropSmallParts(mesh, 0.1);
    expect(only.dropped).toBe(2);
    expect(triangleSet(only.mesh)).toEqual(triangleSet(await meshOf(big)));
  });

  it('returns the mesh itself when nothing is under the fraction, or the fraction is 0', async () => {
    const mesh = await meshOf(union(big, part));
    expect(dropSmallParts(mesh, 0.03).mesh).toBe(mesh);
    expect(dropSmallParts(mesh, 0)).toEqual({ mesh, dropped: 0, parts: 2 });
  });

  it('keeps the inner wall of a cavity, whose enclosed volume is negative, even at fraction 1', async () => {
    // A shell: inside between radius 0.15 and 0.35, so the mesh has an outer and an inner wall.
    const shell: Sdf = (x, y, z) => Math.abs(Math.hypot(x, y, z) - 0.25) - 0.1;
    const mesh = await meshOf(shell);
    const result = dropSmallParts(mesh, 1);
    expect(result).toEqual({ mesh, dropped: 0, parts: 1 });
  });

  it('sliced, gives the same mesh with checkpoints between chunks, and stops at an abort', async () => {
    const mesh = await meshOf(union(big, blob, part), 96);
    let checkpoints = 0;
    const slice = { checkpoint: () => { checkpoints++; return checkpoints % 4 === 0 ? Promise.resolve() : undefined; } };
    const sliced = await dropSmallPartsSliced(mesh, 0.03, new Checkpoints(slice, undefined));
    const whole = dropSmallParts(mesh, 0.03);
    expect(sliced.dropped).toBe(1);
    expect(sliced.mesh.indices).toEqual(whole.mesh.indices);
    expect(sliced.mesh.positions).toEqual(whole.mesh.positions);
    expect(sliced.mesh.normals).toEqual(whole.mesh.normals);
    // A pass per chunk of 16,384 triangles or vertices: many checkpoints on a mesh this size.
    expect(checkpoints).toBeGreaterThan(mesh.indices.length / 3 / 16384);

    const abort = new AbortController();
    abort.abort();
    await expect(dropSmallPartsSliced(mesh, 0.03, new Checkpoints(slice, abort.signal))).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a fraction outside [0, 1] with a RangeError naming it', async () => {
    const mesh = await meshOf(big, 16);
    for (const bad of [-0.1, 1.5, Number.NaN]) {
      expect(() => dropSmallParts(mesh, bad)).toThrow(new RangeError(`minPartFraction is ${bad}; expected a number in [0, 1]`));
    }
  });
});
