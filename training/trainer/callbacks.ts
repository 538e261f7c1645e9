/**
 * Trainer callbacks, after tfjs-layers' `BaseCallback`: each hook is optional and may be async (the
 * trainer awaits it before going on). Progress bars, log lines, time budgets and learning-rate
 * schedules are callbacks; the loop itself does not change for them.
 */
import type { LossRow } from './lossLog.js';
import type { TrainingPosition } from './TrainingModule.js';

/** Where a step, epoch or stage sits in the run (1-based counts, for people). */
export interface RunPoint {
  stageIndex: number;
  stageCount: number;
  /** The stage's name (`16`, `gan`, ...). */
  stage: string;
  /** 1-based epoch within the stage, and the stage's epoch count. */
  epoch: number;
  epochs: number;
}

/** The run's clocks so far, summed across resumes (from the trainer's first step of each session). */
export interface RunClock {
  /** Wall-clock seconds. */
  elapsedSeconds: number;
  /** Process CPU seconds, user + system, every thread (data-parallel workers included). */
  cpuSeconds: number;
}

/** After each step. */
export interface StepEnd extends RunPoint, RunClock {
  /** 1-based step within the epoch, and the epoch's step count. */
  step: number;
  steps: number;
  /** Steps done in the whole run (across resumes). */
  globalStep: number;
  /** The step's losses by pass name (`loss`; `critic`, `generator`). */
  metrics: Record<string, number>;
  /** Wall-clock seconds of the step, batch reading included. */
  seconds: number;
  /** Training samples per second in this step. */
  samplesPerSecond: number;
}

/** After each epoch: the loss log's new row. */
export interface EpochEnd extends RunPoint {
  row: LossRow;
}

/** Hooks of a training run. */
export interface TrainerCallback {
  /** Before the first step of this session; `resumed` when it continues a checkpoint. */
  onTrainBegin?(event: { position: TrainingPosition; globalStep: number; resumed: boolean } & RunClock): void | Promise<void>;
  onStepEnd?(event: StepEnd): void | Promise<void>;
  onEpochEnd?(event: EpochEnd): void | Promise<void>;
  /** After a stage's last epoch (and its checkpoint). */
  onStageEnd?(event: { stageIndex: number; stage: string; globalStep: number }): void | Promise<void>;
  /** After a checkpoint was written: on the cadence (`cadence`) or at a stage end (`stage`). */
  onCheckpoint?(event: { globalStep: number; reason: 'cadence' | 'stage' }): void | Promise<void>;
  /** After the last step of this session (the run finished or a callback stopped it). */
  onTrainEnd?(event: { globalStep: number; stopped: boolean }): void | Promise<void>;
}
