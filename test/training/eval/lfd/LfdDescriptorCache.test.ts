/** The descriptor cache: one computation per mesh content, kept in memory and in a folder across instances. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeLightFieldDescriptor,
  LfdDescriptorCache,
  LfdDescriptorFormatError,
  meshContentHash,
  type LfdMesh,
} from '../../../../training/eval/lfd/index.js';
import { axisBox, boxMesh, cubeMesh } from './referenceMeshes.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'imnet-lfd-cache-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

function counting(): { calls: number; compute: (mesh: LfdMesh) => ReturnType<typeof computeLightFieldDescriptor> } {
  const counter = { calls: 0, compute: (mesh: LfdMesh) => { counter.calls++; return computeLightFieldDescriptor(mesh); } };
  return counter;
}

test('the key follows the content: equal meshes share it, a changed vertex does not', () => {
  expect(meshContentHash(cubeMesh())).toBe(meshContentHash(cubeMesh()));
  const moved = cubeMesh();
  moved.positions[0] = 0.001;
  expect(meshContentHash(moved)).not.toBe(meshContentHash(cubeMesh()));
  expect(meshContentHash(axisBox(1, 1, 0.5))).not.toBe(meshContentHash(cubeMesh()));
});

test('computes each mesh once, and a new cache on the same folder computes nothing', async () => {
  const first = counting();
  const cache = new LfdDescriptorCache({ dir, compute: first.compute });
  const a = await cache.get(cubeMesh());
  expect(await cache.get(cubeMesh())).toBe(a);
  await cache.get(boxMesh());
  expect(first.calls).toBe(2);
  expect((await readdir(dir)).filter((f) => f.endsWith('.lfd'))).toHaveLength(2);

  const second = counting();
  const reopened = new LfdDescriptorCache({ dir, compute: second.compute });
  expect((await reopened.get(cubeMesh())).serialize()).toEqual(a.serialize());
  expect(second.calls).toBe(0);
});

test('a damaged cache file is reported with its path', async () => {
  const cache = new LfdDescriptorCache({ dir });
  await writeFile(join(dir, `${meshContentHash(cubeMesh())}.lfd`), 'not a descriptor');
  await expect(cache.get(cubeMesh())).rejects.toThrow(LfdDescriptorFormatError);
  await expect(cache.get(cubeMesh())).rejects.toThrow(dir);
});
