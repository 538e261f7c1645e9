/**
 * Where the package's pretrained category weights live, so `ImNetDecoder.load('chair')` works
 * without a path. This file sits directly in src/ on purpose: from here and from the bundles in
 * dist/ alike, the package's weights/ folder is `../weights/`.
 */

/** The categories whose trained weights ship in the package's `weights/` folder (see weights/README.md). */
export const SHIPPED_CATEGORIES = ['airplane', 'car', 'chair', 'rifle', 'table', 'vase'] as const;

/** One of {@link SHIPPED_CATEGORIES}. */
export type ShippedCategory = (typeof SHIPPED_CATEGORIES)[number];

/** Thrown for a category name that the package does not ship. */
export class UnknownCategoryError extends Error {
  /** Always `UnknownCategoryError`. */
  override readonly name = 'UnknownCategoryError';
}

let baseUrlOverride: string | null = null;

/**
 * The folder (URL, or a path in Node) that holds `<category>/model.json`. By default the package's
 * own weights/ folder, found relative to the running module: in a browser, next to the served
 * `dist/` folder; in Node, the installed package's folder.
 */
export function weightsBaseUrl(): string {
  if (baseUrlOverride !== null) return baseUrlOverride;
  const url = new URL('../weights/', import.meta.url);
  if (url.protocol !== 'file:') return url.href;
  // Node reads paths: turn the file URL into one with Node's own converter (handles Windows drives).
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeUrl = p?.getBuiltinModule?.('node:url') as { fileURLToPath(url: URL): string } | undefined;
  return nodeUrl ? nodeUrl.fileURLToPath(url) : url.href;
}

/**
 * Points category loads at another folder (e.g. a CDN, or where a bundler copied weights/); a
 * trailing slash is added when missing. `null` restores the default.
 */
export function setWeightsBaseUrl(base: string | null): void {
  if (base !== null && (typeof base !== 'string' || base.length === 0)) {
    throw new TypeError(`weightsBaseUrl: expected a URL or folder path (or null for the default), got ${String(base)}`);
  }
  baseUrlOverride = base === null ? null : base.endsWith('/') ? base : `${base}/`;
}

/** True when `source` names a shipped category rather than a manifest URL or path. */
export function isShippedCategory(source: string): source is ShippedCategory {
  return (SHIPPED_CATEGORIES as readonly string[]).includes(source);
}

/**
 * The manifest of a shipped category. A bare word that is not one (no slash, no extension) is an
 * {@link UnknownCategoryError} listing the shipped ones; anything else is returned unchanged as a
 * URL or path.
 */
export function resolveWeightsSource(source: string): string {
  if (isShippedCategory(source)) return `${weightsBaseUrl()}${source}/model.json`;
  if (/^[a-z0-9_-]+$/i.test(source)) {
    throw new UnknownCategoryError(`'${source}' is not a shipped category (${SHIPPED_CATEGORIES.join(', ')}) nor a path to a model.json`);
  }
  return source;
}
