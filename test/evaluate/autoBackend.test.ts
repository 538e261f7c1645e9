/**
 * `auto` never takes a backend slower than one that is available: the plan's order for the
 * platforms users meet, the renderer strings it must recognise, and the real choice in Node.
 */
import * as tf from '@tensorflow/tfjs';
import { planAutoBackend } from '../../src/evaluate/autoBackend.js';
import { activateBackend, autoBackendChoice, registeredBackends } from '../../src/evaluate/backend.js';
import { isSoftwareRenderer, type PlatformProbe } from '../../src/evaluate/backendProbe.js';
import { quietTf } from '../support/backends.js';

quietTf();

const BROWSER = ['webgpu', 'webgl', 'wasm', 'cpu'];
const SWIFTSHADER_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const NVIDIA_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3070 (0x00002484) Direct3D11 vs_5_0 ps_5_0, D3D11)';

function probe(overrides: Partial<PlatformProbe>): PlatformProbe {
  return { node: false, registered: BROWSER, webgl: null, webgpu: null, ...overrides };
}

const order = (p: PlatformProbe) => planAutoBackend(p).steps.map((s) => s.backends.join('+'));

describe('isSoftwareRenderer', () => {
  it.each([
    SWIFTSHADER_GL,
    'Google SwiftShader',
    'llvmpipe (LLVM 15.0.6, 256 bits)',
    'Mesa softpipe',
    'Microsoft Basic Render Driver',
    'google swiftshader',
    'Software Rasterizer',
  ])('calls %s software', (name) => expect(isSoftwareRenderer(name)).toBe(true));

  it.each([
    NVIDIA_GL,
    'Apple M2',
    'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
    'Adreno (TM) 640',
    'nvidia ampere',
  ])('calls %s hardware', (name) => expect(isSoftwareRenderer(name)).toBe(false));
});

describe('planAutoBackend', () => {
  it('in Node: tfjs-node first when imported, else wasm, then cpu', () => {
    expect(order(probe({ node: true, registered: ['tensorflow', 'wasm', 'cpu'] }))).toEqual(['tensorflow', 'wasm', 'cpu']);
    const plan = planAutoBackend({ node: true, registered: ['wasm', 'cpu'], webgl: null, webgpu: null });
    expect(plan.steps.map((s) => s.backends.join('+'))).toEqual(['wasm', 'cpu']);
    expect(plan.skipped.join('; ')).toMatch(/tfjs-node/);
  });

  it('under a software WebGL and a fallback WebGPU adapter: wasm, and the GPUs only as a last resort', () => {
    const p = probe({ webgl: { name: SWIFTSHADER_GL, software: true }, webgpu: { name: 'google swiftshader', software: true } });
    expect(order(p)).toEqual(['wasm', 'cpu']);
    expect(planAutoBackend(p).skipped.join('; ')).toMatch(/webgl: software renderer ".*SwiftShader.*", slower than wasm/);
    // Without wasm, the software GPUs are measured against plain JS.
    expect(order({ ...p, registered: ['webgpu', 'webgl', 'cpu'] })).toEqual(['webgpu+webgl+cpu', 'cpu']);
  });

  it('with a hardware GPU: WebGL before wasm; WebGPU and WebGL measured against each other when both are there', () => {
    expect(order(probe({ registered: ['webgl', 'wasm', 'cpu'], webgl: { name: NVIDIA_GL, software: false } }))).toEqual(['webgl', 'wasm', 'cpu']);
    expect(order(probe({ webgl: { name: NVIDIA_GL, software: false }, webgpu: { name: 'nvidia ampere', software: false } })))
      .toEqual(['webgpu+webgl', 'wasm', 'cpu']);
  });

  it('never prefers a software WebGPU adapter to wasm, even beside a hardware WebGL', () => {
    const p = probe({ webgl: { name: NVIDIA_GL, software: false }, webgpu: { name: 'fallback adapter', software: true } });
    expect(order(p)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('measures a GPU it cannot identify against wasm instead of trusting it', () => {
    const p = probe({ registered: ['webgl', 'wasm', 'cpu'], webgl: { name: 'WebKit WebGL', software: null } });
    expect(order(p)).toEqual(['webgl+wasm', 'wasm', 'cpu']);
    expect(planAutoBackend(p).steps[0].why).toMatch(/measured against wasm/);
  });

  it('skips GPUs whose package is not loaded, and says which are missing a context', () => {
    expect(order(probe({ registered: ['wasm', 'cpu'], webgl: { name: NVIDIA_GL, software: false } }))).toEqual(['wasm', 'cpu']);
    const noContext = planAutoBackend(probe({ registered: ['webgl', 'cpu'], webgl: null }));
    expect(noContext.steps.map((s) => s.backends.join('+'))).toEqual(['cpu']);
    expect(noContext.skipped).toEqual(['webgl: no WebGL2 context here']);
  });
});

describe('auto in Node (no tfjs-node installed here)', () => {
  it('chooses wasm, registered by importing the package, and says why', async () => {
    expect(registeredBackends()).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(await activateBackend('auto')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const choice = autoBackendChoice();
    expect(choice?.backend).toBe('wasm');
    expect(choice?.reason).toMatch(/tensorflow: @tensorflow\/tfjs-node\(-gpu\) not imported; wasm: WebAssembly/);
    // A forced backend switches; auto switches back to its choice without choosing again.
    expect(await activateBackend('cpu')).toBe('cpu');
    expect(await activateBackend('auto')).toBe('wasm');
    expect(autoBackendChoice()).toBe(choice);
  });
});
