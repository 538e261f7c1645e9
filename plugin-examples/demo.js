/*
 * babylon-imnet quick-start demo: every training shape of a decoder in a grid, plus one shape that
 * blends two latent codes. Plain script over the globals BABYLON, tf and IMNET.
 *
 * Query parameters (all optional):
 *   model=<manifest URL>   default ../weights/analytic/model.json
 *   resolution=<cells>     marching-cubes cells per axis, default 48
 *   backend=<name>         auto (default), webgl, webgpu, wasm, cpu
 *   still=1                render only when something changed (for screenshots in software GL)
 *
 * window.demoReady resolves with a summary once every shape is on screen, or rejects with the error
 * that is also shown on the page.
 */
'use strict';

const params = new URLSearchParams(location.search);
const MODEL_URL = params.get('model') || '../weights/analytic/model.json';
const RESOLUTION = Number(params.get('resolution') || 48);
const BACKEND = params.get('backend') || 'auto';
const STILL = params.get('still') === '1';

const GRID_COLUMNS = 4;
const GRID_SPACING = 1.3;
const GRID_ROW_SPACING = 1.6; // deeper than wide, so a row's labels stay clear of the row in front
const BLEND_SCALE = 1.8;

const $ = (id) => document.getElementById(id);

// ---- Errors: visible on the page, never only in the console. ----------------------------------

function showError(error) {
  const box = $('error');
  const message = error && error.message ? error.message : String(error);
  let hint = '';
  if (/HTTP 404/.test(message) && /model\.json/.test(message)) {
    hint = '\n\nThe weights are missing. Serve the repository root (npm start) so that ' + MODEL_URL +
      ' resolves, or pass ?model=<url of a model.json>.';
  } else if (typeof IMNET === 'undefined') {
    hint = '\n\nThe bundle did not load: run `npm run build` to create dist/babylon-imnet.umd.cjs.';
  }
  box.innerHTML = '<strong>Something went wrong</strong>';
  box.appendChild(document.createTextNode(message + hint));
  box.style.display = 'block';
}
window.addEventListener('error', (event) => showError(event.error || event.message));
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason && event.reason.name === 'AbortError') return; // a superseded blend, not an error
  showError(event.reason);
});

// ---- Scene ---------------------------------------------------------------------------------------

const canvas = $('scene');
const engine = new BABYLON.Engine(canvas, true, { preserveDrawingBuffer: STILL, stencil: true });
const scene = new BABYLON.Scene(engine);
scene.clearColor = new BABYLON.Color4(0.08, 0.086, 0.106, 1);
scene.ambientColor = new BABYLON.Color3(0.25, 0.25, 0.3);

const gridRows = (count) => Math.ceil(count / GRID_COLUMNS);
const camera = new BABYLON.ArcRotateCamera('camera', -Math.PI / 2 - 0.2, 1.0, 9, BABYLON.Vector3.Zero(), scene);
camera.fov = 0.5; // narrow, so the front row does not dwarf the back one
camera.lowerRadiusLimit = 2;
camera.upperRadiusLimit = 30;
camera.wheelDeltaPercentage = 0.01;
camera.attachControl(canvas, true);

const hemi = new BABYLON.HemisphericLight('sky', new BABYLON.Vector3(0.2, 1, -0.3), scene);
hemi.intensity = 0.55;
hemi.groundColor = new BABYLON.Color3(0.18, 0.17, 0.2);
const sun = new BABYLON.DirectionalLight('sun', new BABYLON.Vector3(0.7, -1, 0.45), scene);
sun.position = new BABYLON.Vector3(-6, 8, -4);
sun.intensity = 0.85;

// Fit the shadow depth range to the casters; the default range leaves the ground outside it, unlit.
sun.autoCalcShadowZBounds = true;
const shadows = new BABYLON.ShadowGenerator(1024, sun);
shadows.darkness = 0.35;
shadows.usePercentageCloserFiltering = true;
shadows.bias = 0.002;

const ground = BABYLON.MeshBuilder.CreateGround('ground', { width: 60, height: 60 }, scene);
// Fog in the clear colour fades the ground into the background instead of showing its edge.
scene.fogMode = BABYLON.Scene.FOGMODE_EXP2;
scene.fogColor = new BABYLON.Color3(scene.clearColor.r, scene.clearColor.g, scene.clearColor.b);
scene.fogDensity = 0.012;
const groundMaterial = new BABYLON.StandardMaterial('ground', scene);
groundMaterial.diffuseColor = new BABYLON.Color3(0.2, 0.21, 0.25);
groundMaterial.specularColor = BABYLON.Color3.Black();
ground.material = groundMaterial;
ground.receiveShadows = true;

