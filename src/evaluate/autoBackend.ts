/**
 * The order in which `auto` tries tfjs backends, from what the platform reports. Pure: the probe
 * comes in, a plan comes out, so every rule is testable without a browser.
 *
 * Measured on a 2-core machine without a GPU (README, `npm run bench -- decoder`): tfjs-wasm
 * ~24 GFLOP/s, WebGL on SwiftShader ~3, the plain-JS cpu backend ~0.9. A software rasteriser is
 * therefore never preferred to wasm, and a GPU whose renderer cannot be identified is measured
 * against wasm rather than trusted.
 */
import type { PlatformProbe } from './backendProbe.js';

/** One step of the plan: a single backend to initialise, or several to measure against each other. */
export interface AutoStep {
  /** Backends of this step; with more than one, the fastest that computes correctly wins. */
  readonly backends: readonly string[];
  /** Why this step comes where it does, for the log line. */
  readonly why: string;
}

/** What `auto` will try, in order, and what it leaves out and why. */
export interface AutoPlan {
  /** The steps, in the order they are tried; the first that yields a working backend wins. */
  readonly steps: readonly AutoStep[];
  /** One reason per backend left out (`webgl: software renderer "SwiftShader ..."`). */
  readonly skipped: readonly string[];
}

const quote = (name: string) => `"${name.length > 60 ? `${name.slice(0, 57)}...` : name}"`;

/**
 * Orders the registered backends: tfjs-node; hardware GPUs (WebGPU and WebGL measured against each
 * other when both are there); a GPU whose renderer is unknown, measured against wasm; wasm;
 * software GPUs measured against cpu (only without wasm); cpu.
 */
export function planAutoBackend(probe: PlatformProbe): AutoPlan {
  const registered = new Set(probe.registered);
  const steps: AutoStep[] = [];
  const skipped: string[] = [];
  if (registered.has('tensorflow')) steps.push({ backends: ['tensorflow'], why: 'native libtensorflow (tfjs-node)' });

  type Gpu = 'webgpu' | 'webgl';
  const hardware: Gpu[] = [];
  const unknown: Gpu[] = [];
  const software: Gpu[] = [];
  for (const name of ['webgpu', 'webgl'] as Gpu[]) {
    const gpu = probe[name];
    if (!registered.has(name)) continue;
    if (!gpu) {
      skipped.push(`${name}: ${name === 'webgpu' ? 'no WebGPU adapter' : 'no WebGL2 context'} here`);
      continue;
    }
    if (gpu.software === false) hardware.push(name);
    else if (gpu.software === null) unknown.push(name);
    else software.push(name);
  }
  if (hardware.length > 0) {
    steps.push({ backends: hardware, why: hardware.length > 1 ? 'hardware WebGPU and WebGL, measured against each other' : `hardware ${hardware[0] === 'webgl' ? 'WebGL' : 'WebGPU'}` });
  }
  const hasWasm = registered.has('wasm');
  if (unknown.length > 0) {
    const names = unknown.map((n) => `${n} ${quote(probe[n]!.name || 'renderer not reported')}`).join(', ');
    steps.push({ backends: hasWasm ? [...unknown, 'wasm'] : unknown, why: `${names} not identifiable as hardware or software, so measured${hasWasm ? ' against wasm' : ''}` });
  }
  if (hasWasm) steps.push({ backends: ['wasm'], why: 'WebAssembly (SIMD, threads where the page allows)' });
  for (const name of software) {
    const reason = `${name}: software ${name === 'webgl' ? 'renderer' : 'adapter'} ${quote(probe[name]!.name)}`;
    skipped.push(hasWasm ? `${reason}, slower than wasm` : reason);
  }
  // Without wasm, a software rasteriser against plain JS is a close call (steady state favours
  // SwiftShader's WebGL ~3x; its shader compiles made the first shape slower than cpu's here): measured.
  if (software.length > 0 && !hasWasm) {
    steps.push({ backends: registered.has('cpu') ? [...software, 'cpu'] : software, why: 'no wasm: software GPU rasterisers measured against plain JS' });
  }
  if (registered.has('cpu')) steps.push({ backends: ['cpu'], why: 'plain JavaScript' });
  if (!registered.has('tensorflow') && probe.node) skipped.push('tensorflow: @tensorflow/tfjs-node(-gpu) not imported');
  return { steps, skipped };
}
