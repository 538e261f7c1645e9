/*
 * babylon-imnet LOD streaming demo: a field of ImplicitShapes and a camera flying through it. Each
 * shape starts at its coarsest level; the scheduler (one per engine) extracts finer levels for the
 * shapes the camera nears, nearest first, within a per-frame main-thread budget, and drops back to
 * coarser ones behind it. Plain script over the globals BABYLON, tf and IMNET.
 *
 * Query parameters (all optional):
 *   model=<manifest URL>[,<URL>...]  decoders whose training shapes fill the field, in turn;
 *                                    default ../weights/analytic/model.json
 *   count=<shapes>          default 48
 *   levels=<r0>,<r1>,...    LOD resolutions, coarsest first; default 32,64,128
 *   pixelsPerCell=<px>      LOD policy (see lodPolicy.ts); default 3
 *   budget=<ms>             main-thread ms per frame for extraction; default 8
 *   backend=<name>          auto (default), webgl, webgpu, wasm, cpu
 *   speed=<factor>          flight speed; default 1
 *   t=<seconds>             start this far along the flight path (a loop takes 48 s); default 0
 *   paused=1                start paused (e.g. for screenshots)
 *
 * window.lodDemo: { ready (resolves once every shape shows its first level), stats(), pause(),
 * resume(), shapes, scheduler }.
 */
'use strict';

const params = new URLSearchParams(location.search);
const MODEL_URLS = (params.get('model') || '../weights/analytic/model.json').split(',').filter(Boolean);
const COUNT = Number(params.get('count') || 48);
const LEVELS = (params.get('levels') || '32,64,128').split(',').map(Number);
const PIXELS_PER_CELL = Number(params.get('pixelsPerCell') || 3);
const BUDGET_MS = Number(params.get('budget') || 8);
const BACKEND = params.get('backend') || 'auto';
const SPEED = Number(params.get('speed') || 1);

const COLUMNS = 6;
const SPACING = 2.4;
/** Seconds for one loop of the flight path at speed 1. */
const PERIOD_S = 48;
/** Frame intervals kept for the frame-time readout (about two seconds at 60 fps). */
const FRAME_WINDOW = 120;
/** One colour per level, coarse (cool) to fine (warm); levels past the palette reuse its last entry. */
const LEVEL_COLOURS = ['#5b8def', '#4fc1a6', '#e8c547', '#ef7d4f', '#d9534f', '#b05fd6'];

const $ = (id) => document.getElementById(id);

// ---- Errors: visible on the page, never only in the console. ----------------------------------

function showError(error) {
  const box = $('error');
  const message = error && error.message ? error.message : String(error);
  let hint = '';
  if (/HTTP 404/.test(message) && /model\.json/.test(message)) {
    hint = '\n\nThe weights are missing. Serve the repository root (npm start), or pass ?model=<url of a model.json>.';
  } else if (typeof IMNET === 'undefined') {
    hint = '\n\nThe bundle did not load: run `npm run build` to create dist/babylon-imnet.umd.cjs.';
  }
  box.innerHTML = '<strong>Something went wrong</strong>';
  box.appendChild(document.createTextNode(message + hint));
  box.style.display = 'block';
  window.lodDemoError = message;
}
window.addEventListener('error', (event) => showError(event.error || event.message));
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason && event.reason.name === 'AbortError') return; // a level superseded by another
  showError(event.reason);
});

// ---- Scene ---------------------------------------------------------------------------------------

const canvas = $('scene');
const engine = new BABYLON.Engine(canvas, true, { preserveDrawingBuffer: true, stencil: true });
const scene = new BABYLON.Scene(engine);
scene.clearColor = new BABYLON.Color4(0.08, 0.086, 0.106, 1);
scene.ambientColor = new BABYLON.Color3(0.25, 0.25, 0.3);
scene.fogMode = BABYLON.Scene.FOGMODE_EXP2;
scene.fogColor = new BABYLON.Color3(0.08, 0.086, 0.106);
scene.fogDensity = 0.035;

const hemi = new BABYLON.HemisphericLight('sky', new BABYLON.Vector3(0.2, 1, -0.3), scene);
hemi.intensity = 0.6;
hemi.groundColor = new BABYLON.Color3(0.18, 0.17, 0.2);
const sun = new BABYLON.DirectionalLight('sun', new BABYLON.Vector3(0.6, -1, 0.5), scene);
sun.intensity = 0.8;

