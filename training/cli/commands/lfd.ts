/**
 * `imnet lfd <a-mesh> <b-mesh>`: the light field distance between two mesh files (eval/lfd/), printed
 * as the integer 3DRetrieval_v1.8 prints. No tfjs.
 */
import { defineCommand } from '../args.js';
import { requireExists } from '../commonFlags.js';

export const lfdCommand = defineCommand({
  summary: 'Print the light field distance (LFD) between two meshes, as 3DRetrieval_v1.8 measures it.',
  usage: 'imnet lfd <a-mesh> <b-mesh>',
  about: `
Each mesh (OBJ, STL, PLY, OFF, glTF/GLB: whatever 'imnet prepare' reads) is normalized, rendered as 10 light
fields of 10 silhouettes and described by their Zernike and Fourier shape measures; the distance is the best
match over light-field pairs and the 60 rotations of the dodecahedron (training/eval/lfd/LFD.md). 0 for a mesh
against itself. IM-NET's tables report it.`,
  positionals: [
    { name: 'a-mesh', description: 'first mesh file' },
    { name: 'b-mesh', description: 'second mesh file' },
  ],
  flags: [],
  async run({ positionals: [a, b] }, { print }) {
    requireExists('a-mesh', a, 'a mesh file');
    requireExists('b-mesh', b, 'a mesh file');
    const { lfdBetweenMeshFiles } = await import('../../eval/lfd/lfdBetweenMeshFiles.js');
    print(String(await lfdBetweenMeshFiles(a, b)));
    return 0;
  },
});
