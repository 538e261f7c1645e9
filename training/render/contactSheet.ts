/**
 * Contact sheets without a GPU: a small software rasterizer (z-buffer, flat Lambert shading, dark
 * silhouettes and creases) draws indexed triangle meshes from a fixed 3/4 view into a labelled grid
 * and writes a PNG. Generic over meshes, so generators, GAN samples and reconstructions beside their
 * ground truth all use it.
 *
 *   renderContactSheet(meshes, { columns: 4, cellSize: 256, out: 'docs/categories/chair.png' })
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TriangleMesh } from '#core';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmapFont.js';
import { encodePng } from './png.js';

/** A mesh to draw (any winding), and an optional caption. */
export interface SheetMesh extends TriangleMesh {
  label?: string;
}

export type Rgb = readonly [number, number, number];

/** Options of `renderContactSheet`. */
export interface ContactSheetOptions {
  /** Cells per row. Default 4. */
  columns?: number;
  /** Width and height of each cell's picture in pixels. Default 256. */
  cellSize?: number;
  /** Path of the PNG to write (folders are created). Default: write nothing, only return the image. */
  out?: string;
  /** Title drawn above the grid. Default none. */
  title?: string;
  /** View azimuth in degrees from +z toward +x (the camera looks at a front toward +z from front-right). Default 35. */
  yawDegrees?: number;
  /** View elevation in degrees. Default 25. */
  pitchDegrees?: number;
  /**
   * 'each' fills each cell with its mesh; 'unitCube' uses one scale for all, fitted to the box
   * [-0.5, 0.5]^3, so sizes compare across cells (reconstructions beside ground truth). Default 'each'.
   */
  fit?: 'each' | 'unitCube';
  /** Surface colour per mesh (cycled), or one for all. Default a light clay. */
  colors?: Rgb[];
  /** Background colour. Default near white. */
  background?: Rgb;
  /** Samples per pixel along each axis (antialiasing). Default 2. */
  supersample?: number;
}

/** A rendered sheet: RGB bytes (rows top to bottom) and the encoded PNG. */
export interface ContactSheet {
  width: number;
  height: number;
  rgb: Uint8Array;
  png: Buffer;
}

const LIGHT = normalize3(-0.45, 0.75, 0.5);
const FILL = normalize3(0.6, 0.1, 0.35);
const LABEL_SCALE = 2;

function normalize3(x: number, y: number, z: number): [number, number, number] {
  const l = Math.hypot(x, y, z);
  return [x / l, y / l, z / l];
}

/** The 3x3 rotation (row-major) from world to view: yaw about y, then pitch about x. */
function viewRotation(yawDegrees: number, pitchDegrees: number): Float64Array {
  const a = (yawDegrees * Math.PI) / 180, p = (pitchDegrees * Math.PI) / 180;
  const ca = Math.cos(a), sa = Math.sin(a), cp = Math.cos(p), sp = Math.sin(p);
  // R_x(p) * R_y(-a): the camera direction (sin a cos p, sin p, cos a cos p) lands on +z.
  return Float64Array.of(ca, 0, -sa, -sp * sa, cp, -sp * ca, cp * sa, sp, cp * ca);
}

function projectBounds(positions: ArrayLike<number>, r: Float64Array): [number, number, number, number] {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    if (!Number.isFinite(x + y + z)) continue;
    const vx = r[0] * x + r[1] * y + r[2] * z, vy = r[3] * x + r[4] * y + r[5] * z;
    if (vx < x0) x0 = vx;
    if (vx > x1) x1 = vx;
    if (vy < y0) y0 = vy;
    if (vy > y1) y1 = vy;
  }
  return [x0, y0, x1, y1];
}

