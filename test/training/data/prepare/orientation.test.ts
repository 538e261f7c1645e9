/** Orientation (issue 13): `--up` with signed axes, `--orient auto` for mixed sets, per-file orient.json. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../../../../training/data/dataset/dataset.js';
import type { TriangleMesh } from '../../../../training/data/mesh/TriangleMesh.js';
import { parseOrientOverrides, OrientFileError } from '../../../../training/data/prepare/orientOverrides.js';
import { generateShape } from '../../../../training/data/procedural/categories.js';
import { areaDescriptor, consensusOrientations, descriptorDistance, DESCRIPTOR_CELLS, orientedDescriptor } from '../../../../training/data/voxel/autoOrient.js';
import { allOrientations, orientationFor, orientPositions, SIGNED_AXES, type Orientation } from '../../../../training/data/voxel/normalize.js';
import { boxMesh, toObj } from '../mesh/meshWriters.js';
import { imnet } from '../../cli/imnet.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'imnet-orient-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Runs the CLI in this process (the shared runner), capturing what it prints. */
const run = (args: string[]) => imnet(...args);

/** The mesh turned by `o` (as a file lying that way would hold it). */
function turned(mesh: TriangleMesh, o: Orientation): TriangleMesh {
  return { positions: Float32Array.from(orientPositions(mesh.positions, o)), indices: mesh.indices };
}

/** The orientation that undoes `o`. */
function inverse(o: Orientation): Orientation {
  const basis = new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  return allOrientations().find((c) => orientPositions(orientPositions(basis, o), c).every((v, i) => v === basis[i]))!;
}

describe('orientations', () => {
  test('each of the six up axes turns to +y by a rotation (never a mirror), with the stated default front', () => {
    const fronts: Record<string, string> = { x: 'z', y: 'z', z: '-y', '-x': 'z', '-y': 'z', '-z': 'y' };
    for (const up of SIGNED_AXES) {
      const o = orientationFor(up);
      expect(o.front).toBe(fronts[up]);
      // Rows of the rotation: images of the source axes; the source up axis must land on +y.
      const unit = new Float64Array(3);
      unit['xyz'.indexOf(up.slice(-1))] = up.startsWith('-') ? -1 : 1;
      expect(Array.from(orientPositions(unit, o), (v) => v + 0)).toEqual([0, 1, 0]);
      const m = orientPositions(new Float64Array([1, 0, 0, 0, 1, 0, 0, 0, 1]), o);
      const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
      expect(det).toBe(1);
    }
    // --up z is the mapping datasets were prepared with before: (x, y, z) -> (x, z, -y).
    expect(Array.from(orientPositions(new Float64Array([1, 2, 3]), orientationFor('z')))).toEqual([1, 3, -2]);
    expect(allOrientations()).toHaveLength(24);
    expect(() => orientationFor('y', '-y')).toThrow(/front -y is along up y; expected a front perpendicular to up \(one of x, z, -x, -z\)/);
  });

  test('the area grid of a turned mesh is the turned area grid, for all 24 quarter turns', () => {
    const chair = generateShape('chair', 4);
    const grid = areaDescriptor(chair.positions, chair.indices);
    expect(grid.length).toBe(DESCRIPTOR_CELLS ** 3);
    expect(grid.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const o of allOrientations()) {
      const direct = areaDescriptor(orientPositions(chair.positions, o), chair.indices);
      expect(descriptorDistance(direct, orientedDescriptor(grid, o))).toBeLessThan(1e-9);
    }
    // A chair differs from itself upside down.
    expect(descriptorDistance(grid, orientedDescriptor(grid, { up: '-y', front: 'z' }))).toBeGreaterThan(0.3);
  });
});

describe('--orient auto', () => {
  // Ten generated chairs; three of them as files that hold them otherwise: `answers[i]` is the
  // orientation that stands file i upright (its up along +x: lying on its side; z-up; lying on its back).
  const chairs = Array.from({ length: 10 }, (_, i) => generateShape('chair', i + 1));
  const answers: Record<number, Orientation> = { 3: { up: 'x', front: 'z' }, 5: { up: 'z', front: '-y' }, 8: { up: '-z', front: 'y' } };
  const file = (i: number): TriangleMesh => (answers[i] ? turned(chairs[i], inverse(answers[i])) : chairs[i]);

  test('turns the chairs that lie on their side back upright and leaves the upright ones as they are', () => {
    const grids = chairs.map((c, i) => areaDescriptor(file(i).positions, c.indices));
    const start = chairs.map(() => orientationFor('y'));
    const { orientations } = consensusOrientations(grids, start);
    chairs.forEach((_, i) => expect({ i, o: orientations[i] }).toEqual({ i, o: answers[i] ?? { up: 'y', front: 'z' } }));
    // A single shape has nothing to agree with: it never turns.
    expect(consensusOrientations([grids[3]], [start[3]]).orientations).toEqual([start[3]]);
    // Pinned shapes keep their orientation.
    const pinned = chairs.map((_, i) => i === 3);
    expect(consensusOrientations(grids, start, pinned).orientations[3]).toEqual(start[3]);
  });

  test('prepare: the lying files come out identical to their upright twins; orient.json pins files; the CLI lists the turns', async () => {
    const meshes = join(root, 'auto');
    await mkdir(meshes);
    for (let i = 0; i < chairs.length; i++) await writeFile(join(meshes, `chair-${i}.obj`), toObj(file(i)));
    // An upright twin of a lying chair, to compare records.
    await writeFile(join(meshes, 'twin-3.obj'), toObj(chairs[3]));
    // orient.json pins chair-5 (z-up) explicitly; auto must not touch it.
    await writeFile(join(meshes, 'orient.json'), JSON.stringify({ 'chair-5.obj': 'z' }));
    const out = join(root, 'auto-out');
    const args = ['prepare', meshes, '--out', out, '--resolution', '64', '--jobs', '0', '--orient', 'auto'];
    const result = await run(args);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`orientation: ${join(meshes, 'orient.json')} pins 1 file`);
    expect(result.stderr).toMatch(/orient auto: compared where the files' surface lies in [\d.]+ s; turned 2:\n  chair-3\.obj: up x, front z\n  chair-8\.obj: up -z, front y\n/);
    const dataset = await openDataset(out);
    const orientation = (id: string) => dataset.manifest.shapes.find((s) => s.id === id)!.orientation;
    expect(orientation('chair-3')).toEqual(answers[3]);
    expect(orientation('chair-8')).toEqual(answers[8]);
    expect(orientation('chair-5')).toEqual({ up: 'z', front: '-y' });
    expect(orientation('chair-0')).toEqual({ up: 'y', front: 'z' });
    expect(dataset.manifest.options?.orient).toBe('auto');
    const [lying, twin] = [await dataset.read('chair-3'), await dataset.read('twin-3')];
    expect(Buffer.from(lying.voxels64).equals(Buffer.from(twin.voxels64))).toBe(true);

    // Resuming with an orient.json that now says otherwise for a finished shape is refused.
    await writeFile(join(meshes, 'orient.json'), JSON.stringify({ 'chair-5.obj': 'z', 'chair-0': '-y' }));
    const changed = await run(args);
    expect(changed.status).toBe(2);
    expect(changed.stderr).toMatch(/holds 1 shape turned otherwise than this run would .*chair-0\.obj \(up y front z there, up -y front z now\)/);
  });
});

