/**
 * The loss log of a run: one row per epoch, written as CSV and JSON beside an SVG plot, each
 * rewritten atomically after every epoch so they always describe the run so far.
 */
import { join } from 'node:path';
import { writeFileAtomicSync } from '../util/atomicWrite.js';

/** One epoch's record. */
export interface LossRow {
  /** Epochs finished in the whole run, 1-based. */
  epoch: number;
  /** What was trained: e.g. `16`, `32`, `64` (sample level) or `gan`. */
  stage: string;
  /** Epoch within its stage, 1-based. */
  stageEpoch: number;
  /** Optimizer steps in the whole run after this epoch. */
  step: number;
  /** Mean training loss over the epoch's steps (MSE for the decoder; critic loss for the GAN). */
  loss: number;
  /** Further named values (e.g. the GAN's generator loss). */
  extra?: Record<string, number>;
  /** Seconds since the run started (wall clock, summed across resumes). */
  seconds: number;
  /** Process CPU seconds (every worker thread) since the run started, summed across resumes. */
  cpuSeconds?: number;
}

/** The rows as CSV: `epoch,stage,stage_epoch,step,loss,<extra...>,seconds`. */
export function lossCsv(rows: readonly LossRow[]): string {
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const lines = [['epoch', 'stage', 'stage_epoch', 'step', 'loss', ...extras, 'seconds'].join(',')];
  for (const r of rows) {
    lines.push([r.epoch, r.stage, r.stageEpoch, r.step, r.loss, ...extras.map((k) => r.extra?.[k] ?? ''), r.seconds.toFixed(1)].join(','));
  }
  return lines.join('\n') + '\n';
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * A line plot of loss per epoch (log scale when the values span more than a factor of 20), with a
 * dashed line at each stage change. Plain SVG: opens in any browser, diffs as text.
 */
export function lossSvg(rows: readonly LossRow[], title: string, series: string[] = ['loss']): string {
  const width = 640, height = 360, left = 64, right = 16, top = 32, bottom = 40;
  const plotW = width - left - right, plotH = height - top - bottom;
  const valueOf = (r: LossRow, s: string): number => (s === 'loss' ? r.loss : r.extra?.[s] ?? NaN);
  const values = rows.flatMap((r) => series.map((s) => valueOf(r, s))).filter(Number.isFinite);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="13">${escapeXml(title)}</text>`,
  ];
  if (values.length === 0) {
    parts.push(`<text x="${left}" y="${top + plotH / 2}">no epochs yet</text></svg>`);
    return parts.join('\n') + '\n';
  }
  let lo = Math.min(...values), hi = Math.max(...values);
  const log = lo > 0 && hi / lo > 20;
  const f = (v: number): number => (log ? Math.log10(v) : v);
  let flo = f(lo), fhi = f(hi);
  if (fhi - flo < 1e-12) { flo -= 0.5 * (Math.abs(flo) || 1); fhi += 0.5 * (Math.abs(fhi) || 1); lo = log ? 10 ** flo : flo; hi = log ? 10 ** fhi : fhi; }
  const epochs = rows.map((r) => r.epoch);
  const e0 = Math.min(...epochs) - 1, e1 = Math.max(...epochs);
  const x = (e: number): number => left + ((e - e0) / Math.max(e1 - e0, 1)) * plotW;
  const y = (v: number): number => top + (1 - (f(v) - flo) / (fhi - flo)) * plotH;
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const fv = flo + ((fhi - flo) * i) / 4;
    const v = log ? 10 ** fv : fv;
    const yy = top + (1 - i / 4) * plotH;
    parts.push(`<line x1="${left - 4}" y1="${yy}" x2="${left}" y2="${yy}" stroke="#888"/><text x="${left - 6}" y="${yy + 4}" text-anchor="end">${v.toPrecision(3)}</text>`);
  }
  parts.push(`<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">epoch${log ? ' (loss on a log scale)' : ''}</text>`);
  parts.push(`<text x="${left}" y="${top + plotH + 16}">${e0}</text><text x="${left + plotW}" y="${top + plotH + 16}" text-anchor="end">${e1}</text>`);
  rows.forEach((r, i) => {
    if (i > 0 && rows[i - 1].stage !== r.stage) {
      const xx = (x(rows[i - 1].epoch) + x(r.epoch)) / 2;
      parts.push(`<line x1="${xx}" y1="${top}" x2="${xx}" y2="${top + plotH}" stroke="#bbb" stroke-dasharray="4 3"/><text x="${xx + 3}" y="${top + 12}" fill="#666">${escapeXml(r.stage)}</text>`);
    }
  });
  if (rows.length) parts.push(`<text x="${x(rows[0].epoch) + 3}" y="${top + 12}" fill="#666">${escapeXml(rows[0].stage)}</text>`);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  series.forEach((s, k) => {
    const points = rows.filter((r) => Number.isFinite(valueOf(r, s))).map((r) => `${x(r.epoch).toFixed(1)},${y(valueOf(r, s)).toFixed(1)}`);
    if (points.length) parts.push(`<polyline fill="none" stroke="${colors[k % colors.length]}" stroke-width="1.5" points="${points.join(' ')}"/>`);
    parts.push(`<text x="${left + plotW - 4}" y="${top + 14 + 14 * k}" text-anchor="end" fill="${colors[k % colors.length]}">${escapeXml(s)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** Writes `<prefix>.csv`, `<prefix>.json` and `<prefix>.svg` in `dir`. */
export function writeLossLog(dir: string, prefix: string, rows: readonly LossRow[], title: string, series?: string[]): void {
  writeFileAtomicSync(join(dir, `${prefix}.csv`), lossCsv(rows));
  writeFileAtomicSync(join(dir, `${prefix}.json`), JSON.stringify(rows, null, 1) + '\n');
  writeFileAtomicSync(join(dir, `${prefix}.svg`), lossSvg(rows, title, series));
}