/** A text label that always faces the camera; `width` in world units, text scaled to fit. */
function createLabel(text, position, width = 1.2, color = '#d6dae3') {
  const texture = new BABYLON.DynamicTexture('label', { width: Math.round(427 * width), height: 96 }, scene, true);
  texture.hasAlpha = true;
  const material = new BABYLON.StandardMaterial('label', scene);
  material.diffuseTexture = texture;
  material.emissiveColor = BABYLON.Color3.White();
  material.disableLighting = true;
  material.useAlphaFromDiffuseTexture = true;
  material.backFaceCulling = false;
  const plane = BABYLON.MeshBuilder.CreatePlane('label', { width, height: 0.225 }, scene);
  plane.material = material;
  plane.position = position;
  plane.billboardMode = BABYLON.Mesh.BILLBOARDMODE_ALL;
  plane.isPickable = false;
  plane.renderingGroupId = 1; // drawn after the shapes, so a shape in front never hides a name
  plane.metadata = { color };
  setLabelText(plane, text);
  return plane;
}

function setLabelText(plane, text) {
  const texture = plane.material.diffuseTexture;
  texture.clear();
  texture.drawText(text, null, 66, '600 50px system-ui, sans-serif', plane.metadata.color, 'transparent', true);
  requestRender();
}

function surfaceMaterial(name, color) {
  const material = new BABYLON.StandardMaterial(name, scene);
  material.diffuseColor = color;
  material.specularColor = new BABYLON.Color3(0.25, 0.25, 0.25);
  material.specularPower = 48;
  material.ambientColor = color.scale(0.6);
  return material;
}

// Render continuously in a real browser; in still mode (software GL screenshots) render only on
// change, so the rasteriser does not compete with the decoder for the CPU.
let needsRender = true;
const requestRender = () => { needsRender = true; };
camera.onViewMatrixChangedObservable.add(requestRender);
engine.runRenderLoop(() => {
  if (STILL && !needsRender) return;
  needsRender = false;
  scene.render();
});
window.addEventListener('resize', () => { engine.resize(); requestRender(); });

// ---- Status panel --------------------------------------------------------------------------------

const rows = new Map();
function addStatusRow(key, label, color) {
  const row = $('shapes').insertRow();
  row.innerHTML = '<td><span class="swatch"></span><span class="name"></span></td><td class="state state-queued">queued</td>' +
    '<td class="num ms"></td><td class="num tris"></td>';
  row.querySelector('.swatch').style.background = color.toHexString();
  row.querySelector('.name').textContent = label;
  rows.set(key, row);
}
function setStatus(key, state, ms, triangles) {
  const row = rows.get(key);
  if (!row) return;
  const cell = row.querySelector('.state');
  cell.className = 'state state-' + state;
  cell.textContent = state;
  row.querySelector('.ms').textContent = ms === undefined ? '' : ms.toFixed(0) + ' ms';
  row.querySelector('.tris').textContent = triangles === undefined ? '' : (triangles / 1000).toFixed(1) + 'k △';
}

// ---- Shapes --------------------------------------------------------------------------------------

/**
 * Starts one ImplicitShape and reports its status. Returns the mesh at once (so a caller can cancel
 * it with dispose()) and `done`, which resolves once its surface is on screen.
 */
function startShape(key, latent, material, position, scale) {
  setStatus(key, 'building');
  const started = performance.now();
  const shape = new IMNET.ImplicitShape(latent, { resolution: RESOLUTION, backend: BACKEND, material, name: key }, scene);
  shape.position = position;
  shape.scaling.setAll(scale);
  const done = shape.ready.then(
    () => {
      const ms = performance.now() - started;
      const triangles = shape.getTotalIndices() / 3;
      // Stand the shape on the ground: its surface rarely reaches the bottom of its [-0.5, 0.5] box.
      if (triangles > 0) shape.position.y = -shape.getBoundingInfo().boundingBox.minimum.y * scale + 0.002;
      shadows.addShadowCaster(shape);
      setStatus(key, 'ready', ms, triangles);
      $('backend').textContent = shape.backendUsed;
      requestRender();
      return { shape, name: rows.get(key).querySelector('.name').textContent, ms, triangles };
    },
    (error) => {
      // A cancelled blend is not a failure: a newer one is building.
      if (error.name !== 'AbortError') setStatus(key, 'error');
      throw error;
    });
  return { shape, done };
}

