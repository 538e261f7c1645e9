/**
 * The one training loop. A model gives its variables, optimizers and a step as gradient passes
 * (`TrainingModule`), its data gives stages, epochs and a batch per position (`BatchSource`); the
 * trainer runs stage by stage, epoch by epoch, and owns what every run needs the same way:
 *
 * - **Resume**: a checkpoint holds the variables and optimizer moments by stable name, the optimizer
 *   step counts, the position, the epoch's running loss sums and the loss rows. Batches depend only on
 *   their position, so a run resumed from any checkpoint ends bit-identical to one that never stopped.
 * - **Checkpoint cadence**: every `checkpointMinutes` of wall clock, every `checkpointEverySteps`
 *   steps, and at each stage end; written atomically.
 * - **Abort**: when `signal` fires, the current step finishes and the run throws an `AbortError`
 *   without writing anything, as a kill would (the last checkpoint stands).
 * - **Loss log**: a row per epoch (mean of each pass's loss), `loss.csv|json|svg` rewritten after each.
 * - **Progress and callbacks**: `TrainerCallback` hooks (`onStepEnd`, `onEpochEnd`, ...); a callback
 *   may `stop()` the run after the current step (a time budget), which checkpoints and returns.
 */
import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '../util/abort.js';
import { DEFAULT_CHECKPOINT_MINUTES, readCheckpoint, writeCheckpoint, type CheckpointTensor } from './checkpoint.js';
import type { EpochEnd, RunClock, RunPoint, StepEnd, TrainerCallback } from './callbacks.js';
import { writeLossLog, type LossRow } from './lossLog.js';
import type { BatchSource, GradientReducer, Gradients, TrainingModule, TrainingPosition } from './TrainingModule.js';

/** Options of {@link Trainer}. Only `module` and `data` decide the result; the rest decide what is written and seen. */
export interface TrainerArgs<Batch> {
  module: TrainingModule<Batch>;
  data: BatchSource<Batch>;
  /** The checkpoint file. Without one the run writes no checkpoints and cannot resume. */
  checkpointFile?: string;
  /** Wall-clock minutes between checkpoints (besides stage ends). Default 5. */
  checkpointMinutes?: number;
  /** Also checkpoint every this many steps (0: off). For tests and very slow steps. */
  checkpointEverySteps?: number;
  /** Writes `<dir>/<prefix>.csv|json|svg` (prefix default `loss`) after every epoch. */
  lossLog?: { dir: string; prefix?: string; title: string };
  /** Stops the run after the current step with an `AbortError`, writing nothing. */
  signal?: AbortSignal;
  callbacks?: readonly TrainerCallback[];
  /** JSON kept in every checkpoint's state beside the trainer's own fields (e.g. the run's config). */
  extraState?: Record<string, unknown>;
  /** What the run is called in errors (`training`, `gan`). Default `training`. */
  name?: string;
  /** Sits between computing and applying each pass's gradients (e.g. averaging across workers). */
  reduceGradients?: GradientReducer;
}

/**
 * What a model's train function (`trainImNet`, `trainLatentGan`) takes besides its data and config;
 * none of it changes the result.
 */
export interface RunOptions extends Pick<TrainerArgs<unknown>, 'checkpointMinutes' | 'checkpointEverySteps' | 'signal' | 'callbacks'> {
  /** Continue from the run's checkpoint (the settings stored with the run win). */
  resume?: boolean;
  /** One line per epoch, stage, checkpoint. Default: none. */
  log?: (line: string) => void;
}

/** The {@link TrainerArgs} that come straight from {@link RunOptions}. */
export function trainerOptions(options: RunOptions): Pick<TrainerArgs<unknown>, 'checkpointMinutes' | 'checkpointEverySteps' | 'signal'> {
  return { checkpointMinutes: options.checkpointMinutes, checkpointEverySteps: options.checkpointEverySteps, signal: options.signal };
}

