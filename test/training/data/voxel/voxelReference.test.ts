/**
 * IM-NET's data convention (issue 13): prepared with default flags, meshes with thin and single-sided
 * parts agree with a binvox-style reference solid at 64^3, at every working resolution, through the
 * max-pooling; under `--surface center` the same parts vanish, and prepare says so.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataset } from '../../../../training/data/dataset/dataset.js';
import { readMesh } from '../../../../training/data/mesh/readMesh.js';
import { prepareDataset } from '../../../../training/data/prepare/prepareDataset.js';
import { generateShape } from '../../../../training/data/procedural/categories.js';
import { applyNormalization, normalizationOf, orientYUp } from '../../../../training/data/voxel/normalize.js';
import { gridIoU, referenceVoxels } from './referenceVoxelizer.js';
import { sheetChairMesh, tiltedSheetsMesh, toObj, toOff, toPlyBinary, toStlBinary, zeroThicknessSeatMesh } from '../mesh/meshWriters.js';

let root: string;
let meshes: string;
/** Reference solids at 64^3 by shape id, from the files as prepare reads them. */
const reference = new Map<string, Uint8Array>();

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'imnet-voxref-'));
  meshes = join(root, 'meshes');
  await mkdir(meshes);
  await writeFile(join(meshes, 'sheet-chair.obj'), toObj(sheetChairMesh()));
  await writeFile(join(meshes, 'zero-seat.off'), toOff(zeroThicknessSeatMesh()));
  await writeFile(join(meshes, 'tilted-sheets.stl'), toStlBinary(tiltedSheetsMesh()));
  // A generated chair with a sled base and slats: thin closed parts, as a real generator makes them.
  await writeFile(join(meshes, 'sled-chair.ply'), toPlyBinary(generateShape('chair', 12), true));
  for (const [id, file] of [['sheet-chair', 'sheet-chair.obj'], ['zero-seat', 'zero-seat.off'], ['tilted-sheets', 'tilted-sheets.stl'], ['sled-chair', 'sled-chair.ply']]) {
    const mesh = await readMesh(join(meshes, file));
    const positions = orientYUp(mesh.positions, 'y');
    applyNormalization(positions, normalizationOf(positions));
    reference.set(id, referenceVoxels(positions, mesh.indices, 64));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('the reference itself', () => {
  test('fills a closed box and nothing else; keeps a lone sheet as one layer', () => {
    // A box of 0.5 x 0.25 x 0.25 in the normalized box, and a free sheet beside it.
    const boxPositions = Float64Array.from([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1].map((v, i) => (i % 3 === 0 ? v * 0.5 - 0.4 : v * 0.25 - 0.1)));
    const quads = [[0, 4, 6, 2], [1, 3, 7, 5], [0, 1, 5, 4], [2, 6, 7, 3], [0, 2, 3, 1], [4, 5, 7, 6]];
    const indices = Uint32Array.from(quads.flatMap(([a, b, c, d]) => [a, b, c, a, c, d]));
    const solid = referenceVoxels(boxPositions, indices, 16);
    // x from -0.4 to 0.1: voxels 1..9 touch it; y, z from -0.1 to 0.15: voxels 6..10.
    expect(solid.reduce((n, v) => n + v, 0)).toBe(9 * 5 * 5);
    const sheet = referenceVoxels(Float64Array.from([-0.3, 0.01, -0.3, 0.3, 0.01, -0.3, 0.3, 0.01, 0.3, -0.3, 0.01, 0.3]), Uint32Array.from([0, 1, 2, 0, 2, 3]), 16);
    expect(sheet.reduce((n, v) => n + v, 0)).toBe(10 * 10);
  });
});

describe('prepare keeps every part the surface touches (IM-NET / binvox convention)', () => {
  test.each([64, 128, 256])('at %i^3, with default flags, every mesh agrees with the reference at 64^3 (IoU >= 0.95) and nothing vanishes', async (resolution) => {
    const result = await prepareDataset({ meshesDir: meshes, outDir: join(root, `solid-${resolution}`), resolution, jobs: 0 });
    expect(result.failed).toEqual([]);
    expect(result.vanished).toEqual([]);
    const dataset = await openDataset(join(root, `solid-${resolution}`));
    expect(dataset.ids().sort()).toEqual([...reference.keys()].sort());
    for (const id of dataset.ids()) {
      const iou = gridIoU((await dataset.read(id)).voxels64, reference.get(id)!);
      expect({ id, iou: iou >= 0.95 }).toEqual({ id, iou: true });
      const stats = dataset.manifest.shapes.find((s) => s.id === id)!.stats!;
      expect({ id, lost: stats.lostSurfaceShare, vanished: stats.vanishedParts }).toEqual({ id, lost: 0, vanished: 0 });
    }
  });

  test('under --surface center the sheets, the zero-thickness seat and the thin rods vanish, and prepare names the shapes', async () => {
    const warnings = new Map<string, string>();
    const result = await prepareDataset({
      meshesDir: meshes, outDir: join(root, 'center'), resolution: 64, jobs: 0, surface: 'center',
      onShape: ({ source, warning }) => void (warning && warnings.set(source, warning)),
    });
    const dataset = await openDataset(join(root, 'center'));
    for (const id of ['sheet-chair', 'zero-seat', 'tilted-sheets']) {
      const iou = gridIoU((await dataset.read(id)).voxels64, reference.get(id)!);
      expect({ id, below: iou < 0.6 }).toEqual({ id, below: true });
    }
    expect(result.vanished.map((v) => v.file).sort()).toEqual(['sheet-chair.obj', 'tilted-sheets.stl', 'zero-seat.off']);
    expect(warnings.get('zero-seat.off')).toMatch(/^1 part of the surface vanished from the solid \(the largest \d+ surface voxels at 64\^3; \d+% of the surface lost\)/);
    for (const v of result.vanished) expect(v.lostSurfaceShare).toBeGreaterThan(0.2);
  });
});
