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
 *   resolution=<cells>     one fixed marching-cubes resolution; default: level of detail (32^3
 *                          first, finer levels as each shape's size on screen asks)
 *   levels=<a,b,...>       the level-of-detail resolutions instead of 32,64,128,256
 *   backend=<name>         auto (default), webgl, webgpu, wasm, cpu
 *   still=1                keep the drawing buffer, for screenshots
 *
 * Every shape is created at once: the engine's ExtractionScheduler puts their points into shared
 * decoder calls, first levels before any refinement.
 *
 * window.demoReady resolves with a summary once every shape is on screen (its first level), or
 * rejects with the error that is also shown on the page. window.demoLayout() reports where shapes,
 * labels and panels are on screen (the browser test checks nothing is cut off or covered), and
 * window.demoSettled() resolves once no shape is refining.
 */
'use strict';

const params = new URLSearchParams(location.search);
const CATEGORY_LIST = params.get('categories'); // default: IMNET.ImNetDecoder.categories, read in main()
const SAMPLES = Number(params.get('samples') || 3);
let firstSeed = Number(params.get('seed') || 1);
const RESOLUTION = params.get('resolution') ? Number(params.get('resolution')) : null;
const LEVELS = params.get('levels') ? params.get('levels').split(',').map(Number) : null;
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
    hint = '\n\nThe bundle did not load: run `npm run build` to create dist/babylon-imnet.umd.js.';
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
  plane.metadata = { color, width, text };
  setLabelText(plane, text);
  return plane;
}

