/**
 * Which tfjs backend evaluates decoders. tfjs has one global backend; we choose it once for `auto`
 * and switch only when a caller forces another.
 */
import * as tf from '@tensorflow/tfjs';

/** A tfjs backend name, or `auto` for the fastest that initialises here. */
export type BackendName = 'auto' | 'webgpu' | 'webgl' | 'tensorflow' | 'wasm' | 'cpu';

/** Fastest first. `tensorflow` is tfjs-node(-gpu)'s backend. */
const AUTO_ORDER: Exclude<BackendName, 'auto'>[] = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'];

let autoChoice: Promise<string> | null = null;

/** Backends registered with tfjs (by importing their package or script). */
export function registeredBackends(): string[] {
  return Object.keys(tf.engine().registryFactory);
}

function hasGpuContext(name: string): boolean {
  const g = globalThis as { document?: unknown; OffscreenCanvas?: unknown; navigator?: { gpu?: unknown } };
  if (name === 'webgl') return g.document !== undefined || g.OffscreenCanvas !== undefined;
  if (name === 'webgpu') return g.navigator?.gpu !== undefined;
  return true;
}

/**
 * Makes `preference` the active tfjs backend and returns its name. A forced `webgl` also accepts a
 * software rasteriser (SwiftShader in headless Chromium): tfjs refuses those unless
 * `SOFTWARE_WEBGL_ENABLED` is set, and someone who names webgl wants it even when it is slow.
 */
export async function activateBackend(preference: BackendName = 'auto'): Promise<string> {
  if (preference === 'auto') {
    autoChoice ??= chooseAutomatically();
    const name = await autoChoice;
    if (tf.getBackend() !== name) await setOrThrow(name);
    return name;
  }
  if (!registeredBackends().includes(preference)) {
    throw new Error(`backend '${preference}' is not registered with tfjs; registered: ${registeredBackends().join(', ')}. ` +
      `Import its package (e.g. @tensorflow/tfjs-backend-${preference}) or load its script first.`);
  }
  if (preference === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  if (tf.getBackend() !== preference) await setOrThrow(preference);
  return preference;
}

async function setOrThrow(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialise here`);
  await tf.ready();
}

async function chooseAutomatically(): Promise<string> {
  const registered = registeredBackends();
  for (const name of AUTO_ORDER) {
    if (!registered.includes(name) || !hasGpuContext(name)) continue;
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // A backend that throws while initialising is as absent as one that returns false.
    }
  }
  throw new Error(`no tfjs backend initialises here; registered: ${registered.join(', ')}`);
}

/**
 * Runs `work` with exclusive use of the tfjs engine, so a shape forcing one backend cannot switch
 * the global backend under another shape's batch.
 */
export function runExclusive<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.then(() => undefined, () => undefined);
  return result;
}
let queue: Promise<void> = Promise.resolve();