const ground = BABYLON.MeshBuilder.CreateGround('ground', { width: 120, height: 120 }, scene);
const groundMaterial = new BABYLON.StandardMaterial('ground', scene);
groundMaterial.diffuseColor = new BABYLON.Color3(0.2, 0.21, 0.25);
groundMaterial.specularColor = BABYLON.Color3.Black();
ground.material = groundMaterial;
ground.isPickable = false;

// One camera: flown along the path while playing; orbit it by hand (around where it was looking)
// while paused. A drag on the canvas pauses the flight.
const camera = new BABYLON.ArcRotateCamera('camera', 0, 1.2, 10, BABYLON.Vector3.Zero(), scene);
camera.minZ = 0.05;
camera.lowerRadiusLimit = 0.5;
camera.upperRadiusLimit = 60;
camera.wheelDeltaPercentage = 0.01;
camera.attachControl(canvas, true);

// The scheduler is per engine; the first call decides its options, so ask before any shape does.
const scheduler = IMNET.ExtractionScheduler.ForEngine(engine, { frameBudgetMs: BUDGET_MS });

function surfaceMaterial(name, hex) {
  const color = BABYLON.Color3.FromHexString(hex);
  const material = new BABYLON.StandardMaterial(name, scene);
  material.diffuseColor = color;
  material.specularColor = new BABYLON.Color3(0.2, 0.2, 0.2);
  material.specularPower = 40;
  material.ambientColor = color.scale(0.6);
  return material;
}
const levelColour = (level) => LEVEL_COLOURS[Math.min(Math.max(level, 0), LEVEL_COLOURS.length - 1)];
const levelMaterials = LEVELS.map((r, i) => surfaceMaterial('level' + i, levelColour(i)));

// ---- The field -----------------------------------------------------------------------------------

const rows = Math.ceil(COUNT / COLUMNS);
const fieldHalfDepth = ((rows - 1) / 2) * SPACING;

/** Shape i's place: a grid with a little seeded jitter, so rows do not line up with the path. */
function fieldPosition(i, random) {
  return new BABYLON.Vector3(
    ((i % COLUMNS) - (COLUMNS - 1) / 2) * SPACING + (random() - 0.5) * 0.8,
    0.5, // the unit box stands on the ground
    (Math.floor(i / COLUMNS) - (rows - 1) / 2) * SPACING + (random() - 0.5) * 0.8);
}

// ---- The flight path -----------------------------------------------------------------------------

/**
 * A stadium-shaped loop: down one lane of the field, a half turn past the far row, back up the other
 * lane, a half turn past the near row, at constant speed. Low enough that the shapes beside the lane
 * come close, high enough to clear them; the camera looks ahead along the path, so near shapes want
 * fine levels and the receding rows coarse ones. t = 0 enters the first lane, looking down the field.
 */
const LANE_X = SPACING; // between the first and second column off the centre line (COLUMNS is even)
const LANE_LENGTH = 2 * fieldHalfDepth + SPACING;
const LOOP_LENGTH = 2 * LANE_LENGTH + 2 * Math.PI * LANE_X;
function pathPoint(seconds, out) {
  let u = (((seconds / PERIOD_S) % 1) + 1) % 1 * LOOP_LENGTH;
  const half = LANE_LENGTH / 2;
  const height = 1.5 + 0.25 * (1 + Math.sin((2 * Math.PI * 3 * seconds) / PERIOD_S));
  if (u < LANE_LENGTH) return out.set(LANE_X, height, -half + u);
  u -= LANE_LENGTH;
  if (u < Math.PI * LANE_X) return out.set(LANE_X * Math.cos(u / LANE_X), height, half + LANE_X * Math.sin(u / LANE_X));
  u -= Math.PI * LANE_X;
  if (u < LANE_LENGTH) return out.set(-LANE_X, height, half - u);
  u -= LANE_LENGTH;
  return out.set(-LANE_X * Math.cos(u / LANE_X), height, -half - LANE_X * Math.sin(u / LANE_X));
}
const _step = new BABYLON.Vector3();
/** Where the camera looks: 6 units ahead along the path's direction, down at the shapes. */
function lookAhead(seconds, eye, out) {
  pathPoint(seconds + 0.25, _step).subtractInPlace(eye);
  _step.y = 0;
  _step.normalize().scaleInPlace(6);
  out.set(eye.x + _step.x, 0.3, eye.z + _step.z);
  return out;
}
const _eye = new BABYLON.Vector3();
const _ahead = new BABYLON.Vector3();

let pathSeconds = Number(params.get('t') || 0);
let paused = params.get('paused') === '1';

