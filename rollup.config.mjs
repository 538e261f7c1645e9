// Builds the package: ESM for bundlers, UMD for <script> tags (global IMNET), .d.ts for TypeScript.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

// Peers stay outside the bundle: users bring their own Babylon.js and tfjs.
const isExternal = (id) => id.startsWith('@babylonjs/core') || id.startsWith('@tensorflow/');
const globals = (id) => (id.startsWith('@babylonjs/core') ? 'BABYLON' : id.startsWith('@tensorflow/') ? 'tf' : id);

export default {
  input: 'src/index.ts',
  external: isExternal,
  plugins: [
    nodeResolve(),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['src/**/*.ts'],
      filterRoot: process.cwd(),
      rootDir: 'src',
      outDir: 'dist',
      declaration: true,
      declarationDir: 'dist/types',
      noEmitOnError: true,
    }),
  ],
  output: [
    { dir: 'dist', entryFileNames: 'babylon-imnet.mjs', format: 'es', sourcemap: true },
    { dir: 'dist', entryFileNames: 'babylon-imnet.umd.cjs', format: 'umd', name: 'IMNET', globals, sourcemap: true },
  ],
};
