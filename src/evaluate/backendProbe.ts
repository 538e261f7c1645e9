/**
 * What the platform offers before any tfjs backend is initialised: the WebGL renderer and the WebGPU
 * adapter, and whether each is a software rasteriser. Read once, by `auto`.
 */

/** A GPU API as the page sees it. `software` is null when the name does not say (masked or empty). */
export interface GpuProbe {
  /** The renderer (WebGL) or adapter (WebGPU) description, as the browser reports it. */
  name: string;
  /** True for a CPU rasteriser, false for a GPU, null when the name does not say. */
  software: boolean | null;
}

/** What `auto` knows about this platform. */
export interface PlatformProbe {
  /** Running in Node (where tfjs-node is the fast path, and there is no canvas). */
  node: boolean;
  /** tfjs backends registered (imported packages or loaded scripts). */
  registered: readonly string[];
  /** A WebGL2 context could be created; null where there is no canvas (Node) or no WebGL. */
  webgl: GpuProbe | null;
  /** A WebGPU adapter was granted; null without `navigator.gpu` or without an adapter. */
  webgpu: GpuProbe | null;
}

/**
 * Renderer strings of CPU rasterisers: SwiftShader (Chromium's fallback, also inside ANGLE's
 * description), Mesa's llvmpipe and softpipe, Windows' WARP ("Microsoft Basic Render Driver"), and
 * any renderer that calls itself software.
 */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|\bwarp\b/i;

/** True when a WebGL renderer or WebGPU adapter description names a CPU rasteriser. */
export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE_RENDERER.test(name);
}

interface CanvasLike {
  getContext(type: 'webgl2', attributes?: Record<string, unknown>): WebGL2RenderingContext | null;
}

function createCanvas(): CanvasLike | null {
  const g = globalThis as { document?: { createElement(tag: 'canvas'): CanvasLike }; OffscreenCanvas?: new (w: number, h: number) => CanvasLike };
  if (g.OffscreenCanvas) return new g.OffscreenCanvas(1, 1);
  if (g.document) return g.document.createElement('canvas');
  return null;
}

/**
 * The WebGL2 renderer, unmasked where the browser allows (`WEBGL_debug_renderer_info`; Firefox and
 * Safari report a sanitised but still telling `RENDERER`). The probe context is released at once:
 * browsers cap live contexts at about 16 per page.
 */
export function probeWebgl(): GpuProbe | null {
  let gl: WebGL2RenderingContext | null = null;
  try {
    gl = createCanvas()?.getContext('webgl2') ?? null;
  } catch {
    gl = null;
  }
  if (!gl) return null;
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const unmasked = debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) ?? '') : '';
    const name = unmasked || String(gl.getParameter(gl.RENDERER) ?? '');
    // A masked name ("WebKit WebGL") says nothing either way.
    const known = name.length > 0 && !/^webkit webgl$/i.test(name.trim());
    return { name, software: known ? isSoftwareRenderer(name) : null };
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<AdapterInfoLike>;
}

/**
 * The adapter tfjs-backend-webgpu would get (it asks for high performance). A fallback adapter is
 * by definition a CPU implementation (Chromium's is SwiftShader).
 */
export async function probeWebgpu(): Promise<GpuProbe | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(options?: object): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return null;
  let adapter: AdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    return null;
  }
  if (!adapter) return null;
  let info: AdapterInfoLike = adapter.info ?? {};
  if (!adapter.info && adapter.requestAdapterInfo) info = await adapter.requestAdapterInfo().catch(() => ({}));
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  if (fallback === true) return { name: name || 'fallback adapter', software: true };
  return { name, software: name ? isSoftwareRenderer(name) : fallback === false ? false : null };
}
