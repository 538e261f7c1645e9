/**
 * Headless Chromium for the browser tests: which executable, which flags, and page errors collected
 * so a test can fail with the page's own message instead of a timeout.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer';

/** Where Chromium is looked for when PUPPETEER_EXECUTABLE_PATH is not set (Debian's package first). */
const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Flags that give WebGL2 with float render targets in software on a machine with no GPU. SwiftShader
 * must be allowed explicitly since Chrome 137; WebGPU needs `--enable-unsafe-webgpu` on Linux (here it
 * then offers SwiftShader's fallback adapter). The rest keep a test run offline and quiet.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium to run: PUPPETEER_EXECUTABLE_PATH, else the first candidate that exists. */
export function chromiumExecutable(): string {
  const fromEnv = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`PUPPETEER_EXECUTABLE_PATH is ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no Chromium found: set PUPPETEER_EXECUTABLE_PATH, or install one at ${CANDIDATES.join(' or ')} ` +
      '(Debian: apt-get install chromium)');
  }
  return found;
}

/**
 * Launches headless Chromium with {@link CHROMIUM_ARGS}. `protocolTimeout` bounds one
 * `page.evaluate` (puppeteer's default is 180 s; benches on software GPUs need more).
 */
export async function launchChromium(options: { protocolTimeout?: number } = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: CHROMIUM_ARGS,
    ...(options.protocolTimeout ? { protocolTimeout: options.protocolTimeout } : {}),
  });
}

/** Errors a page reported: uncaught exceptions, console.error lines, failed requests, HTTP errors. */
export interface PageErrors {
  readonly messages: string[];
  /** Throws one Error listing every message, if there are any. */
  assertNone(): void;
}

/**
 * Starts collecting `page`'s errors. `ignore` drops messages a test expects (e.g. a favicon 404).
 * Call `assertNone()` after the page's work so the failure shows what the page said.
 */
export function collectPageErrors(page: Page, ignore: RegExp[] = [/favicon\.ico/]): PageErrors {
  const messages: string[] = [];
  const add = (message: string) => {
    if (!ignore.some((pattern) => pattern.test(message))) messages.push(message);
  };
  page.on('pageerror', (error) => add(`uncaught in page: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
  page.on('console', (message) => {
    // "Failed to load resource" names no URL in its text; the location does.
    const where = message.location()?.url;
    if (message.type() === 'error') add(`console.error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('requestfailed', (request) => add(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (response) => {
    if (response.status() >= 400) add(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    messages,
    assertNone() {
      if (messages.length > 0) throw new Error(`the page reported ${messages.length} error(s):\n  ${messages.join('\n  ')}`);
    },
  };
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Browser tests load the built UMD bundle: fail clearly if it is missing or older than src/. */
export function assertFreshBundle(): void {
  const bundle = join(REPO_ROOT, 'dist/babylon-imnet.umd.cjs');
  if (!existsSync(bundle)) {
    throw new Error(`${bundle} is missing: the browser tests load the built bundle. Run \`npm run build\` (\`npm test\` does it first).`);
  }
  const built = statSync(bundle).mtimeMs;
  const newer = (readdirSync(join(REPO_ROOT, 'src'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && statSync(join(REPO_ROOT, 'src', f)).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(`dist/babylon-imnet.umd.cjs is older than src/${newer[0]}${newer.length > 1 ? ` (and ${newer.length - 1} more)` : ''}: ` +
      'the browser would test stale code. Run `npm run build` (`npm test` does it first).');
  }
}
