/**
 * A run's training curve (`imnet train --curve-every`): held-out IoU and MSE against the run's CPU
 * time, measured while it trains, for comparing recipes by what they reach per core-minute.
 *
 * `<run>/curve.csv` and `<run>/curve.json` get a row at the start (step 0), at the cadence (each time
 * training's CPU time passes a multiple of the period, or every n steps) and at the last step of every
 * stage; both are rewritten atomically after each row. A resumed run drops the rows
 * after its checkpoint (their steps are trained again) and continues the rest.
 *
 * The axes are the training's own: a row's `cpuSeconds` and `wallSeconds` are the trainer's clocks
 * (process CPU, every thread, so data-parallel workers count; summed across resumes) minus what the
 * measurements before it cost, so the curve is the same with or without them. What each measurement
 * cost is in its row (`evalSeconds`, `evalCpuSeconds`). Set-up before the first step (PCA codes,
 * starting the workers) is not on the axes.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunClock, StepEnd, TrainerCallback } from '../trainer/callbacks.js';
import { writeFileAtomicSync } from '../util/atomicWrite.js';

export const CURVE_FORMAT = 'babylon-imnet-curve';
export const CURVE_FORMAT_VERSION = 1;

/** The scores of one measurement: IoU and MSE on the voxel grid, of held-out and of training shapes. */
export interface CurveScores {
  testIou: number;
  testMse: number;
  /** NaN when no training shapes are measured. */
  trainIou: number;
  trainMse: number;
}

/** One measurement of the run. */
export interface CurveRow extends CurveScores {
  /** Optimizer steps done. */
  step: number;
  /** The stage trained at that step (the sample level: `16`, `32`, `64`). */
  stage: string;
  /** Training's wall-clock and process CPU seconds so far, measurements excluded. */
  wallSeconds: number;
  cpuSeconds: number;
  /** Mean training loss of the steps since the previous row (NaN for the row at step 0). */
  trainLoss: number;
  /** What this measurement cost: wall-clock and process CPU seconds. */
  evalSeconds: number;
  evalCpuSeconds: number;
}

/** How a curve is measured (recorded in curve.json). */
export interface CurveSettings {
  /** Cadence: a row each time training's CPU time passes another `everyCpuMinutes`, or every `everySteps` steps. */
  everyCpuMinutes?: number;
  everySteps?: number;
  /** Held-out and training shapes measured (the first of each split). */
  testShapes: number;
  trainShapes: number;
  /** Voxel grid of IoU and MSE. */
  resolution: 16 | 32 | 64;
  /** Auto-decoder: steps of the fixed-budget fit of the held-out codes (IM-AE: unused, the encoder gives them). */
  fitSteps: number;
}

/** `imnet train`'s curve defaults. */
export const CURVE_DEFAULTS = {
  testShapes: 8,
  trainShapes: 4,
  resolution: 64,
  /**
   * 100 steps of 2048 points per shape: the shipped chair decoder's own fits stopped improving after
   * ~350 (`eval --encode`), so the curve's held-out IoU sits below the final eval's; every row, and
   * every run compared, gets the same budget.
   */
  fitSteps: 100,
} as const satisfies Omit<CurveSettings, 'everyCpuMinutes' | 'everySteps'>;

/** curve.json. */
export interface CurveFile {
  format: typeof CURVE_FORMAT;
  formatVersion: number;
  settings: CurveSettings;
  rows: CurveRow[];
}

/** A run folder without a curve, or a curve file that is not one. */
export class CurveFileError extends Error {
  override readonly name = 'CurveFileError';
}

const COLUMNS: [string, keyof CurveRow][] = [
  ['step', 'step'], ['stage', 'stage'], ['wall_seconds', 'wallSeconds'], ['cpu_seconds', 'cpuSeconds'], ['train_loss', 'trainLoss'],
  ['test_iou', 'testIou'], ['test_mse', 'testMse'], ['train_iou', 'trainIou'], ['train_mse', 'trainMse'],
  ['eval_seconds', 'evalSeconds'], ['eval_cpu_seconds', 'evalCpuSeconds'],
];

export const curvePaths = (runDir: string) => ({ csv: join(runDir, 'curve.csv'), json: join(runDir, 'curve.json') });

/** The rows as CSV, one column per {@link CurveRow} field (snake_case), NaN as an empty cell. */
export function curveCsv(rows: readonly CurveRow[]): string {
  const cell = (v: number | string): string => (typeof v === 'string' ? v : Number.isFinite(v) ? String(Number(v.toPrecision(6))) : '');
  return [COLUMNS.map(([name]) => name).join(','), ...rows.map((r) => COLUMNS.map(([, key]) => cell(r[key])).join(','))].join('\n') + '\n';
}

