/*
 * babylon-imnet quick-start demo: the shipped categories, one row each (a training shape, then
 * shapes the latent GAN invents), and a large shape interpolating between two latent codes.
 * Plain script over the globals BABYLON, tf and IMNET.
 *
 * Query parameters (all optional):
 *   categories=<a,b,...>   rows to show, default every IMNET.ImNetDecoder.categories
 *   samples=<n>            GAN samples per row, default 3
 *   seed=<n>               seed of the first GAN sample, default 1 ("new samples" moves it on)
 *   weights=<base URL>     folder holding <category>/model.json (default: ../weights/ beside dist/)
 *   resolution=<cells>     marching-cubes cells per axis, default 48
 *   backend=<name>         auto (default), webgl, webgpu, wasm, cpu
 *   still=1                render only when something changed (for screenshots in software GL)
 *
 * window.demoReady resolves with a summary once every shape is on screen, or rejects with the error
 * that is also shown on the page.
 */
'use strict';

const params = new URLSearchParams(location.search);
const CATEGORY_LIST = params.get('categories'); // default: IMNET.ImNetDecoder.categories, read in main()
const SAMPLES = Number(params.get('samples') || 3);
let firstSeed = Number(params.get('seed') || 1);
const RESOLUTION = Number(params.get('resolution') || 48);
const BACKEND = params.get('backend') || 'auto';
const STILL = params.get('still') === '1';

const GRID_SPACING = 1.3;
const GRID_ROW_SPACING = 1.5; // deeper than wide, so a row's labels stay clear of the row in front
const BLEND_SCALE = 2.4;

const $ = (id) => document.getElementById(id);

// ---- Errors: visible on the page, never only in the console. ----------------------------------