const UNIT_CUBE = Float64Array.from([-0.5, -0.5, -0.5, 0.5, -0.5, -0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5, -0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);

/**
 * Renders one mesh into a square RGB image of `size` pixels (already antialiased), for callers that
 * lay out their own pictures. Options as for `renderContactSheet` (columns, out and title unused).
 */
export function renderMeshImage(mesh: SheetMesh, size: number, options: ContactSheetOptions = {}, color?: Rgb): Uint8Array {
  const ss = Math.max(1, Math.round(options.supersample ?? 2));
  const n = size * ss;
  const r = viewRotation(options.yawDegrees ?? 35, options.pitchDegrees ?? 25);
  const background = options.background ?? [250, 250, 248];
  const base = color ?? options.colors?.[0] ?? [214, 196, 170];
  const positions = mesh.positions, indices = mesh.indices;

  const [x0, y0, x1, y1] = projectBounds(options.fit === 'unitCube' ? UNIT_CUBE : positions, r);
  const span = Math.max(x1 - x0, y1 - y0);
  const pixelsPerUnit = span > 0 ? (n * 0.88) / span : 1;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;

  // Screen-space vertices: x right, y down, z toward the viewer (bigger is nearer).
  const vertexCount = positions.length / 3;
  const sx = new Float64Array(vertexCount), sy = new Float64Array(vertexCount), sz = new Float64Array(vertexCount);
  for (let i = 0; i < vertexCount; i++) {
    const x = positions[3 * i], y = positions[3 * i + 1], z = positions[3 * i + 2];
    sx[i] = n / 2 + (r[0] * x + r[1] * y + r[2] * z - cx) * pixelsPerUnit;
    sy[i] = n / 2 - (r[3] * x + r[4] * y + r[5] * z - cy) * pixelsPerUnit;
    sz[i] = (r[6] * x + r[7] * y + r[8] * z) * pixelsPerUnit;
  }

  const depth = new Float64Array(n * n).fill(-Infinity);
  const shade = new Float32Array(n * n);
  for (let t = 0; t + 2 < indices.length; t += 3) {
    const a = indices[t], b = indices[t + 1], c = indices[t + 2];
    const ax = sx[a], ay = sy[a], az = sz[a], bx = sx[b], by = sy[b], bz = sz[b], qx = sx[c], qy = sy[c], qz = sz[c];
    const area = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax);
    if (!(Math.abs(area) > 1e-12)) continue; // degenerate or NaN
    // Flat shading from the face normal in view space (screen y flipped back to up), turned toward the viewer.
    let nx = (bz - az) * (qy - ay) - (by - ay) * (qz - az);
    let ny = (bz - az) * (qx - ax) - (bx - ax) * (qz - az);
    let nz = (by - ay) * (qx - ax) - (bx - ax) * (qy - ay);
    const nl = Math.hypot(nx, ny, nz);
    nx /= nl; ny /= nl; nz /= nl;
    if (nz < 0) { nx = -nx; ny = -ny; nz = -nz; }
    const lambert = Math.max(0, nx * LIGHT[0] + ny * LIGHT[1] + nz * LIGHT[2]);
    const fill = Math.max(0, nx * FILL[0] + ny * FILL[1] + nz * FILL[2]);
    const intensity = 0.28 + 0.62 * lambert + 0.22 * fill;

    const minX = Math.max(0, Math.floor(Math.min(ax, bx, qx))), maxX = Math.min(n - 1, Math.ceil(Math.max(ax, bx, qx)));
    const minY = Math.max(0, Math.floor(Math.min(ay, by, qy))), maxY = Math.min(n - 1, Math.ceil(Math.max(ay, by, qy)));
    const inv = 1 / area;
    for (let py = minY; py <= maxY; py++) {
      const yc = py + 0.5;
      for (let px = minX; px <= maxX; px++) {
        const xc = px + 0.5;
        const w0 = ((bx - xc) * (qy - yc) - (by - yc) * (qx - xc)) * inv;
        const w1 = ((qx - xc) * (ay - yc) - (qy - yc) * (ax - xc)) * inv;
        const w2 = 1 - w0 - w1;
        if (w0 < 0 || w1 < 0 || w2 < 0) continue;
        const z = w0 * az + w1 * bz + w2 * qz;
        const o = py * n + px;
        if (z > depth[o]) {
          depth[o] = z;
          shade[o] = intensity;
        }
      }
    }
  }

  // Outlines: darken pixels on the silhouette or where depth jumps (a crease between parts).
  const jump = 0.03 * n;
  const image = new Float32Array(n * n * 3);
  for (let py = 0; py < n; py++) {
    for (let px = 0; px < n; px++) {
      const o = py * n + px;
      const d = depth[o];
      if (d === -Infinity) {
        image[3 * o] = background[0];
        image[3 * o + 1] = background[1];
        image[3 * o + 2] = background[2];
        continue;
      }
      let edge = false;
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const qx = px + dx * ss, qy = py + dy * ss;
        if (qx < 0 || qy < 0 || qx >= n || qy >= n) continue;
        const e = depth[qy * n + qx];
        if (e === -Infinity || d - e > jump) edge = true;
      }
      const k = edge ? 0.35 : shade[o];
      image[3 * o] = base[0] * k;
      image[3 * o + 1] = base[1] * k;
      image[3 * o + 2] = base[2] * k;
    }
  }

  const out = new Uint8Array(size * size * 3);
  const norm = 1 / (ss * ss);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r0 = 0, g0 = 0, b0 = 0;
      for (let j = 0; j < ss; j++) {
        for (let i = 0; i < ss; i++) {
          const o = 3 * ((y * ss + j) * n + x * ss + i);
          r0 += image[o];
          g0 += image[o + 1];
          b0 += image[o + 2];
        }
      }
      const o = 3 * (y * size + x);
      out[o] = Math.min(255, Math.round(r0 * norm));
      out[o + 1] = Math.min(255, Math.round(g0 * norm));
      out[o + 2] = Math.min(255, Math.round(b0 * norm));
    }
  }
  return out;
}

