/**
 * A small static file server for the demos and the browser tests: no dependencies, node:http only.
 *
 *   node plugin-examples/serve.mjs            # http://127.0.0.1:8080/plugin-examples/
 *   PORT=9000 node plugin-examples/serve.mjs
 *
 * Serves the repository root (so the demo can load /node_modules/... and /dist/... exactly as a game
 * would load them from its own server), redirects `/` to the demo, and never serves a file outside
 * the root or a mounted folder.
 */
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Content types by extension; anything else is served as bytes. */
export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
};

/** The content type for a file name. */
export function mimeTypeFor(fileName) {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `folder`, or null when it would escape it. Decoding happens
 * before the check, so `%2e%2e/` is caught like `../`.
 */
function resolveInside(folder, relativeUrlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relativeUrlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(folder, '.' + sep + decoded);
  return file === folder || file.startsWith(folder.endsWith(sep) ? folder : folder + sep) ? file : null;
}

/** Normalises `{ '/weights-test': '/tmp/x' }` into prefix/folder pairs, longest prefix first. */
function normaliseMounts(mounts) {
  return Object.entries(mounts ?? {})
    .map(([prefix, folder]) => ({ prefix: '/' + prefix.replace(/^\/+|\/+$/g, ''), folder: resolve(folder) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  response.end(body);
}

/**
 * Starts the server.
 *
 * @param {object} [options]
 * @param {string} [options.root] folder served at `/`. Default: the repository root.
 * @param {number} [options.port] port; 0 picks a free one. Default 8080.
 * @param {string} [options.host] interface. Default 127.0.0.1 (not exposed to the network).
 * @param {Record<string, string>} [options.mounts] URL prefix -> extra folder, e.g. `{ '/tmp-weights': dir }`.
 * @param {string} [options.redirectRootTo] where `/` redirects. Default `/plugin-examples/`.
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>} `url` has no trailing slash.
 */
export async function startServer(options = {}) {
  const root = resolve(options.root ?? REPO_ROOT);
  const host = options.host ?? '127.0.0.1';
  const mounts = normaliseMounts(options.mounts);
  const redirectRootTo = options.redirectRootTo ?? '/plugin-examples/';

  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return;
    }
    const urlPath = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (urlPath === '/' && redirectRootTo) {
      send(response, 302, `See ${redirectRootTo}\n`, { Location: redirectRootTo });
      return;
    }
    const mount = mounts.find((m) => urlPath === m.prefix || urlPath.startsWith(m.prefix + '/'));
    const folder = mount ? mount.folder : root;
    const relative = mount ? urlPath.slice(mount.prefix.length) : urlPath;
    let file = resolveInside(folder, relative);
    if (!file) {
      send(response, 403, 'Forbidden\n');
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) {
        // `/plugin-examples` -> `/plugin-examples/` so relative URLs in the page resolve inside it.
        if (!urlPath.endsWith('/')) {
          send(response, 301, '', { Location: urlPath + '/' });
          return;
        }
        file = join(file, 'index.html');
        info = await stat(file);
      }
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      response.writeHead(200, {
        'Content-Type': mimeTypeFor(file),
        'Content-Length': info.size,
        // Weights and the bundle change while developing; never let the browser serve stale ones.
        'Cache-Control': 'no-store',
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      createReadStream(file).on('error', () => response.destroy()).pipe(response);
    } catch (error) {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') send(response, 404, `Not found: ${urlPath}\n`);
      else send(response, 500, `Error reading ${urlPath}: ${error.message}\n`);
    }
  });

  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 8080, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const { port } = server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () => new Promise((resolveClose) => {
      server.closeAllConnections?.();
      server.close(() => resolveClose());
    }),
  };
}

const runAsScript = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runAsScript) {
  const port = process.env.PORT ? Number(process.env.PORT) : 8080;
  const host = process.env.HOST ?? '127.0.0.1';
  startServer({ port, host }).then(
    ({ url }) => {
      console.log(`babylon-imnet demo: ${url}/plugin-examples/`);
      console.log(`(serving ${REPO_ROOT}; Ctrl+C to stop)`);
    },
    (error) => {
      console.error(`babylon-imnet demo server could not start on ${host}:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
