/**
 * `imnet lfd <a-mesh> <b-mesh>`: the light field distance between two mesh files (eval/lfd/), printed
 * as the integer 3DRetrieval_v1.8 prints. No tfjs.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';

export const lfdCommand: Command = {
  summary: 'Print the light field distance (LFD) between two meshes, as 3DRetrieval_v1.8 measures it.',
  usage: [
    'imnet lfd <a-mesh> <b-mesh>',
    '',
    'Each mesh (OBJ, STL, PLY, OFF, glTF/GLB: whatever `imnet prepare` reads) is normalized, rendered as',
    '10 light fields of 10 silhouettes, and described by their Zernike and Fourier shape measures; the',
    'distance is the best match over light-field pairs and the 60 rotations of the dodecahedron',
    '(training/eval/lfd/LFD.md). 0 for a mesh against itself; IM-NET\'s tables report it.',
  ].join('\n'),
  positionals: [
    { name: 'a-mesh', description: 'first mesh file' },
    { name: 'b-mesh', description: 'second mesh file' },
  ],
  flags: [],
  async run({ positionals }) {
    for (const [name, path] of [['a-mesh', positionals[0]], ['b-mesh', positionals[1]]]) {
      if (!existsSync(path)) throw new UsageError(`<${name}> '${path}' does not exist; expected a mesh file`);
    }
    const { lfdBetweenMeshFiles } = await import('../../eval/lfd/lfdBetweenMeshFiles.js');
    process.stdout.write(`${await lfdBetweenMeshFiles(positionals[0], positionals[1])}\n`);
    return 0;
  },
};
