/**
 * The light field descriptor's renderer, in software: the model normalized into the unit box, then
 * orthographic silhouettes of it as OpenGL drew them for 3DRetrieval_v1.8 (glOrtho over [-1, 1]^2,
 * gluLookAt from a camera vertex to the origin with up (0, 1, 0), 256 x 256, no culling).
 */
import { IMAGE_SIZE } from './lfdConstants.js';

/** The mesh a descriptor is computed from: xyz per vertex and three vertex indices per triangle. */
export interface LfdMesh {
  readonly positions: ArrayLike<number>;
  readonly indices: ArrayLike<number>;
}

/**
 * The vertices moved by minus the centre of the bounding box of the vertices that triangles use,
 * then scaled by 1 / (largest extent), as `TranslateScale` does: the model fits [-0.5, 0.5]^3, so
 * every projection stays within 0.87 of the image centre and never touches the image border (the
 * contour tracer relies on that). A mesh without extent keeps its scale (its views come out empty).
 */
export function normalizeForLightField(mesh: LfdMesh): Float64Array {
  const { positions, indices } = mesh;
  const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < indices.length; i++) {
    const v = 3 * indices[i];
    for (let j = 0; j < 3; j++) {
      const c = positions[v + j];
      if (c < min[j]) min[j] = c;
      if (c > max[j]) max[j] = c;
    }
  }
  const out = new Float64Array(positions.length);
  if (indices.length === 0) return out;
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  const scale = extent > 0 ? 1 / extent : 1;
  for (let v = 0; v < positions.length; v += 3) {
    for (let j = 0; j < 3; j++) out[v + j] = (positions[v + j] - 0.5 * (min[j] + max[j])) * scale;
  }
  return out;
}

/** Window coordinates of every vertex for the current view (module scratch, grown on demand). */
let _window = new Float64Array(0);

/**
 * Draws the silhouette of `positions` (normalized) seen from `eye` into `out` (IMAGE_SIZE^2, row 0 =
 * bottom, 1 = covered, 0 = background). A pixel is covered when a triangle covers its centre; centres
 * exactly on an edge follow the top-left rule, so a shared edge is drawn once, as GL rasterizers do.
 */
export function renderSilhouette(out: Uint8Array, positions: Float64Array, indices: ArrayLike<number>, eye: ArrayLike<number>, eyeOffset = 0): void {
  out.fill(0);
  const ex = eye[eyeOffset], ey = eye[eyeOffset + 1], ez = eye[eyeOffset + 2];
  const eyeLength = Math.hypot(ex, ey, ez);
  // gluLookAt: f = -eye/|eye|, s = normalize(f x up), u = s x f; the view's x is s.p and y is u.p.
  const fx = -ex / eyeLength, fy = -ey / eyeLength, fz = -ez / eyeLength;
  let sx = -fz, sy = 0, sz = fx;
  const sLength = Math.hypot(sx, sz);
  if (!(sLength > 0)) throw new RangeError(`renderSilhouette: eye (${ex}, ${ey}, ${ez}) looks along the up axis; gluLookAt is undefined there`);
  sx /= sLength; sz /= sLength;
  const ux = sy * fz - sz * fy, uy = sz * fx - sx * fz, uz = sx * fy - sy * fx;

  const vertexCount = positions.length / 3;
  if (_window.length < 2 * vertexCount) _window = new Float64Array(2 * vertexCount);
  const win = _window;
  const half = IMAGE_SIZE / 2;
  for (let v = 0; v < vertexCount; v++) {
    const px = positions[3 * v], py = positions[3 * v + 1], pz = positions[3 * v + 2];
    win[2 * v] = (sx * px + sy * py + sz * pz + 1) * half;
    win[2 * v + 1] = (ux * px + uy * py + uz * pz + 1) * half;
  }
  for (let t = 0; t + 2 < indices.length; t += 3) {
    const a = 2 * indices[t], b = 2 * indices[t + 1], c = 2 * indices[t + 2];
    const ax = win[a], ay = win[a + 1], bx = win[b], by = win[b + 1], cx = win[c], cy = win[c + 1];
    // Most triangles of a fine mesh cover no pixel centre: reject them on their bounding box first.
    const minX = ax < bx ? (ax < cx ? ax : cx) : bx < cx ? bx : cx;
    const maxX = ax > bx ? (ax > cx ? ax : cx) : bx > cx ? bx : cx;
    const firstX = Math.ceil(minX - 0.5), lastX = Math.floor(maxX - 0.5);
    if (firstX > lastX) continue;
    const minY = ay < by ? (ay < cy ? ay : cy) : by < cy ? by : cy;
    const maxY = ay > by ? (ay > cy ? ay : cy) : by > cy ? by : cy;
    const firstY = Math.ceil(minY - 0.5), lastY = Math.floor(maxY - 0.5);
    if (firstY > lastY) continue;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0) continue;
    const x0 = Math.max(0, firstX), x1 = Math.min(IMAGE_SIZE - 1, lastX), y0 = Math.max(0, firstY), y1 = Math.min(IMAGE_SIZE - 1, lastY);
    // Counter-clockwise on screen either way: no culling, as the reference renders both sides.
    if (area > 0) fillTriangle(out, ax, ay, bx, by, cx, cy, x0, x1, y0, y1);
    else fillTriangle(out, ax, ay, cx, cy, bx, by, x0, x1, y0, y1);
  }
}

/** Edge function of (x0, y0) -> (x1, y1) at (px, py): positive on the left (the inside of a counter-clockwise triangle). */
function edge(x0: number, y0: number, x1: number, y1: number, px: number, py: number): number {
  return (x1 - x0) * (py - y0) - (y1 - y0) * (px - x0);
}

/** With y up and counter-clockwise winding, left edges run downwards and top edges run leftwards. */
function ownsBoundary(x0: number, y0: number, x1: number, y1: number): boolean {
  return y1 < y0 || (y1 === y0 && x1 < x0);
}

/** Sets the pixels of [minX, maxX] x [minY, maxY] whose centres the counter-clockwise triangle covers. */
function fillTriangle(out: Uint8Array, ax: number, ay: number, bx: number, by: number, cx: number, cy: number, minX: number, maxX: number, minY: number, maxY: number): void {
  if (minX > maxX || minY > maxY) return;
  const ownAB = ownsBoundary(ax, ay, bx, by), ownBC = ownsBoundary(bx, by, cx, cy), ownCA = ownsBoundary(cx, cy, ax, ay);
  for (let y = minY; y <= maxY; y++) {
    const py = y + 0.5;
    const row = y * IMAGE_SIZE;
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5;
      const e0 = edge(ax, ay, bx, by, px, py);
      if (e0 < 0 || (e0 === 0 && !ownAB)) continue;
      const e1 = edge(bx, by, cx, cy, px, py);
      if (e1 < 0 || (e1 === 0 && !ownBC)) continue;
      const e2 = edge(cx, cy, ax, ay, px, py);
      if (e2 < 0 || (e2 === 0 && !ownCA)) continue;
      out[row + x] = 1;
    }
  }
}