function setLabelText(plane, text) {
  plane.metadata.text = text;
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

// ---- Layout: the picture fits beside the info panel and above the controls ----------------------

/** The free part of the canvas, in CSS pixels: right of the info panel, above the controls. */
function freeRegion() {
  const info = $('info').getBoundingClientRect();
  const controls = $('controls').getBoundingClientRect();
  const margin = 12;
  return { left: info.right + margin, right: canvas.clientWidth - margin, top: margin, bottom: controls.top - margin };
}

function viewProjection() {
  return camera.getViewMatrix(true).multiply(camera.getProjectionMatrix(true));
}

/** Screen rectangle (CSS pixels) of world points under the camera's current view. */
function projectedRect(points, transform) {
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const viewport = new BABYLON.Viewport(0, 0, width, height);
  const rect = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
  for (const p of points) {
    const s = BABYLON.Vector3.Project(p, BABYLON.Matrix.IdentityReadOnly, transform, viewport);
    rect.left = Math.min(rect.left, s.x);
    rect.right = Math.max(rect.right, s.x);
    rect.top = Math.min(rect.top, s.y);
    rect.bottom = Math.max(rect.bottom, s.y);
  }
  return rect;
}

function boxCorners(min, max) {
  const corners = [];
  for (let i = 0; i < 8; i++) corners.push(new BABYLON.Vector3(i & 1 ? max.x : min.x, i & 2 ? max.y : min.y, i & 4 ? max.z : min.z));
  return corners;
}

/** A billboard label's corners as the camera sees them (facing it). */
function labelCorners(label) {
  const right = camera.getDirection(BABYLON.Axis.X);
  const up = camera.getDirection(BABYLON.Axis.Y);
  const w = label.metadata.width / 2;
  const h = 0.225 / 2;
  return [[-1, -1], [-1, 1], [1, -1], [1, 1]].map(([a, b]) => label.position.add(right.scale(a * w)).add(up.scale(b * h)));
}

/**
 * Chooses the camera distance and screen offset so that every box and label lands in the free
 * region, as large as fits. Perspective makes the projected size only roughly proportional to
 * 1 / radius, so it iterates until the picture fills 97% of the tighter dimension and is centred.
 */
function fitCamera(boxes, labels) {
  const points = boxes.flatMap((b) => boxCorners(b.min, b.max));
  const free = freeRegion();
  const freeWidth = free.right - free.left;
  const freeHeight = free.bottom - free.top;
  if (freeWidth < 100 || freeHeight < 100) return; // too small a window to lay out; leave the view as is
  camera.targetScreenOffset = new BABYLON.Vector2(0, 0);
  for (let i = 0; i < 40; i++) {
    const rect = projectedRect(points.concat(labels.flatMap(labelCorners)), viewProjection());
    const scale = Math.max((rect.right - rect.left) / freeWidth, (rect.bottom - rect.top) / freeHeight) / 0.97;
    const dx = (free.left + free.right) / 2 - (rect.left + rect.right) / 2;
    const dy = (free.top + free.bottom) / 2 - (rect.top + rect.bottom) / 2;
    if (Math.abs(scale - 1) < 0.005 && Math.abs(dx) < 1 && Math.abs(dy) < 1) break;
    camera.radius *= scale;
    // View-space units per CSS pixel at the target's distance.
    const unitsPerPixel = (2 * camera.radius * Math.tan(camera.fov / 2)) / canvas.clientHeight;
    camera.targetScreenOffset.x += dx * unitsPerPixel;
    camera.targetScreenOffset.y -= dy * unitsPerPixel;
  }
  camera.upperRadiusLimit = Math.max(30, camera.radius * 2);
  requestRender();
}

/**
 * Where everything is on screen now, from the meshes' own bounding boxes (labels as rendered,
 * facing the camera): `items` are shapes and labels, `panels` the DOM panels, in CSS pixels.
 */
window.demoLayout = () => {
  scene.render();
  const transform = scene.getTransformMatrix();
  const items = [];
  for (const mesh of scene.meshes) {
    const isShape = mesh.getClassName() === 'ImplicitShape';
    if (!isShape && mesh.name !== 'label') continue;
    if (!mesh.isEnabled() || mesh.getTotalVertices() === 0) continue;
    mesh.computeWorldMatrix(true);
    const rect = projectedRect(mesh.getBoundingInfo().boundingBox.vectorsWorld, transform);
    items.push({ kind: isShape ? 'shape' : 'label', name: isShape ? mesh.name : mesh.metadata.text, rect });
  }
  const panel = (id) => {
    const r = $(id).getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
  };
  return { width: canvas.clientWidth, height: canvas.clientHeight, items, panels: { info: panel('info'), controls: panel('controls') } };
};

/** Resolves once no shape has a finer (or coarser) level on the way, for `quietFrames` checks in a row. */
window.demoSettled = (quietChecks = 3) => new Promise((resolve) => {
  let quiet = 0;
  const check = () => {
    const busy = [...liveShapes].some((shape) => shape.pendingLodLevel >= 0);
    quiet = busy ? 0 : quiet + 1;
    if (quiet >= quietChecks) resolve([...liveShapes].map((shape) => ({ name: shape.name, resolution: shape.surfaceResolution })));
    else setTimeout(check, 250);
  };
  check();
});

// Render only when something changed: the camera moved, a surface or label arrived or left. Without
// a GPU the rasteriser (SwiftShader) otherwise takes a core from the decoder at every frame: on two
// cores the demo's 25 shapes took 1.7x as long with a continuous loop. The loop keeps running, so
// frames still pace the scheduler's frame budget; the LOD policy reads the camera in each render,
// and every change it reacts to requests one.
let needsRender = true;
const requestRender = () => { needsRender = true; };
camera.onViewMatrixChangedObservable.add(requestRender);
scene.onNewMeshAddedObservable.add(requestRender);
scene.onMeshRemovedObservable.add(requestRender);
engine.runRenderLoop(() => {
  if (!needsRender) return;
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
const liveShapes = new Set();
function startShape(statusKey, name, latent, material, position, scale) {
  const started = performance.now();
  const options = { backend: BACKEND, material, name };
  if (RESOLUTION) options.resolution = RESOLUTION;
  else if (LEVELS) options.lod = { levels: LEVELS };
  const shape = new IMNET.ImplicitShape(latent, options, scene);
  shape.position = position;
  shape.scaling.setAll(scale);
  liveShapes.add(shape);
  shape.onDisposeObservable.add(() => liveShapes.delete(shape));
  // Stand the shape on the ground: its surface rarely reaches the bottom of its [-0.5, 0.5] box.
  // Again at every level of detail, whose surface differs a little.
  const stand = () => {
    if (shape.getTotalIndices() > 0) shape.position.y = -shape.getBoundingInfo().boundingBox.minimum.y * scale + 0.002;
    requestRender();
  };
  shape.onLODChangedObservable.add(stand);
  const done = shape.ready.then(
    () => {
      const ms = performance.now() - started;
      const triangles = shape.getTotalIndices() / 3;
      stand();
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
  $('resolution').textContent = RESOLUTION ? RESOLUTION + '³ cells' : 'LOD: 32³ first, finer by size';

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
  camera.target = new BABYLON.Vector3((cellPosition(0, 0).x - 1.4 + blendPosition.x + BLEND_SCALE / 2) / 2, 0.45, -0.3);

  addStatusRow('blend', 'interpolation', blendColor, 1);
  CATEGORIES.forEach((category, r) => {
    addStatusRow(category, category, colors[r], columns);
    createLabel(category, cellPosition(r, columns - 1).add(new BABYLON.Vector3(0, -0.36, -0.85)), 1.5, colors[r].toHexString());
  });
  createLabel('training', cellPosition(0, 0).add(new BABYLON.Vector3(-1.1, -0.3, 0)), 1.3, '#9aa3b5');
  const seedLabels = [];
  for (let c = 1; c < columns; c++) seedLabels.push(createLabel('', cellPosition(0, c).add(new BABYLON.Vector3(-1.1, -0.3, 0)), 1.3, '#9aa3b5'));
  const blendLabel = createLabel('', blendPosition.add(new BABYLON.Vector3(0, -BLEND_SCALE / 2 + 0.14, -BLEND_SCALE / 2 - 0.2)), 3.2, '#f3d9a4');

  // Everything the camera must show: each cell's unit box (shapes stand on the ground, so y from 0
  // to 1), the blend's box, and the labels.
  const layoutBoxes = [];
  for (let r = 0; r < CATEGORIES.length; r++) {
    for (let c = 0; c < columns; c++) {
      const p = cellPosition(r, c);
      layoutBoxes.push({ min: new BABYLON.Vector3(p.x - 0.5, 0, p.z - 0.5), max: new BABYLON.Vector3(p.x + 0.5, 1, p.z + 0.5) });
    }
  }
  const half = BLEND_SCALE / 2;
  layoutBoxes.push({ min: new BABYLON.Vector3(blendPosition.x - half, 0, -half), max: new BABYLON.Vector3(blendPosition.x + half, BLEND_SCALE, half) });
  fitCamera(layoutBoxes, scene.meshes.filter((m) => m.name === 'label'));
  window.addEventListener('resize', () => fitCamera(layoutBoxes, scene.meshes.filter((m) => m.name === 'label')));

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
        results.push(done);
      }
    }
    return Promise.all(results);
  }

  // On backends that run on this thread (wasm, cpu) a decoder call blocks frames for its whole
  // duration: smaller calls keep the page responsive at nearly the same throughput.
  const backend = await IMNET.activateBackend(BACKEND);
  if (backend === 'wasm' || backend === 'cpu') IMNET.ExtractionScheduler.ForEngine(engine).batchSize = 16384;
  $('backend').textContent = backend;

  // All at once, so the scheduler can share decoder calls between shapes.
  const training = decoders.map((decoder, r) => startShape(CATEGORIES[r], CATEGORIES[r] + ' shape 0', decoder.latents[0], materials[r], cellPosition(r, 0), 1).done);
  const [blendTiming, trainingTimings, sampleTimings] = await Promise.all([showBlend(), Promise.all(training), showSamples()]);
  const timings = [blendTiming, ...trainingTimings, ...sampleTimings];
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
    autoReason: IMNET.autoBackendChoice() ? IMNET.autoBackendChoice().reason : null,
    resolution: RESOLUTION ?? 'lod',
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