function placeCamera() {
  pathPoint(pathSeconds, _eye);
  lookAhead(pathSeconds, _eye, _ahead);
  // setTarget keeps the vector it is given, setPosition copies: write into the camera's own target.
  camera.target.copyFrom(_ahead);
  camera.setPosition(_eye);
}

function setPaused(value) {
  paused = value;
  $('pause').textContent = paused ? '▶ fly' : '❚❚ pause';
}
$('pause').addEventListener('click', () => setPaused(!paused));
window.addEventListener('keydown', (event) => {
  // A focused button or select handles its own Space.
  if (event.code === 'Space' && !(event.target instanceof HTMLButtonElement || event.target instanceof HTMLSelectElement)) setPaused(!paused);
});
canvas.addEventListener('pointerdown', () => setPaused(true));
setPaused(paused);
placeCamera();

// ---- Frame timing --------------------------------------------------------------------------------

const frameIntervals = [];
let lastFrameStart = -1;
engine.onBeginFrameObservable.add(() => {
  const now = performance.now();
  if (lastFrameStart >= 0) {
    frameIntervals.push(now - lastFrameStart);
    if (frameIntervals.length > FRAME_WINDOW) frameIntervals.shift();
  }
  lastFrameStart = now;
});

engine.runRenderLoop(() => {
  if (!paused) {
    // Cap the step so a long stall (a tab switch, a slow software frame) does not jump the camera.
    pathSeconds += (Math.min(engine.getDeltaTime(), 100) / 1000) * SPEED;
    placeCamera();
  }
  scene.render();
});
window.addEventListener('resize', () => engine.resize());

// ---- Overlay: level tags over the shapes, the legend, the readouts --------------------------------

const tags = $('tags');
const tagContext = tags.getContext('2d');
let shapes = [];
let shapeMaterials = [];
let colourMode = 'level';

const _tagPoint = new BABYLON.Vector3();
const _toShape = new BABYLON.Vector3();
const _forward = new BABYLON.Vector3();
function drawTags() {
  const width = tags.clientWidth;
  const height = tags.clientHeight;
  if (tags.width !== width || tags.height !== height) {
    tags.width = width;
    tags.height = height;
  }
  tagContext.clearRect(0, 0, width, height);
  if (!$('show-tags').checked) return;
  const transform = scene.getTransformMatrix();
  const viewport = camera.viewport.toGlobal(width, height);
  camera.target.subtractToRef(camera.position, _forward).normalize();
  tagContext.font = '600 11px system-ui, sans-serif';
  tagContext.textAlign = 'center';
  for (const shape of shapes) {
    if (shape.lodLevel < 0) continue;
    shape.position.subtractToRef(camera.globalPosition, _toShape);
    const distance = _toShape.length();
    if (BABYLON.Vector3.Dot(_toShape, _forward) <= 0.3 * distance || distance > 40) continue; // behind, beside or lost in fog
    _tagPoint.copyFrom(shape.position);
    _tagPoint.y += 0.62;
    const p = BABYLON.Vector3.Project(_tagPoint, BABYLON.Matrix.IdentityReadOnly, transform, viewport);
    const pending = shape.pendingLodLevel;
    const text = shape.surfaceResolution + (pending >= 0 ? ' → ' + shape.lodLevels[pending] : '');
    tagContext.globalAlpha = Math.max(0.35, Math.min(1, 1.4 - distance / 30));
    tagContext.fillStyle = 'rgba(12, 13, 17, 0.75)';
    const w = tagContext.measureText(text).width + 8;
    tagContext.fillRect(p.x - w / 2, p.y - 12, w, 15);
    tagContext.fillStyle = pending >= 0 ? '#f0f2f6' : levelColour(shape.lodLevel);
    tagContext.fillText(text, p.x, p.y);
  }
  tagContext.globalAlpha = 1;
}
scene.onAfterRenderObservable.add(drawTags);

function applyColour(shape, index) {
  shape.material = colourMode === 'level' ? levelMaterials[Math.max(shape.lodLevel, 0)] : shapeMaterials[index];
}
$('colour').addEventListener('change', () => {
  colourMode = $('colour').value;
  shapes.forEach(applyColour);
});

const legendRows = LEVELS.map((resolution, level) => {
  const row = $('legend').tBodies[0].insertRow();
  row.innerHTML = '<td><span class="swatch"></span></td><td class="num shown"></td><td class="num building"></td>';
  row.querySelector('.swatch').style.background = levelColour(level);
  row.cells[0].appendChild(document.createTextNode(resolution + '³'));
  return row;
});

