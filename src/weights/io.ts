/**
 * Reading weights files from a URL (browser, or Node with fetch) or a filesystem path (Node).
 * `src/` must not import Node built-ins, so Node's fs is reached through `process.getBuiltinModule`
 * (Node >= 20.16) only when a path is given.
 */
import { WeightsFormatError } from './format.js';

interface NodeFs { readFile(path: string): Promise<Uint8Array>; }

function nodeFs(): NodeFs | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } }).process;
  if (!p?.versions?.node || typeof p.getBuiltinModule !== 'function') return null;
  return p.getBuiltinModule('node:fs/promises') as NodeFs;
}

/** True when `source` should be fetched rather than read from disk. */
export function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || nodeFs() === null;
}

/** `relative` resolved against the folder that holds `base` (a URL or a path). */
export function resolveSibling(base: string, relative: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(base)) return new URL(relative, base).href;
  const slash = base.lastIndexOf('/');
  return (slash >= 0 ? base.slice(0, slash + 1) : '') + relative;
}

/**
 * The bytes of a file or URL. A file that cannot be read (missing, HTTP error, network failure) is a
 * {@link WeightsFormatError} naming it and `field`, the manifest field that pointed there
 * (`(file)` for the manifest itself).
 */
export async function readBytes(source: string, field = '(file)'): Promise<Uint8Array> {
  if (isUrl(source)) {
    let response: Response;
    try {
      response = await fetch(source);
    } catch (error) {
      throw new WeightsFormatError(source, field, `could not be fetched (${(error as Error).message})`);
    }
    if (!response.ok) throw new WeightsFormatError(source, field, `HTTP ${response.status} ${response.statusText}`.trim());
    return new Uint8Array(await response.arrayBuffer());
  }
  try {
    return await nodeFs()!.readFile(source);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new WeightsFormatError(source, field, code === 'ENOENT' ? 'file not found' : (error as Error).message);
  }
}

export async function readText(source: string, field = '(file)'): Promise<string> {
  return new TextDecoder().decode(await readBytes(source, field));
}