describe('--up and orient.json', () => {
  test('--up x stands a box that is long along x upright; orient.json overrides it per file and per folder', async () => {
    const meshes = join(root, 'up');
    await mkdir(join(meshes, 'lying'), { recursive: true });
    await writeFile(join(meshes, 'long-x.obj'), toObj(boxMesh([0, 0, 0], [1, 0.25, 0.5])));
    await writeFile(join(meshes, 'long-y.obj'), toObj(boxMesh([0, 0, 0], [0.25, 1, 0.5])));
    await writeFile(join(meshes, 'lying', 'long-z.obj'), toObj(boxMesh([0, 0, 0], [0.5, 0.25, 1])));
    await writeFile(join(meshes, 'orient.json'), JSON.stringify({ 'long-y': 'y', 'lying/': { up: '-z', front: 'x' } }));
    const out = join(root, 'up-out');
    const result = await run(['prepare', meshes, '--out', out, '--resolution', '64', '--jobs', '0', '--up=x', '--test-fraction', '0']);
    expect(result.status).toBe(0);
    const dataset = await openDataset(out);
    for (const id of ['long-x', 'long-y', 'lying/long-z']) {
      const { voxels64 } = await dataset.read(id);
      // Tall along y: the occupied cells span all 64 rows of y and only part of x and z.
      const span = [0, 1, 2].map((a) => {
        const used = new Set<number>();
        voxels64.forEach((v, i) => v && used.add(a === 0 ? i % 64 : a === 1 ? (i >> 6) % 64 : i >> 12));
        return used.size;
      });
      expect({ id, span }).toEqual({ id, span: [expect.any(Number), 64, expect.any(Number)] });
      expect(span[0]).toBeLessThan(40);
    }
    expect(dataset.manifest.shapes.map((s) => s.orientation)).toEqual([{ up: 'x', front: 'z' }, { up: 'y', front: 'z' }, { up: '-z', front: 'x' }]);
  });

  test('orient.json mistakes are errors naming the file and the key', async () => {
    const files = [{ id: 'a', source: 'a.obj', path: '/m/a.obj' }, { id: 'd/b', source: 'd/b.off', path: '/m/d/b.off' }];
    const cases: [unknown, RegExp][] = [
      [{ 'c.obj': 'x' }, /"c\.obj" names no mesh file in the folder; expected a file's path/],
      [{ 'a.obj': 'up' }, /"a\.obj": up: expected one of x, y, z, -x, -y, -z, got "up"/],
      [{ 'd/': { up: 'z', front: 'z' } }, /"d\/": front z is along up z/],
      [{ a: { up: 'z', side: 'x' } }, /"a": unknown field 'side'; expected 'up' and optionally 'front'/],
      [['a.obj'], /expected an object mapping files to up axes/],
    ];
    for (const [json, message] of cases) {
      const error = (() => { try { parseOrientOverrides(json, '/m/orient.json', files); return null; } catch (e) { return e; } })();
      expect(error).toBeInstanceOf(OrientFileError);
      expect((error as Error).message).toMatch(/^\/m\/orient\.json: /);
      expect((error as Error).message).toMatch(message);
    }
    // The most specific key wins: the file's own over its folder's.
    const parsed = parseOrientOverrides({ 'd/': '-x', 'd/b': 'z' }, '/m/orient.json', files);
    expect(parsed.get('d/b')).toEqual({ up: 'z', front: '-y' });
    // The CLI turns them into usage errors (exit 2).
    const meshes = join(root, 'bad-orient');
    await mkdir(meshes);
    await writeFile(join(meshes, 'a.obj'), toObj(boxMesh([0, 0, 0], [1, 1, 1])));
    await writeFile(join(meshes, 'orient.json'), '{ "b.obj": "x" }');
    const result = await run(['prepare', meshes, '--out', join(root, 'bad-out'), '--resolution', '64', '--jobs', '0']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/orient\.json: "b\.obj" names no mesh file/);
  });
});
