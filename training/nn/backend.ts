/**
 * Which tfjs backend a training command runs on, and why. Tries, fastest first, the packages that
 * may be installed: @tensorflow/tfjs-node-gpu (CUDA), @tensorflow/tfjs-node (native CPU), the wasm
 * backend, then tfjs's plain-JS cpu backend. The node packages are optional (their install downloads
 * libtensorflow), so they are imported dynamically and their absence is a reason, not an error.
 * `--backend` forces one; a forced backend that cannot load is an error naming the package to install.
 */
/** Which backend to use: `auto` (the fastest that loads) or one by its package's short name (`--backend`). */
export type BackendPreference = 'auto' | 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

interface Candidate {
  key: Exclude<BackendPreference, 'auto'>;
  /** The package that registers it. */
  packageName: string;
  /** tfjs's name for the backend. */
  backend: string;
  /** What it is, for the log line. */
  what: string;
}

const CANDIDATES: readonly Candidate[] = [
  { key: 'tfjs-node-gpu', packageName: '@tensorflow/tfjs-node-gpu', backend: 'tensorflow', what: 'libtensorflow with CUDA' },
  { key: 'tfjs-node', packageName: '@tensorflow/tfjs-node', backend: 'tensorflow', what: 'libtensorflow on the CPU' },
  { key: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm', backend: 'wasm', what: 'WebAssembly, SIMD and threads where available' },
  { key: 'cpu', packageName: '@tensorflow/tfjs', backend: 'cpu', what: 'plain JavaScript' },
];

/** Every preference, `auto` first. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...CANDIDATES.map((c) => c.key)];

/** The backend in use and the sentence that explains the choice. */
export interface BackendChoice {
  /** tfjs's backend name (`tensorflow`, `wasm`, `cpu`). */
  backend: string;
  /** The `--backend` value it corresponds to. */
  key: Exclude<BackendPreference, 'auto'>;
  packageName: string;
  /** Why this one: what was forced, or what auto skipped and why. */
  reason: string;
}

/**
 * Loads and activates a backend, prints `tfjs backend: <name> (<package>): <why>` through `log`
 * (stderr by default) and returns the choice.
 */
export async function selectBackend(preference: BackendPreference = 'auto', log: (line: string) => void = (line) => process.stderr.write(line + '\n')): Promise<BackendChoice> {
  const tf = await import('@tensorflow/tfjs');
  const tried: string[] = [];
  const candidates = preference === 'auto' ? CANDIDATES : CANDIDATES.filter((c) => c.key === preference);
  if (candidates.length === 0) throw new RangeError(`backend '${preference}': expected one of ${BACKEND_PREFERENCES.join(', ')}`);
  for (const candidate of candidates) {
    const failure = await tryActivate(tf, candidate);
    if (failure === null) {
      const reason = preference === 'auto'
        ? `auto: ${[...tried, `${candidate.key} loaded`].join('; ')}`
        : `forced by --backend ${preference}`;
      const choice: BackendChoice = { backend: candidate.backend, key: candidate.key, packageName: candidate.packageName, reason };
      log(`tfjs backend: ${choice.backend} via ${choice.packageName} (${candidate.what}); ${choice.reason}`);
      return choice;
    }
    tried.push(`${candidate.key} ${failure}`);
    if (preference !== 'auto') {
      throw new Error(`--backend ${preference}: ${candidate.packageName} ${failure}` +
        (failure.startsWith('is not installed') ? `; install it (npm install ${candidate.packageName}) or choose another backend` : ''));
    }
  }
  throw new Error(`no tfjs backend loads here: ${tried.join('; ')}`);
}

/** null when the candidate is now tfjs's active backend, else why not. */
async function tryActivate(tf: typeof import('@tensorflow/tfjs'), candidate: Candidate): Promise<string | null> {
  if (candidate.backend !== 'cpu') {
    try {
      // A variable specifier keeps bundlers and tsc from resolving optional packages.
      const specifier = candidate.packageName;
      await import(specifier);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      const missing = (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && e.message.includes(candidate.packageName);
      return missing ? 'is not installed' : `failed to load (${firstLine(e.message)})`;
    }
  }
  try {
    if (!(await tf.setBackend(candidate.backend))) return `did not initialise`;
    await tf.ready();
    return null;
  } catch (error) {
    return `failed to initialise (${firstLine((error as Error).message)})`;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 160);
}
