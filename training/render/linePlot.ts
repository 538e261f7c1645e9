/**
 * A line plot as an RGB image (for training curves in docs/): axes with round-number ticks, one
 * polyline per series with a dot at each point, a legend. Plain pixels and the bitmap font; encode
 * with `encodePng`.
 */
import { drawText, GLYPH_HEIGHT, textWidth } from './bitmapFont.js';

export type Rgb = readonly [number, number, number];

/** One curve. */
export interface PlotSeries {
  label: string;
  color: Rgb;
  /** (x, y) pairs, drawn in order. */
  points: readonly (readonly [number, number])[];
}

/** Options of {@link renderLinePlot}. */
export interface LinePlotOptions {
  /** Image size in pixels. Default 720 x 440. */
  width?: number;
  height?: number;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Axis ranges. Default: the data's, y from 0 when the data is non-negative. */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
}

/** An RGB image and its size. */
export interface PlotImage {
  width: number;
  height: number;
  rgb: Uint8Array;
  /** Where a data point lands, in pixels (for checking a plot). */
  toPixel: (x: number, y: number) => [number, number];
}

const BACKGROUND: Rgb = [255, 255, 255];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [228, 228, 228];
const MARGIN = { left: 56, right: 16, top: 30, bottom: 40 };

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

export function renderLinePlot(series: readonly PlotSeries[], options: LinePlotOptions = {}): PlotImage {
  const width = options.width ?? 720, height = options.height ?? 440;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < rgb.length; i += 3) rgb.set(BACKGROUND, i);
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) throw new RangeError('renderLinePlot: no points to plot');
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const [x0, x1] = options.xRange ?? [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = options.yRange ?? [Math.min(0, ...ys), Math.max(...ys)];
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const toPixel = (x: number, y: number): [number, number] => [
    Math.round(plot.left + ((x - x0) / (x1 - x0 || 1)) * (plot.right - plot.left)),
    Math.round(plot.bottom - ((y - y0) / (y1 - y0 || 1)) * (plot.bottom - plot.top)),
  ];
  const set = (x: number, y: number, color: Rgb): void => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    rgb.set(color, 3 * (x + width * y));
  };
  const line = (ax: number, ay: number, bx: number, by: number, color: Rgb, thickness = 1): void => {
    // Bresenham, thickened by a square brush.
    const dx = Math.abs(bx - ax), dy = -Math.abs(by - ay), sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
    let err = dx + dy, x = ax, y = ay;
    const r = Math.floor(thickness / 2);
    for (;;) {
      for (let oy = -r; oy <= thickness - 1 - r; oy++) for (let ox = -r; ox <= thickness - 1 - r; ox++) set(x + ox, y + oy, color);
      if (x === bx && y === by) break;
      const e2 = 2 * err;
      if (e2 >= dy) { err += dy; x += sx; }
      if (e2 <= dx) { err += dx; y += sy; }
    }
  };
  const format = (v: number): string => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3))));
  for (const t of niceTicks(x0, x1)) {
    const [px] = toPixel(t, y0);
    line(px, plot.top, px, plot.bottom, GRID);
    const label = format(t);
    drawText(rgb, width, height, label, px - Math.floor(textWidth(label) / 2), plot.bottom + 6, AXIS);
  }
  for (const t of niceTicks(y0, y1)) {
    const [, py] = toPixel(x0, t);
    line(plot.left, py, plot.right, py, GRID);
    const label = format(t);
    drawText(rgb, width, height, label, plot.left - 6 - textWidth(label), py - Math.floor(GLYPH_HEIGHT / 2), AXIS);
  }
  line(plot.left, plot.bottom, plot.right, plot.bottom, AXIS);
  line(plot.left, plot.top, plot.left, plot.bottom, AXIS);
  if (options.title) drawText(rgb, width, height, options.title, Math.floor((width - textWidth(options.title, 2)) / 2), 6, AXIS, 2);
  if (options.xLabel) drawText(rgb, width, height, options.xLabel, Math.floor((plot.left + plot.right - textWidth(options.xLabel)) / 2), height - GLYPH_HEIGHT - 6, AXIS);
  if (options.yLabel) drawText(rgb, width, height, options.yLabel, 4, plot.top - GLYPH_HEIGHT - 4, AXIS);
  series.forEach((s) => {
    const pixels = s.points.map(([x, y]) => toPixel(x, y));
    for (let i = 1; i < pixels.length; i++) line(pixels[i - 1][0], pixels[i - 1][1], pixels[i][0], pixels[i][1], s.color, 2);
    for (const [px, py] of pixels) for (let oy = -2; oy <= 2; oy++) for (let ox = -2; ox <= 2; ox++) set(px + ox, py + oy, s.color);
  });
  // Legend, top-left inside the plot.
  series.forEach((s, i) => {
    const y = plot.top + 8 + i * (GLYPH_HEIGHT + 6);
    line(plot.left + 8, y + 3, plot.left + 24, y + 3, s.color, 3);
    drawText(rgb, width, height, s.label, plot.left + 30, y, AXIS);
  });
  return { width, height, rgb, toPixel };
}