function showError(error) {
  const box = $('error');
  const message = error && error.message ? error.message : String(error);
  let hint = '';
  if (/HTTP 404/.test(message) && /model\.json/.test(message)) {
    hint = '\n\nThe weights are missing. Serve the repository root (npm start) so that ' + (typeof IMNET === 'undefined' ? '/weights/' : IMNET.ImNetDecoder.weightsBaseUrl) +
      ' resolves, or pass ?weights=<folder holding <category>/model.json>.';
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

const camera = new BABYLON.ArcRotateCamera('camera', -Math.PI / 2 - 0.12, 0.8, 9, BABYLON.Vector3.Zero(), scene);
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
function addStatusRow(key, label, color, total) {
  const row = $('shapes').insertRow();
  row.innerHTML = '<td><span class="swatch"></span><span class="name"></span></td><td class="state state-queued">queued</td>' +
    '<td class="num ms"></td><td class="num tris"></td>';
  row.querySelector('.swatch').style.background = color.toHexString();
  row.querySelector('.name').textContent = label;
  rows.set(key, { row, total, ready: 0, ms: 0, triangles: 0 });
}
/** One row per category: its shapes count up as they finish. */
function setStatus(key, state, ms, triangles) {
  const entry = rows.get(key);
  if (!entry) return;
  const { row } = entry;
  if (state === 'ready') {
    entry.ready++;
    entry.ms += ms;
    entry.triangles += triangles;
  }
  const done = entry.ready === entry.total;
  const cell = row.querySelector('.state');
  cell.className = 'state state-' + (state === 'error' ? 'error' : done ? 'ready' : 'building');
  cell.textContent = state === 'error' ? 'error' : entry.total > 1 ? entry.ready + '/' + entry.total : done ? 'ready' : 'building';
  row.querySelector('.ms').textContent = entry.ready ? (entry.ms / entry.ready).toFixed(0) + ' ms' : '';
  row.querySelector('.tris').textContent = entry.ready ? (entry.triangles / entry.ready / 1000).toFixed(1) + 'k △' : '';
}

// ---- Shapes --------------------------------------------------------------------------------------

/**
 * Starts one ImplicitShape and reports its status under `statusKey`. Returns the mesh at once (so a
 * caller can cancel it with dispose()) and `done`, which resolves once its surface is on screen.
 */
function startShape(statusKey, name, latent, material, position, scale) {
  const started = performance.now();
  const shape = new IMNET.ImplicitShape(latent, { resolution: RESOLUTION, backend: BACKEND, material, name }, scene);
  shape.position = position;
  shape.scaling.setAll(scale);
  const done = shape.ready.then(
    () => {
      const ms = performance.now() - started;
      const triangles = shape.getTotalIndices() / 3;
      // Stand the shape on the ground: its surface rarely reaches the bottom of its [-0.5, 0.5] box.
      if (triangles > 0) shape.position.y = -shape.getBoundingInfo().boundingBox.minimum.y * scale + 0.002;
      shadows.addShadowCaster(shape);
      setStatus(statusKey, 'ready', ms, triangles);
      $('backend').textContent = shape.backendUsed;
      requestRender();
      return { shape, name, ms, triangles };
    },
    (error) => {
      // A cancelled shape is not a failure: a newer one replaces it.
      if (error.name !== 'AbortError') setStatus(statusKey, 'error');
      throw error;
    });
  return { shape, done };
}

/** A latent by its picker value: 'train:i' (a training shape) or 'gan:seed' (a GAN sample). */
function pickLatent(decoder, value) {
  const [kind, number] = value.split(':');
  return kind === 'gan' ? decoder.sample(Number(number)) : decoder.latents[Number(number)];
}
const pickLabel = (value) => (value.startsWith('gan:') ? 'GAN seed ' + value.slice(4) : 'shape ' + value.slice(6));

async function main() {
  const started = performance.now();
  if (params.get('weights')) IMNET.ImNetDecoder.weightsBaseUrl = params.get('weights');
  const CATEGORIES = (CATEGORY_LIST || IMNET.ImNetDecoder.categories.join(',')).split(',').filter(Boolean);
  if (CATEGORIES.length === 0) throw new Error('no categories to show: IMNET.ImNetDecoder.categories is empty and ?categories= names none');
  const decoders = await Promise.all(CATEGORIES.map((category) => IMNET.ImNetDecoder.load(category)));
  for (const d of decoders) {
    if (!d.hasGenerator) throw new Error('the ' + d.category + ' weights carry no latent GAN generator; this demo shows GAN samples');
  }
  $('decoder-info').textContent = decoders.length + ' categories · latent ' + decoders[0].latentSize;
  $('resolution').textContent = RESOLUTION + '³ cells';

  const colors = CATEGORIES.map((_, i) => BABYLON.Color3.FromHSV((i * 360) / CATEGORIES.length + 20, 0.42, 0.92));
  const materials = CATEGORIES.map((category, i) => surfaceMaterial(category, colors[i]));
  const blendColor = new BABYLON.Color3(0.95, 0.78, 0.42);
  const blendMaterial = surfaceMaterial('blend', blendColor);

  // One column per category (wide screens): at the back a training shape, in front of it the GAN
  // samples; the blend large on the right. cellPosition(category, slot), slot 0 the training shape.
  const columns = 1 + SAMPLES;
  const cellPosition = (category, slot) => new BABYLON.Vector3(
    (category - (CATEGORIES.length - 1) / 2) * GRID_SPACING - 1.2,
    0.5,
    ((columns - 1) / 2 - slot) * GRID_ROW_SPACING);
  const blendPosition = new BABYLON.Vector3(cellPosition(CATEGORIES.length - 1, 0).x + GRID_SPACING / 2 + 0.5 + BLEND_SCALE / 2, BLEND_SCALE / 2, 0);
  const left = cellPosition(0, 0).x - 1.4;
  const right = blendPosition.x + BLEND_SCALE / 2 + 0.2;
  camera.target = new BABYLON.Vector3((left + right) / 2, 0.45, -0.3);
  // Fit the width into the horizontal field of view, with room on the left for the info panel.
  const halfWidth = Math.tan(camera.fov / 2) * engine.getAspectRatio(camera);
  camera.radius = Math.max(6, (0.64 * (right - left)) / halfWidth);
  // Shift the picture right, clear of the info panel, while orbiting stays centred on the shapes.
  camera.targetScreenOffset = new BABYLON.Vector2(0.26 * camera.radius * halfWidth, 0);

  addStatusRow('blend', 'interpolation', blendColor, 1);
  CATEGORIES.forEach((category, r) => {
    addStatusRow(category, category, colors[r], columns);
    createLabel(category, cellPosition(r, columns - 1).add(new BABYLON.Vector3(0, -0.36, -0.85)), 1.5, colors[r].toHexString());
  });
  createLabel('training', cellPosition(0, 0).add(new BABYLON.Vector3(-1.1, -0.3, 0)), 1.3, '#9aa3b5');
  const seedLabels = [];
  for (let c = 1; c < columns; c++) seedLabels.push(createLabel('', cellPosition(0, c).add(new BABYLON.Vector3(-1.1, -0.3, 0)), 1.3, '#9aa3b5'));
  const blendLabel = createLabel('', blendPosition.add(new BABYLON.Vector3(0, -BLEND_SCALE / 2 + 0.14, -BLEND_SCALE / 2 - 0.2)), 3.2, '#f3d9a4');

  // Interpolation: a category and two endpoints, each a training shape or a GAN sample.
  const categorySelect = $('category');
  const from = $('from');
  const to = $('to');
  CATEGORIES.forEach((category, i) => categorySelect.add(new Option(category, i)));
  categorySelect.value = String(Math.max(0, CATEGORIES.indexOf('chair')));
  function fillEndpoints() {
    const decoder = decoders[Number(categorySelect.value)];
    for (const select of [from, to]) {
      select.innerHTML = '';
      decoder.latents.slice(0, 12).forEach((_, i) => select.add(new Option('shape ' + i, 'train:' + i)));
      for (let s = 1; s <= 6; s++) select.add(new Option('GAN seed ' + s, 'gan:' + s));
    }
    from.value = 'train:0';
    to.value = 'train:' + Math.min(5, decoder.latents.length - 1);
  }
  fillEndpoints();

  // One blend on screen at a time: a new request cancels the one still building, and the old mesh
  // stays visible until its replacement is ready.
  let blendShape = null;
  let pendingBlend = null;
  async function showBlend() {
    const t = Number($('t').value);
    $('t-value').textContent = t.toFixed(2);
    const decoder = decoders[Number(categorySelect.value)];
    if (pendingBlend) pendingBlend.dispose();
    rows.get('blend').ready = 0;
    const latent = decoder.interpolate(pickLatent(decoder, from.value), pickLatent(decoder, to.value), t);
    const label = decoder.category + ': ' + pickLabel(from.value) + ' → ' + pickLabel(to.value) + '  t = ' + t.toFixed(2);
    const { shape, done } = startShape('blend', 'blend', latent, blendMaterial, blendPosition.clone(), BLEND_SCALE);
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

  // The GAN columns: seeds firstSeed.. per row; "new samples" replaces them with the next seeds.
  const sampleShapes = [];
  async function showSamples() {
    sampleShapes.splice(0).forEach((shape) => shape.dispose());
    seedLabels.forEach((label, i) => setLabelText(label, 'GAN ' + (firstSeed + i)));
    const results = [];
    for (let r = 0; r < decoders.length; r++) {
      for (let c = 1; c < columns; c++) {
        const seed = firstSeed + c - 1;
        const { shape, done } = startShape(CATEGORIES[r], CATEGORIES[r] + ' GAN ' + seed, decoders[r].sample(seed), materials[r], cellPosition(r, c), 1);
        sampleShapes.push(shape);
        results.push(await done);
      }
    }
    return results;
  }

  const timings = [];
  timings.push(await showBlend());
  for (let r = 0; r < decoders.length; r++) {
    timings.push(await startShape(CATEGORIES[r], CATEGORIES[r] + ' shape 0', decoders[r].latents[0], materials[r], cellPosition(r, 0), 1).done);
  }
  timings.push(...await showSamples());
  const totalMs = performance.now() - started;
  $('total').textContent = (totalMs / 1000).toFixed(1) + ' s for ' + timings.length + ' shapes';

  // Controls: the slider and pickers re-create the blend; "animate" steps t back and forth.
  const onChange = () => { showBlend().catch(showError); };
  $('t').addEventListener('input', onChange);
  from.addEventListener('change', onChange);
  to.addEventListener('change', onChange);
  categorySelect.addEventListener('change', () => { fillEndpoints(); onChange(); });
  let resampling = false;
  $('resample').addEventListener('click', async () => {
    if (resampling) return;
    resampling = true;
    firstSeed += SAMPLES;
    CATEGORIES.forEach((category) => { rows.get(category).ready = 1; });
    try {
      await showSamples();
    } catch (error) {
      showError(error);
    } finally {
      resampling = false;
    }
  });
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
    categories: CATEGORIES,
    shapes: timings.filter(Boolean).map((r) => ({ name: r.name, ms: Math.round(r.ms), triangles: r.triangles })),
    totalMs: Math.round(totalMs),
  };
}

window.demoReady = main();
window.demoReady.then(
  (summary) => { window.demoSummary = summary; requestRender(); },
  (error) => { window.demoError = String(error && error.message || error); showError(error); },
);
