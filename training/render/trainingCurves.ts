/**
 * Training curves of several runs in one picture (`imnet curves`): one series per run, held-out IoU
 * (or loss, MSE, training IoU) against training's CPU minutes (or steps, wall minutes), and the
 * Markdown table that goes with it.
 */
import type { CurveRow } from '../eval/trainingCurve.js';
import { renderLinePlot, type PlotImage, type Rgb } from './linePlot.js';

/** What the x axis counts. */
export type CurveAxisX = 'cpu-minutes' | 'wall-minutes' | 'steps';
export const CURVE_AXES_X: readonly CurveAxisX[] = ['cpu-minutes', 'wall-minutes', 'steps'];
/** What the y axis shows: held-out IoU, training loss, held-out MSE, training shapes' IoU. */
export type CurveAxisY = 'iou' | 'loss' | 'mse' | 'train-iou';
export const CURVE_AXES_Y: readonly CurveAxisY[] = ['iou', 'loss', 'mse', 'train-iou'];

/** One run's curve and its legend label. */
export interface LabelledCurve {
  label: string;
  rows: readonly CurveRow[];
}

/** Series colours, in order (distinct for the first eight runs, then repeated). */
export const CURVE_COLORS: readonly Rgb[] = [
  [31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14], [140, 86, 75], [227, 119, 194], [23, 190, 207],
];

const X_OF: Record<CurveAxisX, (r: CurveRow) => number> = {
  'cpu-minutes': (r) => r.cpuSeconds / 60,
  'wall-minutes': (r) => r.wallSeconds / 60,
  steps: (r) => r.step,
};
const Y_OF: Record<CurveAxisY, (r: CurveRow) => number> = {
  iou: (r) => r.testIou,
  loss: (r) => r.trainLoss,
  mse: (r) => r.testMse,
  'train-iou': (r) => r.trainIou,
};
const X_LABEL: Record<CurveAxisX, string> = { 'cpu-minutes': 'training CPU minutes (all cores)', 'wall-minutes': 'training wall-clock minutes', steps: 'optimizer steps' };
const Y_LABEL: Record<CurveAxisY, string> = { iou: 'held-out IoU', loss: 'training loss', mse: 'held-out MSE', 'train-iou': 'training IoU' };

/** The plot: one series per run, rows whose value is missing (the loss at step 0) left out. */
export function renderTrainingCurves(curves: readonly LabelledCurve[], axes: { x: CurveAxisX; y: CurveAxisY; title?: string }): PlotImage {
  const series = curves.map((c, i) => ({
    label: c.label,
    color: CURVE_COLORS[i % CURVE_COLORS.length],
    points: c.rows.map((r) => [X_OF[axes.x](r), Y_OF[axes.y](r)] as const).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  // IoU reads against its whole range; other values from 0.
  const yRange = axes.y === 'iou' || axes.y === 'train-iou' ? [0, Math.max(1e-6, ...ys) > 0.5 ? 1 : 0.5] as const : undefined;
  return renderLinePlot(series, { title: axes.title, xLabel: X_LABEL[axes.x], yLabel: Y_LABEL[axes.y], yRange });
}

/** A Markdown table: per run, the last row's held-out IoU, the best, the training IoU and the CPU minutes and steps it took. */
export function curvesMarkdown(curves: readonly LabelledCurve[]): string {
  const fixed = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
  const lines = [
    '| run | held-out IoU (last) | best | at CPU min | training IoU (last) | CPU minutes | steps | measurements (CPU min) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { label, rows } of curves) {
    const last = rows[rows.length - 1];
    const best = rows.reduce((a, r) => (r.testIou > a.testIou ? r : a), rows[0]);
    const measured = rows.reduce((sum, r) => sum + r.evalCpuSeconds, 0) / 60;
    lines.push(`| ${label} | ${fixed(last.testIou, 3)} | ${fixed(best.testIou, 3)} | ${fixed(best.cpuSeconds / 60, 1)} | ${fixed(last.trainIou, 3)} | ${fixed(last.cpuSeconds / 60, 1)} | ${last.step} | ${fixed(measured, 1)} |`);
  }
  return lines.join('\n');
}
