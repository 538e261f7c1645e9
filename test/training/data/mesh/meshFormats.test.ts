import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MeshReadError, readMesh } from '../../../../training/data/mesh/readMesh.js';
import { boxMesh, meshVolume, toPlyBinary, toStlBinary, writeAllFormats } from './meshWriters.js';

let dir: string;
let paths: Record<string, string>;
// A box that is not a cube, so a swapped or dropped axis shows in the bounds.
const box = boxMesh([0, 0, 0], [2, 1, 3]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imnet-mesh-'));
  paths = await writeAllFormats(dir, 'box', box);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Seeded noise bytes (a linear congruential generator's high bytes). */
function randomBytes(count: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: count }, () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24));
}

function bounds(positions: Float32Array): number[] {
  const out = [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      out[a] = Math.min(out[a], positions[i + a]);
      out[3 + a] = Math.max(out[3 + a], positions[i + a]);
    }
  }
  return out;
}

describe('readMesh reads every format into the same triangles', () => {
  for (const format of ['obj', 'off', 'stl-ascii', 'stl-binary', 'ply-ascii', 'ply-le', 'ply-be', 'gltf', 'glb']) {
    test(format, async () => {
      const mesh = await readMesh(paths[format]);
      expect(mesh.indices.length).toBe(36);
      expect(bounds(mesh.positions)).toEqual([0, 0, 0, 2, 1, 3]);
      // Same volume and orientation: faces and winding survived (glTF node translations applied).
      expect(meshVolume(mesh.positions, mesh.indices)).toBeCloseTo(6, 5);
    });
  }

  test('polygons are fan-triangulated (OFF quads, OBJ quads)', async () => {
    const off = join(dir, 'quad.off');
    await writeFile(off, 'OFF 4 1 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n');
    expect((await readMesh(off)).indices).toEqual(Uint32Array.from([0, 1, 2, 0, 2, 3]));
    const obj = join(dir, 'quad.obj');
    await writeFile(obj, 'v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nf 1/1/1 2/2/1 3/3/1 4/4/1\n');
    expect((await readMesh(obj)).indices).toEqual(Uint32Array.from([0, 1, 2, 0, 2, 3]));
  });
});

describe('a malformed file of each format gives a MeshReadError naming the file and the reason', () => {
  const cases: [string, string, () => Promise<string | Uint8Array>, RegExp][] = [
    ['bad-index.obj', 'obj', async () => 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n', /line 4: face vertex '7'/],
    ['bad-number.obj', 'obj', async () => 'v 0 zero 0\n', /line 1: a 'v' line needs 3 numbers/],
    ['truncated.off', 'off', async () => 'OFF\n4 2 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 1 2\n', /announces 4 vertices and 2 faces; the file ends after 4 vertices and 1 faces/],
    ['not-off.off', 'off', async () => 'PLY\n', /expected an 'OFF' header/],
    ['two-vertices.stl', 'stl-ascii', async () => 'solid x\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\nendfacet\nendsolid x\n', /facet 0 has 2 vertices; expected 3/],
    ['truncated.stl', 'stl-binary', async () => toStlBinary(box).subarray(0, 84 + 50 * 5), /truncated binary STL: the header announces 12 triangles/],
    ['noise.stl', 'stl-binary', async () => randomBytes(5000, 7), /^not an STL file: its size does not fit the announced \d+ triangles, and its first facets hold no valid binary STL data/],
    ['few-noise.stl', 'stl-binary', async () => Uint8Array.from([...toStlBinary(box).subarray(0, 84), ...randomBytes(60, 3)]), /^not an STL file: its size does not fit the announced 12 triangles/],
    ['text.stl', 'stl-ascii', async () => 'v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n'.repeat(10), /^not an STL file: it is text that does not start with 'solid'/],
    ['truncated-ascii.ply', 'ply-ascii', async () => (await readFile(paths['ply-ascii'], 'utf8')).split('\n').slice(0, 14).join('\n'), /the header announces 8 vertices; the body has 3/],
    ['truncated-binary.ply', 'ply-le', async () => toPlyBinary(box, true).subarray(0, 300), /binary_little_endian body does not match the header \(8 vertices, 12 faces\)/],
    ['points.ply', 'ply-ascii', async () => 'ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n0 0 0\n', /no faces \(a point cloud\?\)/],
    ['broken.gltf', 'gltf', async () => '{"asset": {"version": "2.0"}, "meshes": [', /the glTF JSON does not parse/],
    ['missing-buffer.gltf', 'gltf', async () => '{"asset": {"version": "2.0"}, "buffers": [{"uri": "gone.bin", "byteLength": 8}]}', /ENOENT.*gone\.bin/],
    ['truncated.glb', 'glb', async () => (await readFile(paths.glb)).subarray(0, 40), /truncated GLB: the header declares \d+ bytes; the file has 40/],
    ['mesh.xyz', 'unknown', async () => '0 0 0\n', /unknown extension '\.xyz'; expected one of \.obj/],
  ];
  for (const [name, format, content, reason] of cases) {
    test(`${format}: ${name}`, async () => {
      const path = join(dir, name);
      await writeFile(path, await content());
      const error = await readMesh(path).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(MeshReadError);
      expect((error as MeshReadError).file).toBe(path);
      expect((error as MeshReadError).message.startsWith(`${path}: `)).toBe(true);
      expect((error as MeshReadError).reason).toMatch(reason);
    });
  }

  test('a missing file names the file and the system error', async () => {
    const path = join(dir, 'missing.stl');
    await expect(readMesh(path)).rejects.toThrow(`${path}: cannot read: ENOENT`);
  });
});