/** The trainer's part of a checkpoint's state. */
export interface TrainerState {
  position: TrainingPosition;
  /** Steps done in the whole run. */
  globalStep: number;
  /** Each optimizer's update count, in the module's order. */
  optimizerSteps: number[];
  /** Per loss name, the sum over the current epoch's finished steps. */
  epochSums: Record<string, number>;
  epochSteps: number;
  rows: LossRow[];
  /** Wall-clock seconds of the run so far, summed across resumes. */
  elapsedSeconds: number;
  /**
   * Process CPU seconds (user + system, every thread: data-parallel workers are threads of this
   * process) of the run's loops so far, summed across resumes. Checkpoints written before it was
   * recorded lack it; such a run counts from its resume.
   */
  cpuSeconds?: number;
}

/** What {@link Trainer.fit} ends with. */
export interface TrainerResult {
  rows: LossRow[];
  globalStep: number;
  /** True when a callback stopped the run before its last step. */
  stopped: boolean;
}

/**
 * One step: every pass of `module` on `batch` (compute gradients, reduce, apply), each pass's loss
 * read back. Resolves to the losses by pass name (a repeated name keeps its last pass).
 */
export async function trainStep<Batch>(module: TrainingModule<Batch>, batch: Batch, reduce?: GradientReducer): Promise<Record<string, number>> {
  const metrics: Record<string, number> = {};
  for (let pass = 0; pass < module.passes.length; pass++) {
    const computed = module.computeGradients(batch, pass);
    let reduced: Gradients | null = null;
    try {
      reduced = reduce ? await reduce(computed, pass) : computed;
      module.applyGradients(reduced.grads, pass);
      metrics[module.passes[pass]] = (await reduced.loss.data())[0];
    } finally {
      const kept = new Set<tf.Tensor>([computed.loss, ...Object.values(computed.grads)]);
      if (reduced && reduced !== computed) for (const t of [reduced.loss, ...Object.values(reduced.grads)]) if (!kept.has(t)) t.dispose();
      tf.dispose([...kept]);
    }
  }
  return metrics;
}

export class Trainer<Batch> {
  private state: TrainerState;
  private readonly lossNames: string[];
  private stopRequested = false;
  private sessionStart = performance.now();
  private sessionCpu = process.cpuUsage();
  private lastCheckpoint = performance.now();
  private resumed = false;

  constructor(private readonly args: TrainerArgs<Batch>) {
    this.lossNames = [...new Set(args.module.passes)];
    this.state = {
      position: { stage: 0, epoch: 0, step: 0 }, globalStep: 0, optimizerSteps: args.module.optimizers.map(() => 0),
      epochSums: {}, epochSteps: 0, rows: [], elapsedSeconds: 0,
    };
  }

  /** Where the run is. */
  get position(): TrainingPosition {
    return { ...this.state.position };
  }

  get globalStep(): number {
    return this.state.globalStep;
  }

  /** The loss log so far. */
  get rows(): readonly LossRow[] {
    return this.state.rows;
  }

  /** Wall-clock seconds of the run, across resumes. */
  elapsedSeconds(): number {
    return this.state.elapsedSeconds + (performance.now() - this.sessionStart) / 1000;
  }

  /** Process CPU seconds of the run (all threads), across resumes; see {@link TrainerState.cpuSeconds}. */
  cpuSeconds(): number {
    const used = process.cpuUsage(this.sessionCpu);
    return (this.state.cpuSeconds ?? 0) + (used.user + used.system) / 1e6;
  }

