// Builds the package: ESM for bundlers, UMD for <script> tags, .d.ts for TypeScript. Two entries:
// `babylon-imnet` (global IMNET) and the Babylon-free `babylon-imnet/core` (global IMNET_CORE);
// the ESM build shares their common code in one chunk, so both see the same classes.
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

// Peers stay outside the bundle: users bring their own Babylon.js and tfjs.
const isExternal = (id) => id.startsWith('@babylonjs/core') || id.startsWith('@tensorflow/');
const globals = (id) => (id.startsWith('@babylonjs/core') ? 'BABYLON' : id.startsWith('@tensorflow/') ? 'tf' : id);

const plugins = (declaration) => [
  nodeResolve(),
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    filterRoot: process.cwd(),
    rootDir: 'src',
    outDir: 'dist',
    declaration,
    declarationDir: declaration ? 'dist/types' : undefined,
    noEmitOnError: true,
  }),
];

export default [
  {
    input: { 'babylon-imnet': 'src/index.ts', 'babylon-imnet-core': 'src/core.ts' },
    external: isExternal,
    plugins: plugins(true),
    output: { dir: 'dist', entryFileNames: '[name].mjs', chunkFileNames: 'babylon-imnet-shared.mjs', format: 'es', sourcemap: true },
  },
  {
    input: 'src/index.ts',
    external: isExternal,
    plugins: plugins(false),
    output: { dir: 'dist', entryFileNames: 'babylon-imnet.umd.cjs', format: 'umd', name: 'IMNET', globals, sourcemap: true },
  },
  {
    input: 'src/core.ts',
    external: isExternal,
    plugins: plugins(false),
    output: { dir: 'dist', entryFileNames: 'babylon-imnet-core.umd.cjs', format: 'umd', name: 'IMNET_CORE', globals, sourcemap: true },
  },
];
