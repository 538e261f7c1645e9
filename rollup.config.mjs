// Builds the package: ESM for bundlers, UMD for <script> tags, .d.ts for TypeScript. Two entries:
// `babylon-imnet` (global IMNET) and the Babylon-free `babylon-imnet/core` (global IMNET_CORE);
// the ESM build shares their common code in one chunk, so both see the same classes. Copies of
// tfjs-backend-wasm's .wasm files go beside the bundles (see src/evaluate/wasmBinaries.ts).
// A third build makes the `imnet` CLI plain JavaScript in dist/training/ (see `cli` below).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
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

/**
 * The CLI's bundled libraries (three's PLY loader, glTF-Transform and what they import)
 * keep their licence texts: one file beside the build listing each package with its licence.
 */
function thirdPartyNotices() {
  return {
    name: 'third-party-notices',
    generateBundle() {
      const roots = new Map();
      for (const id of this.getModuleIds()) {
        const at = id.lastIndexOf(`${sep}node_modules${sep}`);
        if (at < 0) continue;
        const rest = id.slice(at + 14).split(sep);
        const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
        roots.set(name, id.slice(0, at + 14) + name.split('/').join(sep));
      }
      const sections = [...roots].sort(([a], [b]) => a.localeCompare(b)).map(([name, root]) => {
        const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
        const licenceFile = readdirSync(root).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
        const text = licenceFile ? readFileSync(join(root, licenceFile), 'utf8').trim() : `(${pkg.license}; no licence file in the package)`;
        return `${name}@${pkg.version} (${pkg.license})\n\n${text}`;
      });
      const source = `The imnet CLI in this folder bundles these packages:\n\n${sections.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
      this.emitFile({ type: 'asset', fileName: 'THIRD-PARTY-NOTICES.txt', source });
    },
  };
}

/**
 * The `imnet` CLI as plain ES modules in dist/training/, so the package's bin runs with neither tsx
 * nor TypeScript. Entries: the bin and the modules worker threads load by file URL (the prepare task,
 * the data-parallel replica worker and its factories), each a file of its own; the worker
 * threads' entry, already JavaScript, is copied, and so is the LFD constants file. `#core`
 * becomes the built `dist/babylon-imnet-core.mjs`, so the CLI and the runtime share one copy.
 * tfjs stays external (a peer, as for the runtime), and ml-matrix (a dependency, below); the other
 * libraries only the CLI uses (three's PLY loader, glTF-Transform) are bundled, so installing the
 * runtime never pulls them (three alone is 24 MB) and the CLI needs no more installs.
 */
const cli = {
  input: {
    imnet: 'training/cli/imnet.ts',
    // Modules loaded by URL in worker threads (training/util/siblingModule.ts): each a file of its own.
    prepareWorker: 'training/data/prepare/prepareWorker.ts',
    replicaWorker: 'training/trainer/replicaWorker.ts',
    replica: 'training/models/imnet/replica.ts',
    LatentFit: 'training/models/imnet/LatentFit.ts',
  },
  // ml-matrix (PCA starting codes, used by every default `train`) is a dependency: its ES module is a
  // wrapper over CommonJS, which this build does not convert.
  external: (id) => id.startsWith('node:') || builtinModules.includes(id) || id.startsWith('@tensorflow/') || id === 'ml-matrix' || id === 'tsx/esm/api',
  plugins: [
    {
      name: 'core-entry',
      resolveId(id) {
        // Every CLI chunk sits in dist/training/, one folder below the runtime's bundles.
        if (id === '#core') return { id: '../babylon-imnet-core.mjs', external: true };
        if (id === '#main') return { id: '../babylon-imnet.mjs', external: true };
        return null;
      },
    },
    nodeResolve({ preferBuiltins: true }),
    typescript({
      tsconfig: './tsconfig.json',
      include: ['training/**/*.ts'],
      filterRoot: process.cwd(),
      rootDir: '.',
      outDir: 'dist/training',
      declaration: false,
      declarationDir: undefined,
      noEmitOnError: true,
    }),
    {
      name: 'cli-files',
      renderChunk(code, chunk) {
        return chunk.name === 'imnet' && chunk.isEntry ? { code: `#!/usr/bin/env node\n${code}`, map: null } : null;
      },
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'worker.mjs', source: readFileSync('training/util/worker.mjs', 'utf8') });
        // Read beside the module that loads it (eval/lfd/lfdConstants.ts), so beside the chunks here.
        this.emitFile({ type: 'asset', fileName: 'lfd-constants.json', source: readFileSync('training/eval/lfd/lfd-constants.json', 'utf8') });
      },
    },
    thirdPartyNotices(),
  ],
  output: { dir: 'dist/training', format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name].js' },
};

export default [
  {
    input: { 'babylon-imnet': 'src/index.ts', 'babylon-imnet-core': 'src/core.ts' },
    external: isExternal,
    plugins: [...plugins(true), wasmBinaries()],
    output: { dir: 'dist', entryFileNames: '[name].mjs', chunkFileNames: 'babylon-imnet-shared.mjs', format: 'es', sourcemap: true },
  },
  umd('src/index.ts', 'IMNET', 'babylon-imnet'),
  umd('src/core.ts', 'IMNET_CORE', 'babylon-imnet-core'),
  cli,
];