function percentileOf(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Everything the panel shows, as numbers (also what tests and the screenshot script read). */
function stats() {
  const perLevel = LEVELS.map(() => 0);
  const buildingPerLevel = LEVELS.map(() => 0);
  let ready = 0;
  for (const shape of shapes) {
    if (shape.lodLevel >= 0) {
      ready++;
      perLevel[shape.lodLevel]++;
    }
    if (shape.pendingLodLevel >= 0) buildingPerLevel[shape.pendingLodLevel]++;
  }
  const building = buildingPerLevel.reduce((s, v) => s + v, 0);
  const recent = frameIntervals.slice(-60);
  const budget = scheduler.frameBudget;
  return {
    backend: shapes.find((s) => s.backendUsed)?.backendUsed ?? null,
    shapes: shapes.length,
    ready,
    levels: LEVELS,
    perLevel,
    buildingPerLevel,
    building,
    settled: shapes.length > 0 && ready === shapes.length && building === 0,
    frameMs: recent.length ? recent.reduce((s, v) => s + v, 0) / recent.length : 0,
    frameMsP95: percentileOf(frameIntervals, 0.95),
    worstFrameMs: frameIntervals.length ? Math.max(...frameIntervals) : 0,
    extraction: { budgetMs: budget.budgetMs, worstFrameMs: budget.worstFrameMs, framesWorked: budget.framesWorked },
    decoderCalls: scheduler.counters.calls,
    pointsEvaluated: scheduler.counters.points,
    pathSeconds,
    paused,
  };
}

function updatePanel() {
  const s = stats();
  $('backend').textContent = s.backend ?? '–';
  $('frame').textContent = s.frameMs ? s.frameMs.toFixed(1) + ' ms (' + (1000 / s.frameMs).toFixed(s.frameMs > 100 ? 1 : 0) + ' fps)' : '–';
  $('frame-worst').textContent = s.worstFrameMs.toFixed(0) + ' ms over the last ' + frameIntervals.length + ' frames';
  const e = s.extraction;
  const extraction = $('extraction');
  extraction.textContent = 'worst ' + e.worstFrameMs.toFixed(1) + ' ms / frame (budget ' + e.budgetMs + ') · ' + e.framesWorked + ' frames';
  extraction.className = e.worstFrameMs > e.budgetMs ? 'over' : '';
  $('calls').textContent = s.decoderCalls + ' · ' + (s.pointsEvaluated / 1e6).toFixed(2) + 'M points';
  legendRows.forEach((row, level) => {
    row.querySelector('.shown').textContent = s.perLevel[level];
    row.querySelector('.building').textContent = s.buildingPerLevel[level] || '';
  });
}
setInterval(updatePanel, 250);

// ---- Shapes --------------------------------------------------------------------------------------

async function main() {
  const decoders = await Promise.all(MODEL_URLS.map((url) => IMNET.ImNetDecoder.load(url)));
  const latents = [];
  const names = [];
  for (const decoder of decoders) {
    const shapeNames = decoder.provenance && Array.isArray(decoder.provenance.shapes) ? decoder.provenance.shapes : [];
    decoder.latents.forEach((latent, i) => {
      latents.push(latent);
      names.push(decoder.category + ': ' + (shapeNames[i] || 'shape ' + i));
    });
  }
  if (latents.length === 0) throw new Error(MODEL_URLS.join(', ') + ' hold no training latents to show');
  $('decoder-info').textContent = decoders.map((d) => d.category).join(', ') + ' · ' + latents.length + ' latents · ' + COUNT + ' shapes';
  shapeMaterials = latents.map((_, i) => surfaceMaterial('shape' + i,
    BABYLON.Color3.FromHSV((i * 360) / latents.length, 0.42, 0.92).toHexString()));

  const random = IMNET.createRandom(7);
  const lod = { levels: LEVELS, pixelsPerCell: PIXELS_PER_CELL };
  shapes = Array.from({ length: COUNT }, (_, i) => {
    const latentIndex = i % latents.length;
    const shape = new IMNET.ImplicitShape(latents[latentIndex], { lod, backend: BACKEND, name: names[latentIndex] }, scene);
    shape.position = fieldPosition(i, random);
    shape.rotation.y = random() * 2 * Math.PI;
    shape.isPickable = false;
    applyColour(shape, latentIndex);
    shape.onLODChangedObservable.add(() => applyColour(shape, latentIndex));
    return shape;
  });
  await Promise.all(shapes.map((s) => s.ready));
  return stats();
}

window.lodDemo = {
  ready: main(),
  stats,
  pause: () => setPaused(true),
  resume: () => setPaused(false),
  get shapes() { return shapes; },
  scheduler,
};
window.lodDemo.ready.catch(showError);
