/**
 * Makes tfjs's wasm backend available without configuration. Importing the package registers the
 * backend; its `.wasm` files are the hard part, because tfjs looks for them next to the script that
 * loaded it, which in a bundled app is the page's folder, where they are not.
 *
 * - Node: tfjs-backend-wasm reads them from its own folder; nothing to do.
 * - Script tags (`tf-backend-wasm.min.js` loaded before this bundle): found next to that script.
 * - ES modules (bundlers, CDNs): the build copies the files beside this bundle in `dist/`, and the
 *   `new URL('./x.wasm', import.meta.url)` below is the pattern Vite, webpack 5 and Parcel follow to
 *   emit them with the app. Only when the installed tfjs-backend-wasm is the version they were
 *   copied from: binaries of another version do not match its JavaScript.
 */
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';

/** The tfjs-backend-wasm version whose `.wasm` files `npm run build` copies into `dist/` (checked there). */
export const WASM_BINARIES_VERSION = '4.22.0';

/** What was done about the `.wasm` files, for the backend log line; null when nothing needed saying. */
let note: string | null = null;

/** Why the shipped binaries are or are not used, once the module has run. */
export function wasmBinariesNote(): string | null {
  return note;
}

function shippedBinaries(): Record<string, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('./tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('./tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('./tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

/**
 * Runs at import, so that a `setWasmPaths` call of the app's own, made after importing this
 * package, still wins.
 */
function pointWasmAtShippedBinaries(): void {
  const g = globalThis as { process?: { versions?: { node?: string } }; tf?: { wasm?: { setWasmPaths?: unknown } } };
  if (g.process?.versions?.node !== undefined) return;
  // The UMD bundle without tf-backend-wasm's script: no wasm backend, `auto` goes on without it.
  if (typeof tfWasm.setWasmPaths !== 'function') return;
  if (g.tf?.wasm?.setWasmPaths === tfWasm.setWasmPaths) return; // loaded by a script tag
  if (!import.meta.url.startsWith('http') && !import.meta.url.startsWith('file')) return; // blob:/data: bundles have no folder
  if (tfWasm.version_wasm !== WASM_BINARIES_VERSION) {
    note = `tfjs-backend-wasm ${tfWasm.version_wasm} is installed but babylon-imnet ships the .wasm files of ${WASM_BINARIES_VERSION}; ` +
      'tfjs looks for its own next to the page unless you call setWasmPaths()';
    return;
  }
  try {
    tfWasm.setWasmPaths(shippedBinaries());
    note = `.wasm files from ${new URL('./', import.meta.url).href}`;
  } catch {
    // Already initialised by the app: its own paths worked.
  }
}

pointWasmAtShippedBinaries();