async function main() {
  const started = performance.now();
  const decoder = await IMNET.ImNetDecoder.load(MODEL_URL);
  const provenance = decoder.provenance || {};
  const names = decoder.latents.map((_, i) =>
    Array.isArray(provenance.shapes) && typeof provenance.shapes[i] === 'string' ? provenance.shapes[i] : 'shape ' + i);
  $('decoder-info').textContent = decoder.category + ' · ' + decoder.latents.length + ' shapes · latent ' + decoder.latentSize;
  $('resolution').textContent = RESOLUTION + '³ cells';
  if (decoder.latents.length === 0) throw new Error(MODEL_URL + ' holds no training latents to show');

  const colors = names.map((_, i) => BABYLON.Color3.FromHSV((i * 360) / names.length, 0.42, 0.92));
  const materials = names.map((name, i) => surfaceMaterial(name, colors[i]));
  const blendColor = new BABYLON.Color3(0.95, 0.78, 0.42);
  const blendMaterial = surfaceMaterial('blend', blendColor);

  // Training shapes in a grid on the left (shifted so the blend fits beside it), the blend large on the right.
  const rowsCount = gridRows(names.length);
  const gridPosition = (i) => new BABYLON.Vector3(
    ((i % GRID_COLUMNS) - (GRID_COLUMNS - 1) / 2) * GRID_SPACING - 1.4,
    0.5,
    ((rowsCount - 1) / 2 - Math.floor(i / GRID_COLUMNS)) * GRID_ROW_SPACING);
  const blendPosition = new BABYLON.Vector3(GRID_SPACING * 2.2, BLEND_SCALE / 2, 0);
  const left = gridPosition(0).x - 0.5;
  const right = blendPosition.x + BLEND_SCALE / 2;
  camera.target = new BABYLON.Vector3((left + right) / 2, 0.45, 0);
  camera.radius = 1.75 * (right - left);
  // Shift the picture right, clear of the info panel, while orbiting stays centred on the shapes.
  camera.targetScreenOffset = new BABYLON.Vector2(0.1 * camera.radius, 0);

  addStatusRow('blend', 'blend', blendColor);
  names.forEach((name, i) => addStatusRow('train' + i, name, colors[i]));
  names.forEach((name, i) => createLabel(name, gridPosition(i).add(new BABYLON.Vector3(0, -0.36, -0.55))));
  const blendLabel = createLabel('', blendPosition.add(new BABYLON.Vector3(0, -BLEND_SCALE / 2 + 0.14, -BLEND_SCALE / 2 - 0.2)), 2.6, '#f3d9a4');

  // Interpolation endpoints: sphere -> chair when the decoder has them, else first -> last.
  const from = $('from');
  const to = $('to');
  names.forEach((name, i) => { from.add(new Option(name, i)); to.add(new Option(name, i)); });
  from.value = String(Math.max(0, names.indexOf('sphere')));
  to.value = String(names.indexOf('chair') >= 0 ? names.indexOf('chair') : names.length - 1);

  // One blend on screen at a time: a new request cancels the one still building, and the old mesh
  // stays visible until its replacement is ready.
  let blendShape = null;
  let pendingBlend = null;
  async function showBlend() {
    const t = Number($('t').value);
    $('t-value').textContent = t.toFixed(2);
    const a = decoder.latents[Number(from.value)];
    const b = decoder.latents[Number(to.value)];
    if (pendingBlend) pendingBlend.dispose();
    const latent = decoder.interpolate(a, b, t);
    const label = names[from.value] + ' → ' + names[to.value] + '  t = ' + t.toFixed(2);
    const { shape, done } = startShape('blend', latent, blendMaterial, blendPosition.clone(), BLEND_SCALE);
    pendingBlend = shape;
    let result;
    try {
      result = await done;
    } catch (error) {
      if (error.name === 'AbortError') return null;
      throw error;
    }
    if (pendingBlend === result.shape) pendingBlend = null;
    if (blendShape) blendShape.dispose();
    blendShape = result.shape;
    setLabelText(blendLabel, label);
    return result;
  }

  const timings = [];
  timings.push(await showBlend());
  for (let i = 0; i < names.length; i++) {
    const result = await startShape('train' + i, decoder.latents[i], materials[i], gridPosition(i), 1).done;
    timings.push(result);
  }
  const totalMs = performance.now() - started;
  $('total').textContent = (totalMs / 1000).toFixed(1) + ' s for ' + timings.length + ' shapes';

  // Controls: the slider re-creates the blend; "animate" steps t back and forth.
  const onChange = () => { showBlend().catch(showError); };
  $('t').addEventListener('input', onChange);
  from.addEventListener('change', onChange);
  to.addEventListener('change', onChange);
  let animating = false;
  let looping = false;
  let direction = 1;
  $('animate').addEventListener('click', async () => {
    animating = !animating;
    $('animate').textContent = animating ? '❚❚ pause' : '▶ animate';
    if (looping) return; // the running loop sees the new state
    looping = true;
    while (animating) {
      let t = Number($('t').value) + 0.05 * direction;
      if (t > 1 || t < 0) { direction = -direction; t = Math.min(1, Math.max(0, t)); }
      $('t').value = String(t);
      try {
        await showBlend();
      } catch (error) {
        animating = false;
        $('animate').textContent = '▶ animate';
        showError(error);
      }
    }
    looping = false;
  });

  return {
    backend: blendShape ? blendShape.backendUsed : undefined,
    resolution: RESOLUTION,
    shapes: timings.filter(Boolean).map((r) => ({ name: r.name, ms: Math.round(r.ms), triangles: r.triangles })),
    totalMs: Math.round(totalMs),
  };
}

window.demoReady = main();
window.demoReady.then(
  (summary) => { window.demoSummary = summary; requestRender(); },
  (error) => { window.demoError = String(error && error.message || error); showError(error); },
);
