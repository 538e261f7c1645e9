/** `imnet generate`: procedural meshes as OBJ files plus a manifest, and the command lines it refuses. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs, UsageError } from '../../../training/cli/args.js';
import { generateCommand } from '../../../training/cli/commands/generate.js';
import { parseObj } from '../../../training/data/mesh/readObj.js';
import { generateShape } from '../../../training/data/procedural/categories.js';
import { imnet } from './imnet.js';

describe('imnet generate', () => {
  test('generate writes count files with seeds s, s+1, ... and a manifest of their variants', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imnet-generate-'));
    try {
      const { status } = await imnet('generate', 'table', '--out', dir, '--count', '3', '--seed', '9');
      expect(status).toBe(0);
      expect((await readdir(dir)).sort()).toEqual(['generate.json', 'table-09.obj', 'table-10.obj', 'table-11.obj']);
      const manifest = JSON.parse(await readFile(join(dir, 'generate.json'), 'utf8'));
      expect(manifest.shapes.map((s: { seed: number }) => s.seed)).toEqual([9, 10, 11]);
      expect(manifest.shapes[1].variant).toEqual(generateShape('table', 10).variant);
      const mesh = parseObj(await readFile(join(dir, 'table-10.obj'), 'utf8'));
      expect(mesh.indices).toEqual(generateShape('table', 10).indices);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('generate refuses an unknown category, a missing --out and seeds past 2^32 - 1', async () => {
    const sofa = await imnet('generate', 'sofa', '--out', 'x');
    expect(sofa.stderr).toMatch(/<category> 'sofa': expected one of airplane, car, chair/);
    expect(sofa.status).toBe(2);
    expect(() => parseCommandArgs(['chair'], generateCommand)).toThrow(UsageError);
    expect(() => parseCommandArgs(['chair', '--out', 'x', '--format', 'glb'], generateCommand)).toThrow(/expected one of obj/);
    const pastLast = await imnet('generate', 'chair', '--out', 'x', '--seed', '4294967295', '--count', '2');
    expect(pastLast.stderr).toMatch(/last seed would be 4294967296/);
    expect(pastLast.status).toBe(2);
  });
});
