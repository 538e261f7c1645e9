// Builds the package: ESM for bundlers, UMD for <script> tags, .d.ts for TypeScript. Two entries:
// `babylon-imnet` (global IMNET) and the Babylon-free `babylon-imnet/core` (global IMNET_CORE);
// the ESM build shares their common code in one chunk, so both see the same classes. Copies of
// tfjs-backend-wasm's .wasm files go beside the bundles (see src/evaluate/wasmBinaries.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import typescript from '@rollup/plugin-typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

// Peers stay outside the bundle: users bring their own Babylon.js and tfjs.
const isExternal = (id) => id.startsWith('@babylonjs/core') || id.startsWith('@tensorflow/');
// tf-backend-wasm.js, loaded by a script tag, puts its exports on `tf.wasm`.
const globals = (id) => (id.startsWith('@babylonjs/core') ? 'BABYLON' : id === '@tensorflow/tfjs-backend-wasm' ? 'tf.wasm' : id.startsWith('@tensorflow/') ? 'tf' : id);

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

/** Emits the installed tfjs-backend-wasm's binaries into dist/, refusing a version the source does not name. */
function wasmBinaries() {
  return {
    name: 'wasm-binaries',
    generateBundle() {
      const require = createRequire(import.meta.url);
      const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
      const { version } = JSON.parse(readFileSync(packageJson, 'utf8'));
      const expected = /WASM_BINARIES_VERSION = '([^']+)'/.exec(readFileSync('src/evaluate/wasmBinaries.ts', 'utf8'))?.[1];
      if (version !== expected) {
        this.error(`tfjs-backend-wasm ${version} is installed but src/evaluate/wasmBinaries.ts names ${expected}: update WASM_BINARIES_VERSION`);
      }
      for (const fileName of WASM_FILES) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(join(dirname(packageJson), 'dist', fileName)) });
      }
    },
  };
}

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

// Each UMD bundle twice: .cjs for require() (this is a "type": "module" package, where Node would
// parse a .js file as ESM), .js for script tags (static servers send .cjs as octet-stream).
const umd = (input, name, file) => ({
  input,
  external: isExternal,
  plugins: plugins(false),
  output: ['cjs', 'js'].map((extension) => ({ dir: 'dist', entryFileNames: `${file}.umd.${extension}`, format: 'umd', name, globals, sourcemap: true })),
});

export default [
  {
    input: { 'babylon-imnet': 'src/index.ts', 'babylon-imnet-core': 'src/core.ts' },
    external: isExternal,
    plugins: [...plugins(true), wasmBinaries()],
    output: { dir: 'dist', entryFileNames: '[name].mjs', chunkFileNames: 'babylon-imnet-shared.mjs', format: 'es', sourcemap: true },
  },
  umd('src/index.ts', 'IMNET', 'babylon-imnet'),
  umd('src/core.ts', 'IMNET_CORE', 'babylon-imnet-core'),
];
