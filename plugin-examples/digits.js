/*
 * IM-GAN digits in Babylon: the 2D implicit decoder of the paper's MNIST experiment (weights/digits,
 * trained by `imnet digits train im-ae` + `im-gan`), loaded like any category. Two digits the latent
 * GAN invents sit left and right; the large one in the middle is their blend along the slider. Each
 * is an ImplicitShape: the decoder's field over the square, marched into an outline and extruded.
 * Plain script over the globals BABYLON, tf and IMNET.
 *
 * Query parameters (all optional):
 *   weights=<model.json URL>   default ../weights/digits/model.json
 *   seed=<n>                   GAN seed of digit A (B is seed + 1), default 1
 *   resolution=<cells>         marching-squares cells per side, default 96
 *   backend=<name>             auto (default), webgl, webgpu, wasm, cpu
 *   still=1                    render only when something changed (software GL screenshots)
 *
 * window.demoReady / window.demoSummary / window.demoError: set once the three digits are on screen
 * (or the page failed); window.digitsDemo exposes setT(t) and newDigit() for tests.
 */
'use strict';

const params = new URLSearchParams(location.search);
const WEIGHTS = params.get('weights') || new URL('../weights/digits/model.json', location.href).href;
let seed = Number(params.get('seed') || 1);
const RESOLUTION = Number(params.get('resolution') || 96);
const BACKEND = params.get('backend') || 'auto';
const STILL = params.get('still') === '1';
const DEPTH = 0.12;

const $ = (id) => document.getElementById(id);

function showError(error) {
  const message = error && error.message ? error.message : String(error);
  window.demoError = message;
  const box = $('error');
  box.textContent = 'Something went wrong\n\n' + message +
    (/HTTP 404/.test(message) ? '\n\nServe the repository root (npm start) so that ../weights/digits/ resolves, or pass ?weights=<model.json URL>.' : '');
  box.style.display = 'block';
}
window.addEventListener('error', (event) => showError(event.error || event.message));
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason && event.reason.name === 'AbortError') return; // a superseded blend
  showError(event.reason);
});

const canvas = $('scene');
const engine = new BABYLON.Engine(canvas, true, { preserveDrawingBuffer: STILL, stencil: true });
const scene = new BABYLON.Scene(engine);
scene.clearColor = new BABYLON.Color4(0.08, 0.086, 0.106, 1);
// Looking along +z at the digits' xy plane, slightly from the side so the extrusion shows.
const camera = new BABYLON.ArcRotateCamera('camera', -Math.PI / 2 - 0.35, Math.PI / 2 - 0.25, 3.8, new BABYLON.Vector3(0, 0.1, 0), scene);
camera.fov = 0.6;
camera.lowerRadiusLimit = 1.5;
camera.upperRadiusLimit = 12;
camera.wheelDeltaPercentage = 0.01;
camera.attachControl(canvas, true);
const hemi = new BABYLON.HemisphericLight('sky', new BABYLON.Vector3(0.3, 1, -0.6), scene);
hemi.intensity = 0.6;
const sun = new BABYLON.DirectionalLight('sun', new BABYLON.Vector3(0.5, -0.6, 1), scene);
sun.intensity = 0.8;

function material(name, r, g, b) {
  const m = new BABYLON.StandardMaterial(name, scene);
  m.diffuseColor = new BABYLON.Color3(r, g, b);
  m.specularColor = new BABYLON.Color3(0.3, 0.3, 0.3);
  m.specularPower = 40;
  return m;
}
const endMaterial = material('ends', 0.55, 0.62, 0.78);
const blendMaterial = material('blend', 0.95, 0.72, 0.35);

let needsRender = true;
const requestRender = () => { needsRender = true; };
camera.onViewMatrixChangedObservable.add(requestRender);
engine.runRenderLoop(() => {
  if (STILL && !needsRender) return;
  needsRender = false;
  scene.render();
});
window.addEventListener('resize', () => { engine.resize(); requestRender(); });

let decoder;
let codeA, codeB;
let t = Number($('t').value);
const shapes = {};

/** An ImplicitShape of `latent` at x = `x`, scaled `scale`; resolves with it once its surface is on screen. */
function digitShape(name, latent, x, scale, mat) {
  const started = performance.now();
  const shape = new IMNET.ImplicitShape(latent, { resolution: RESOLUTION, depth: DEPTH, backend: BACKEND, material: mat, name }, scene);
  shape.position.x = x;
  shape.scaling.setAll(scale);
  shape.onLODChangedObservable.add(() => {
    $('build').textContent = name + ': ' + (performance.now() - started).toFixed(0) + ' ms, ' + (shape.getTotalIndices() / 3) + ' triangles';
    requestRender();
  });
  return shape.ready.then(() => {
    $('backend').textContent = shape.backendUsed;
    return shape;
  });
}

/** Rebuilds the blend for the current t (the shape keeps its mesh until the new one is ready). */
function updateBlend() {
  $('t-value').textContent = t.toFixed(2);
  if (!shapes.blend) return Promise.resolve();
  shapes.blend.latent = decoder.interpolate(codeA, codeB, t);
  return new Promise((resolve) => shapes.blend.onLODChangedObservable.addOnce(() => resolve()));
}

async function newDigit() {
  seed += 1;
  codeA = codeB;
  codeB = decoder.sample(seed + 1);
  shapes.a.latent = codeA;
  shapes.b.latent = codeB;
  await Promise.all([
    new Promise((resolve) => shapes.b.onLODChangedObservable.addOnce(() => resolve())),
    updateBlend(),
  ]);
}

async function main() {
  decoder = await IMNET.ImNetDecoder.load(WEIGHTS);
  if (decoder.pointSize !== 2 || !decoder.hasGenerator) throw new Error(WEIGHTS + ': expected a 2D decoder with a latent GAN (weights/digits), got pointSize ' + decoder.pointSize);
  $('decoder-info').textContent = decoder.category + ', ' + decoder.architecture.hiddenSizes.join('-') + ', code ' + decoder.latentSize;
  $('resolution').textContent = RESOLUTION + ' x ' + RESOLUTION + ' cells, depth ' + DEPTH;
  codeA = decoder.sample(seed);
  codeB = decoder.sample(seed + 1);
  const started = performance.now();
  const [a, blend, b] = await Promise.all([
    digitShape('digit A', codeA, -1.45, 0.8, endMaterial),
    digitShape('blend', decoder.interpolate(codeA, codeB, t), 0, 1.6, blendMaterial),
    digitShape('digit B', codeB, 1.45, 0.8, endMaterial),
  ]);
  Object.assign(shapes, { a, blend, b });
  requestRender();
  $('t').addEventListener('input', () => { t = Number($('t').value); updateBlend(); });
  $('new-digit').addEventListener('click', () => { newDigit(); });
  window.digitsDemo = {
    setT: (value) => { t = value; $('t').value = String(value); return updateBlend(); },
    newDigit,
    triangles: () => ({ a: a.getTotalIndices() / 3, blend: blend.getTotalIndices() / 3, b: b.getTotalIndices() / 3 }),
    latents: () => ({ a: Array.from(shapes.a.latent.values), blend: Array.from(shapes.blend.latent.values), b: Array.from(shapes.b.latent.values) }),
  };
  window.demoSummary = { backend: a.backendUsed, resolution: RESOLUTION, ms: Math.round(performance.now() - started), triangles: window.digitsDemo.triangles() };
  return window.demoSummary;
}

window.demoReady = main().catch((error) => { showError(error); throw error; });