/**
 * Renders meshes into a grid (row by row, `columns` per row) with each mesh's label under its
 * picture, writes the PNG to `options.out` when given, and returns the image.
 */
export function renderContactSheet(meshes: readonly SheetMesh[], options: ContactSheetOptions = {}): ContactSheet {
  const columns = Math.max(1, Math.floor(options.columns ?? 4));
  const cell = Math.floor(options.cellSize ?? 256);
  if (!(cell >= 16)) throw new RangeError(`cellSize must be at least 16 pixels; got ${options.cellSize}`);
  const rows = Math.max(1, Math.ceil(meshes.length / columns));
  const labelled = meshes.some((m) => m.label);
  const labelHeight = labelled ? GLYPH_HEIGHT * LABEL_SCALE + 8 : 0;
  const titleHeight = options.title ? GLYPH_HEIGHT * LABEL_SCALE + 14 : 0;
  const gap = 2;
  const width = columns * cell + (columns + 1) * gap;
  const height = titleHeight + rows * (cell + labelHeight) + (rows + 1) * gap;
  const background = options.background ?? [250, 250, 248];
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.set([222, 222, 218], 3 * i);
  if (options.title) {
    for (let y = 0; y < titleHeight; y++) for (let x = 0; x < width; x++) rgb.set(background, 3 * (y * width + x));
    drawText(rgb, width, height, options.title, 8, 7, [40, 40, 40], LABEL_SCALE);
  }

  meshes.forEach((mesh, i) => {
    const col = i % columns, row = Math.floor(i / columns);
    const left = gap + col * (cell + gap), top = titleHeight + gap + row * (cell + labelHeight + gap);
    const color = options.colors && options.colors.length > 0 ? options.colors[i % options.colors.length] : undefined;
    const picture = renderMeshImage(mesh, cell, options, color);
    for (let y = 0; y < cell; y++) rgb.set(picture.subarray(3 * y * cell, 3 * (y + 1) * cell), 3 * ((top + y) * width + left));
    if (labelled) {
      for (let y = 0; y < labelHeight; y++) for (let x = 0; x < cell; x++) rgb.set(background, 3 * ((top + cell + y) * width + left + x));
      if (mesh.label) {
        let text = mesh.label;
        while (text.length > 1 && textWidth(text, LABEL_SCALE) > cell - 8) text = text.slice(0, -1);
        drawText(rgb, width, height, text, left + Math.max(4, (cell - textWidth(text, LABEL_SCALE)) >> 1), top + cell + 3, [60, 60, 60], LABEL_SCALE);
      }
    }
  });

  const png = encodePng(width, height, rgb);
  if (options.out) {
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileAtomicSync(options.out, png);
  }
  return { width, height, rgb, png };
}
