/** Types of serve.mjs, for the TypeScript tests that start it. */

export interface StartServerOptions {
  /** Folder served at `/`. Default: the repository root. */
  root?: string;
  /** Port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
  /** URL prefix -> extra folder served under it, e.g. `{ '/test-weights': dir }`. */
  mounts?: Record<string, string>;
  /** Where `/` redirects. Default `/plugin-examples/`. */
  redirectRootTo?: string;
}

export interface RunningServer {
  /** `http://host:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const MIME_TYPES: Readonly<Record<string, string>>;
export function mimeTypeFor(fileName: string): string;
export function startServer(options?: StartServerOptions): Promise<RunningServer>;