/** Writes curve.csv and curve.json (NaN as null), each atomically. */
export function writeCurve(runDir: string, settings: CurveSettings, rows: readonly CurveRow[]): void {
  const paths = curvePaths(runDir);
  mkdirSync(runDir, { recursive: true });
  const file: CurveFile = { format: CURVE_FORMAT, formatVersion: CURVE_FORMAT_VERSION, settings, rows: [...rows] };
  writeFileAtomicSync(paths.csv, curveCsv(rows));
  writeFileAtomicSync(paths.json, JSON.stringify(file, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
}

/** A run's curve; a {@link CurveFileError} naming the folder when it has none. */
export function readCurve(runDir: string): CurveFile {
  const { json } = curvePaths(runDir);
  if (!existsSync(json)) throw new CurveFileError(`${runDir}: no curve.csv/curve.json; train the run with 'imnet train ... --curve-every <cpu-minutes>' (or --curve-every-steps)`);
  const file = JSON.parse(readFileSync(json, 'utf8')) as CurveFile;
  if (file.format !== CURVE_FORMAT || file.formatVersion !== CURVE_FORMAT_VERSION || !Array.isArray(file.rows)) {
    throw new CurveFileError(`${json}: expected ${CURVE_FORMAT} v${CURVE_FORMAT_VERSION}, got ${String(file.format)} v${String(file.formatVersion)}`);
  }
  // JSON has no NaN: null stands for it.
  const numbers = COLUMNS.map(([, key]) => key).filter((key) => key !== 'stage');
  file.rows = file.rows.map((r) => ({ ...r, ...Object.fromEntries(numbers.map((key) => [key, r[key] ?? NaN])) }) as CurveRow);
  return file;
}

/** What {@link curveCallback} needs. */
export interface CurveRecorderArgs {
  runDir: string;
  settings: CurveSettings;
  /** Measures the run's model as it is now. */
  measure: () => Promise<CurveScores>;
  /** The name of stage `index` (its sample level). */
  stageName: (index: number) => string;
  log?: (line: string) => void;
  /** What a measurement costs is read off this clock. Default: wall clock and process CPU (every thread). */
  readClock?: () => RunClock;
}

/** The process's clocks: wall seconds, and user + system CPU seconds of every thread. */
export function processClock(): RunClock {
  const cpu = process.cpuUsage();
  return { elapsedSeconds: performance.now() / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** The trainer callback that measures the run at the cadence and keeps curve.csv/json (see the module note). */
export function curveCallback(args: CurveRecorderArgs): TrainerCallback {
  const { runDir, settings } = args;
  let rows: CurveRow[] = [];
  let lossSum = 0, lossSteps = 0;
  const spent = (key: 'evalSeconds' | 'evalCpuSeconds'): number => rows.reduce((sum, r) => sum + r[key], 0);

  const readClock = args.readClock ?? processClock;
  const record = async (step: number, stage: string, clock: RunClock): Promise<void> => {
    const before = readClock();
    const scores = await args.measure();
    const after = readClock();
    const row: CurveRow = {
      step, stage,
      // The clock was read before this measurement; the earlier ones are taken off.
      wallSeconds: clock.elapsedSeconds - spent('evalSeconds'),
      cpuSeconds: clock.cpuSeconds - spent('evalCpuSeconds'),
      trainLoss: lossSteps > 0 ? lossSum / lossSteps : NaN,
      ...scores,
      evalSeconds: after.elapsedSeconds - before.elapsedSeconds,
      evalCpuSeconds: after.cpuSeconds - before.cpuSeconds,
    };
    rows.push(row);
    lossSum = 0;
    lossSteps = 0;
    writeCurve(runDir, settings, rows);
    args.log?.(`curve: step ${step} (${(row.cpuSeconds / 60).toFixed(1)} CPU min): held-out IoU ${row.testIou.toFixed(3)}, MSE ${row.testMse.toFixed(4)}` +
      `${Number.isFinite(row.trainIou) ? `; train IoU ${row.trainIou.toFixed(3)}` : ''} (measured in ${row.evalSeconds.toFixed(0)} s)`);
  };

  const due = (e: StepEnd): boolean => {
    if (e.epoch === e.epochs && e.step === e.steps) return true;
    if (settings.everySteps) return e.globalStep % settings.everySteps === 0;
    if (settings.everyCpuMinutes === undefined) return false;
    // On a grid of whole periods, so a stage end's row does not shift the ones after it.
    const period = 60 * settings.everyCpuMinutes;
    return Math.floor((e.cpuSeconds - spent('evalCpuSeconds')) / period) > Math.floor((rows.at(-1)?.cpuSeconds ?? 0) / period);
  };

  return {
    onTrainBegin: async ({ position, globalStep, resumed, ...clock }) => {
      // Rows past the checkpoint are trained again; each row before it was measured before it was written.
      rows = resumed && existsSync(curvePaths(runDir).json) ? readCurve(runDir).rows.filter((r) => r.step <= globalStep) : [];
      lossSum = 0;
      lossSteps = 0;
      if (!resumed && globalStep === 0) await record(0, args.stageName(position.stage), clock);
      else writeCurve(runDir, settings, rows);
    },
    onStepEnd: async (e) => {
      lossSum += e.metrics.loss;
      lossSteps++;
      if (due(e) && rows.at(-1)?.step !== e.globalStep) await record(e.globalStep, e.stage, e);
    },
  };
}