  /** Ends the run after the current step (from a callback): it checkpoints and `fit` resolves with `stopped`. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Continues from the checkpoint file: variables, optimizer moments and step counts, position and
   * loss rows. Returns the checkpoint's whole state (the trainer's fields and `extraState`'s).
   */
  resume(): TrainerState & Record<string, unknown> {
    const file = this.requireCheckpointFile('resume');
    const { state, tensors } = readCheckpoint<TrainerState & Record<string, unknown>>(file);
    const { module } = this.args;
    for (const { name, variable } of module.variables) {
      const saved = tensors.get(name);
      if (!saved) throw new Error(`${file}: missing tensor ${name}`);
      if (saved.values.length !== variable.size) throw new Error(`${file}: ${name} has ${saved.values.length} values; this run's model expects ${variable.size}`);
      tf.tidy(() => variable.assign(tf.tensor(saved.values, variable.shape)));
    }
    if (state.optimizerSteps?.length !== module.optimizers.length) {
      throw new Error(`${file}: state for ${state.optimizerSteps?.length ?? 0} optimizers; this run's model has ${module.optimizers.length}`);
    }
    const moments = new Map([...tensors].map(([k, t]) => [k, t.values]));
    module.optimizers.forEach((optimizer, i) => optimizer.restore(state.optimizerSteps[i], moments));
    this.state = {
      position: state.position, globalStep: state.globalStep, optimizerSteps: state.optimizerSteps,
      epochSums: state.epochSums, epochSteps: state.epochSteps, rows: state.rows, elapsedSeconds: state.elapsedSeconds,
      cpuSeconds: state.cpuSeconds ?? 0,
    };
    this.resumed = true;
    return state;
  }

  /**
   * After {@link resume} of a run that finished its stages, when the data's last stage has since been
   * given more epochs than the run trained (counted from its loss rows): moves the position back to
   * the end of the epochs it trained, so `fit` trains the added ones. Batches depend only on their
   * position, so these are the epochs a run planned that long from the start would have trained.
   * Returns whether the run was reopened.
   */
  reopenLastStage(): boolean {
    const stages = this.args.data.stages;
    const last = stages.length - 1;
    if (this.state.position.stage < stages.length) return false;
    const trained = this.state.rows.filter((row) => row.stage === stages[last].name).length;
    if (trained >= stages[last].epochs) return false;
    this.state.position = { stage: last, epoch: trained, step: 0 };
    return true;
  }

  /** Writes a checkpoint now. */
  async saveCheckpoint(): Promise<void> {
    const file = this.requireCheckpointFile('checkpoint');
    const { module } = this.args;
    const tensors: CheckpointTensor[] = [];
    for (const { name, variable } of module.variables) tensors.push({ name, shape: variable.shape, values: (await variable.data()) as Float32Array });
    for (const optimizer of module.optimizers) {
      for (const { name, tensor } of optimizer.stateTensors()) tensors.push({ name, shape: tensor.shape, values: (await tensor.data()) as Float32Array });
    }
    this.state.optimizerSteps = module.optimizers.map((o) => o.step);
    writeCheckpoint(file, { ...this.args.extraState, ...this.state, elapsedSeconds: this.elapsedSeconds(), cpuSeconds: this.cpuSeconds() }, tensors);
    this.lastCheckpoint = performance.now();
  }

