/**
 * The URL of a module beside the calling one, for worker threads and replica factories that load
 * modules by URL: `name.ts` when the caller runs from source (tsx, jest), `name.js` in the built
 * CLI (dist/training/, where rollup.config.mjs makes each such module an entry of its own).
 */
export function siblingModule(name: string, callerUrl: string): URL {
  return new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
}
