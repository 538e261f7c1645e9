/**
 * The package as a user installs it: `npm pack`, then the tarball installed into a fresh project
 * together with the packages a user would add, offline, from the npm cache that `npm ci` of this
 * repository filled.
 *
 * `npm install --offline` cannot resolve a version range without the registry's package documents,
 * which `npm ci` does not cache; tarballs it does cache (by integrity). So the temporary project
 * gets a lockfile: the closure of the requested packages copied from this repository's lockfile
 * (the versions CI tested), plus the tarball, and `npm ci --offline` installs exactly that.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string> | string;
  [key: string]: unknown;
}

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  license?: string;
}

/** Packs the package (after `npm run build`) into `destination` and returns the tarball's path. */
export function packPackage(destination: string): string {
  mkdirSync(destination, { recursive: true });
  const output = execFileSync('npm', ['pack', '--pack-destination', destination, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const [{ filename }] = JSON.parse(output) as { filename: string }[];
  return join(destination, basename(filename));
}

/** Where Node would find `name` from the package at lock path `from` (`''` is the project). */
function resolveInLock(packages: Record<string, LockEntry>, from: string, name: string): string | null {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return null;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/**
 * Installs `tarball` and `extra` packages (at the versions of this repository's lockfile) into
 * `projectDir` with `npm ci --offline`; the package's own dependencies and non-optional peers come
 * along, as npm would install them. Returns the project's node_modules path.
 */
export function installOffline(projectDir: string, tarball: string, extra: string[] = []): string {
  mkdirSync(projectDir, { recursive: true });
  const repoLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const repoPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  const packages = repoLock.packages;

  const wanted = new Map<string, LockEntry>();
  const visit = (from: string, name: string, required: boolean) => {
    const path = resolveInLock(packages, from, name);
    if (!path) {
      if (required) throw new Error(`installOffline: ${name} (needed by ${from || 'the project'}) is not in package-lock.json, so not in the npm cache`);
      return;
    }
    if (wanted.has(path)) return;
    const { dev, devOptional, peer, ...entry } = packages[path];
    void dev; void devOptional; void peer;
    wanted.set(path, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(path, dep, true);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(path, dep, false);
    for (const [dep] of Object.entries(entry.peerDependencies ?? {})) visit(path, dep, !entry.peerDependenciesMeta?.[dep]?.optional);
  };

  const ownDependencies = { ...repoPackage.dependencies };
  const requiredPeers = Object.keys(repoPackage.peerDependencies ?? {}).filter((p) => !repoPackage.peerDependenciesMeta?.[p]?.optional);
  for (const name of [...Object.keys(ownDependencies), ...requiredPeers, ...extra]) visit('', name, true);

  const tarballName = basename(tarball);
  copyFileSync(tarball, join(projectDir, tarballName));
  const rootDependencies: Record<string, string> = { [repoPackage.name]: `file:${tarballName}` };
  for (const name of extra) rootDependencies[name] = wanted.get(`node_modules/${name}`)!.version!;

  const lock = {
    name: 'imnet-install-test',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'imnet-install-test', dependencies: rootDependencies },
      [`node_modules/${repoPackage.name}`]: {
        version: repoPackage.version,
        resolved: `file:${tarballName}`,
        license: repoPackage.license,
        dependencies: repoPackage.dependencies,
        optionalDependencies: repoPackage.optionalDependencies,
        peerDependencies: repoPackage.peerDependencies,
        peerDependenciesMeta: repoPackage.peerDependenciesMeta,
        bin: repoPackage.bin,
      },
      ...Object.fromEntries(wanted),
    },
  };
  writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'imnet-install-test', private: true, type: 'module', dependencies: rootDependencies }, null, 2));
  writeFileSync(join(projectDir, 'package-lock.json'), JSON.stringify(lock, null, 2));
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: projectDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' },
  });
  return join(projectDir, 'node_modules');
}
