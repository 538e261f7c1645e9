/**
 * Which tfjs backend evaluates decoders. tfjs has one global backend; `auto` chooses it once (see
 * `planAutoBackend` for the order), says which and why in one console line, and we switch only when
 * a caller forces another.
 */
import * as tf from '@tensorflow/tfjs';
import { planAutoBackend, type AutoStep } from './autoBackend.js';
import { probeWebgl, probeWebgpu, type PlatformProbe } from './backendProbe.js';
import { wasmBinariesNote } from './wasmBinaries.js';

/** A tfjs backend name, or `auto` for the fastest available here. */
export type BackendName = 'auto' | 'webgpu' | 'webgl' | 'tensorflow' | 'wasm' | 'cpu';

/** The backend `auto` settled on, and why. */
export interface BackendChoice {
  /** tfjs's name of the backend. */
  readonly backend: string;
  /** One sentence: what was skipped or measured, and what won. */
  readonly reason: string;
  /** Milliseconds of the probe workload per backend, when `auto` had to measure. */
  readonly measuredMs?: Readonly<Record<string, number>>;
}

let autoChoice: Promise<BackendChoice> | null = null;
let settledChoice: BackendChoice | null = null;

/** Backends registered with tfjs (by importing their package or loading their script). */
export function registeredBackends(): string[] {
  return Object.keys(tf.engine().registryFactory);
}

/** What `auto` chose, once it has (null before the first shape or evaluation on `auto`). */
export function autoBackendChoice(): BackendChoice | null {
  return settledChoice;
}

/**
 * Makes `preference` the active tfjs backend and returns its name. A forced `webgl` also accepts a
 * software rasteriser (SwiftShader in headless Chromium): tfjs refuses those unless
 * `SOFTWARE_WEBGL_ENABLED` is set, and someone who names webgl wants it even when it is slow.
 */
export async function activateBackend(preference: BackendName = 'auto'): Promise<string> {
  if (preference === 'auto') {
    autoChoice ??= chooseAutomatically();
    const { backend } = await autoChoice;
    if (tf.getBackend() !== backend) await setOrThrow(backend);
    return backend;
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

async function probePlatform(): Promise<PlatformProbe> {
  const registered = registeredBackends();
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined;
  return {
    node,
    registered,
    webgl: registered.includes('webgl') ? probeWebgl() : null,
    webgpu: registered.includes('webgpu') ? await probeWebgpu() : null,
  };
}

async function chooseAutomatically(): Promise<BackendChoice> {
  const plan = planAutoBackend(await probePlatform());
  const notes = [...plan.skipped];
  for (const step of plan.steps) {
    const outcome = await runStep(step, notes);
    if (outcome) {
      const reason = [...notes, `${outcome.backend}: ${step.why}`].join('; ');
      const choice: BackendChoice = { backend: outcome.backend, reason, ...(outcome.measuredMs ? { measuredMs: outcome.measuredMs } : {}) };
      settledChoice = choice;
      announce(choice);
      return choice;
    }
  }
  throw new Error(`no tfjs backend initialises here (${notes.join('; ') || `registered: ${registeredBackends().join(', ')}`})`);
}

/** The backend a step settles on, or null when none of its backends works (the reasons go to `notes`). */
async function runStep(step: AutoStep, notes: string[]): Promise<{ backend: string; measuredMs?: Record<string, number> } | null> {
  const usable: string[] = [];
  for (const name of step.backends) {
    const failure = await initialise(name) ?? await verify(name);
    if (failure) notes.push(`${name}: ${failure}`);
    else usable.push(name);
  }
  if (usable.length === 0) return null;
  if (usable.length === 1) {
    await setOrThrow(usable[0]);
    return { backend: usable[0] };
  }
  const measuredMs: Record<string, number> = {};
  for (const name of usable) {
    await setOrThrow(name);
    measuredMs[name] = Math.round(await timeProbeWorkload() * 10) / 10;
  }
  const fastest = usable.reduce((best, name) => (measuredMs[name] < measuredMs[best] ? name : best));
  notes.push(`measured ${usable.map((n) => `${n} ${measuredMs[n]} ms`).join(', ')}`);
  await setOrThrow(fastest);
  return { backend: fastest, measuredMs };
}

/** null when `name` is now tfjs's backend, else why not. */
async function initialise(name: string): Promise<string | null> {
  // auto reaches webgl only when it is hardware, unidentified (and then measured) or the best left;
  // tfjs's own refusal of software rasterisers would hide it in the last two cases.
  if (name === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);
  try {
    if (!(await tf.setBackend(name))) return 'did not initialise';
    await tf.ready();
    return null;
  } catch (error) {
    const message = (error as { message?: string })?.message ?? String(error);
    return `failed to initialise (${message.split('\n')[0].slice(0, 200)})`;
  }
}

/**
 * A GPU backend that initialises can still compute wrongly (half-float render targets on some
 * mobile GPUs): a small dense layer must match float64 to 1e-4 (float16 errs by ~1e-3 here).
 */
async function verify(name: string): Promise<string | null> {
  if (name !== 'webgl' && name !== 'webgpu') return null;
  const rows = 64, inner = 16, units = 8;
  const a = Float32Array.from({ length: rows * inner }, (_, i) => Math.sin(i * 0.37));
  const w = Float32Array.from({ length: inner * units }, (_, i) => Math.cos(i * 0.53));
  try {
    const out = tf.tidy(() => tf.leakyRelu(tf.matMul(tf.tensor2d(a, [rows, inner]), tf.tensor2d(w, [inner, units])), 0.02));
    const got = await out.data();
    out.dispose();
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        let sum = 0;
        for (let k = 0; k < inner; k++) sum += a[r * inner + k] * w[k * units + u];
        worst = Math.max(worst, Math.abs((sum > 0 ? sum : 0.02 * sum) - got[r * units + u]));
      }
    }
    return worst <= 1e-4 ? null : `computes wrongly here (a dense layer off by ${worst.toExponential(1)})`;
  } catch (error) {
    return `failed a test computation (${(error as Error).message.split('\n')[0].slice(0, 200)})`;
  }
}

/**
 * Milliseconds for three runs of one decoder-sized layer ([2048, 256] x [256, 256], LeakyReLU, read
 * back) on the active backend, the first included: a first shape pays for shader compilation too.
 * Small, because without wasm the contenders may be plain JS (~1 GFLOP/s) and SwiftShader's WebGPU
 * (~0.2): ~1 s and ~4 s here.
 */
async function timeProbeWorkload(): Promise<number> {
  const x = tf.tidy(() => tf.sin(tf.reshape(tf.range(0, 2048 * 256), [2048, 256])));
  const w = tf.tidy(() => tf.mul(tf.cos(tf.reshape(tf.range(0, 256 * 256), [256, 256])), 0.06));
  const run = async () => {
    const out = tf.tidy(() => tf.sum(tf.leakyRelu(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), 0.02)));
    await out.data();
    out.dispose();
  };
  try {
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) await run();
    return performance.now() - t0;
  } finally {
    x.dispose();
    w.dispose();
  }
}

/** One console line per page or process, unless tfjs is in test mode (`IS_TEST`). */
function announce(choice: BackendChoice): void {
  if (tf.env().getBool('IS_TEST')) return;
  const wasm = choice.backend === 'wasm' ? wasmBinariesNote() : null;
  console.info(`babylon-imnet: tfjs backend '${choice.backend}' (auto): ${choice.reason}${wasm ? `; ${wasm}` : ''}`);
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
