// Builds the package: ESM for bundlers, UMD for <script> tags (global IMNET), .d.ts for TypeScript,
// and copies of tfjs-backend-wasm's .wasm files beside the bundles (see src/evaluate/wasmBinaries.ts).
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
    generateBundle(outputOptions) {
      if (outputOptions.format !== 'es') return;
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

const umd = (entryFileNames) => ({ dir: 'dist', entryFileNames, format: 'umd', name: 'IMNET', globals, sourcemap: true });

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
    wasmBinaries(),
  ],
  output: [
    { dir: 'dist', entryFileNames: 'babylon-imnet.mjs', format: 'es', sourcemap: true },
    // The same UMD twice: .cjs for require() (this is a "type": "module" package, where Node would
    // parse a .js file as ESM), .js for script tags (static servers send .cjs as octet-stream).
    umd('babylon-imnet.umd.cjs'),
    umd('babylon-imnet.umd.js'),
  ],
};