  /** Runs from the current position to the end of the last stage (or until a callback stops it). */
  async fit(): Promise<TrainerResult> {
    const { module, data, signal } = this.args;
    const name = this.args.name ?? 'training';
    const stages = data.stages;
    const state = this.state;
    // The clocks count from here (a resume's earlier sessions are in state, from the checkpoint).
    this.sessionStart = performance.now();
    this.sessionCpu = process.cpuUsage();
    this.lastCheckpoint = this.sessionStart;
    this.stopRequested = false;
    await this.emit((c) => c.onTrainBegin?.({ position: { ...state.position }, globalStep: state.globalStep, resumed: this.resumed, ...this.clock() }));
    const checkpointMs = (this.args.checkpointMinutes ?? DEFAULT_CHECKPOINT_MINUTES) * 60_000;
    const everySteps = this.args.checkpointEverySteps ?? 0;
    const start = { ...state.position };
    run: for (let si = start.stage; si < stages.length; si++) {
      const stage = stages[si];
      for (let epoch = si === start.stage ? start.epoch : 0; epoch < stage.epochs; epoch++) {
        const steps = data.steps(si, epoch);
        const point: RunPoint = { stageIndex: si, stageCount: stages.length, stage: stage.name, epoch: epoch + 1, epochs: stage.epochs };
        for (let k = si === start.stage && epoch === start.epoch ? start.step : 0; k < steps; k++) {
          const started = performance.now();
          const batch = await data.batch({ stage: si, epoch, step: k });
          const metrics = await trainStep(module, batch, this.args.reduceGradients);
          const seconds = (performance.now() - started) / 1000;
          if (!Object.values(metrics).every(Number.isFinite)) {
            throw new Error(`${name} diverged: ${Object.entries(metrics).map(([n, v]) => `${n} ${v}`).join(', ')} at global step ${state.globalStep + 1}; try a lower --lr`);
          }
          state.globalStep++;
          for (const n of this.lossNames) state.epochSums[n] = (state.epochSums[n] ?? 0) + metrics[n];
          state.epochSteps++;
          state.position = { stage: si, epoch, step: k + 1 };
          const samples = data.sampleCount?.(batch) ?? 1;
          const event: StepEnd = { ...point, step: k + 1, steps, globalStep: state.globalStep, metrics, seconds, samplesPerSecond: samples / seconds, ...this.clock() };
          await this.emit((c) => c.onStepEnd?.(event));
          throwIfAborted(signal, `${name} stopped at global step ${state.globalStep}`);
          if (k + 1 === steps) await this.endEpoch(point);
          if ((everySteps > 0 && state.globalStep % everySteps === 0) || performance.now() - this.lastCheckpoint > checkpointMs) {
            await this.checkpoint('cadence');
          }
          if (this.stopRequested) break run;
        }
        // A checkpoint taken after an epoch's last step but before its row (or an epoch of no steps).
        if (state.position.stage === si && state.position.epoch === epoch) await this.endEpoch(point);
      }
      state.position = { stage: si + 1, epoch: 0, step: 0 };
      await this.checkpoint('stage');
      await this.emit((c) => c.onStageEnd?.({ stageIndex: si, stage: stage.name, globalStep: state.globalStep }));
    }
    if (this.stopRequested) await this.checkpoint('cadence');
    await this.emit((c) => c.onTrainEnd?.({ globalStep: state.globalStep, stopped: this.stopRequested }));
    return { rows: state.rows, globalStep: state.globalStep, stopped: this.stopRequested };
  }

  /** The run's clocks for an event. */
  private clock(): RunClock {
    return { elapsedSeconds: this.elapsedSeconds(), cpuSeconds: this.cpuSeconds() };
  }

  private async endEpoch(point: RunPoint): Promise<void> {
    const state = this.state;
    const [main, ...others] = this.lossNames;
    const mean = (n: string): number => (state.epochSums[n] ?? 0) / Math.max(state.epochSteps, 1);
    const row: LossRow = {
      epoch: state.rows.length + 1, stage: point.stage, stageEpoch: point.epoch, step: state.globalStep,
      loss: mean(main), ...(others.length ? { extra: Object.fromEntries(others.map((n) => [n, mean(n)])) } : {}), seconds: this.elapsedSeconds(), cpuSeconds: this.cpuSeconds(),
    };
    state.rows.push(row);
    state.epochSums = {};
    state.epochSteps = 0;
    state.position = { stage: point.stageIndex, epoch: point.epoch, step: 0 };
    const log = this.args.lossLog;
    if (log) writeLossLog(log.dir, log.prefix ?? 'loss', state.rows, log.title, ['loss', ...others]);
    const event: EpochEnd = { ...point, row };
    await this.emit((c) => c.onEpochEnd?.(event));
  }

  private async checkpoint(reason: 'cadence' | 'stage'): Promise<void> {
    if (!this.args.checkpointFile) return;
    await this.saveCheckpoint();
    await this.emit((c) => c.onCheckpoint?.({ globalStep: this.state.globalStep, reason }));
  }

  private async emit(call: (callback: TrainerCallback) => void | Promise<void>): Promise<void> {
    for (const callback of this.args.callbacks ?? []) await call(callback);
  }

  private requireCheckpointFile(what: string): string {
    if (!this.args.checkpointFile) throw new TypeError(`Trainer: ${what} needs a checkpointFile`);
    return this.args.checkpointFile;
  }
}
