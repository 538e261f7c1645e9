/**
 * `imnet lfd <a> <b>` prints the integer light field distance of two mesh files: the reference pair
 * cube-box of 3DRetrieval_v1.8 (5597) within 2%, 0 for a mesh against itself, and exit code 2 with
 * the reason for a missing file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imnet } from './imnet.js';
import { writeObj } from '../../../training/data/mesh/writeObj.js';
import { boxMesh, cubeMesh } from '../eval/lfd/referenceMeshes.js';

const root = mkdtempSync(join(tmpdir(), 'imnet-lfd-'));

const asMesh = (m: ReturnType<typeof cubeMesh>) => ({ positions: Float32Array.from(m.positions), indices: Uint32Array.from(m.indices) });

test('prints the cube-box reference distance within 2%, and 0 for a mesh against itself', async () => {
  const cube = join(root, 'cube.obj'), box = join(root, 'box.obj');
  await writeObj(cube, asMesh(cubeMesh()));
  await writeObj(box, asMesh(boxMesh()));
  const pair = await imnet('lfd', cube, box);
  expect(pair.status).toBe(0);
  expect(pair.stdout).toMatch(/^\d+\n$/);
  expect(Math.abs(Number(pair.stdout) - 5597) / 5597).toBeLessThan(0.02);
  expect((await imnet('lfd', cube, cube)).stdout).toBe('0\n');
});

test('a missing mesh file exits 2 and names it', async () => {
  const result = await imnet('lfd', join(root, 'nope.obj'), join(root, 'cube.obj'));
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/<a-mesh> '.*nope\.obj' does not exist; expected a mesh file/);
});
