/**
 * What the {@link Trainer} drives, after PyTorch Lightning's split: a model (`TrainingModule`: its
 * variables, optimizers and a step as gradient passes) and its data (`BatchSource`: stages, epochs,
 * and a batch for each position). The trainer owns everything else: the loop, resume, checkpoints,
 * the loss log, progress and callbacks.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Adam, NamedVariable } from '../nn/Adam.js';

/** One gradient pass's result: the loss and its gradients, keyed by tfjs variable name (`tf.variableGrads`'s form). */
export interface Gradients {
  loss: tf.Scalar;
  grads: tf.NamedTensorMap;
}

/**
 * A model as the trainer sees it. A step is one or more gradient passes, each split in two so that
 * something can sit between computing gradients and applying them (gradient averaging across workers
 * plugs in there: {@link GradientReducer}). IM-NET has one pass (`['loss']`); the latent GAN has
 * `criticSteps` critic passes, then a generator pass.
 */
export interface TrainingModule<Batch> {
  /** Everything trained, under the stable names checkpoints use. */
  readonly variables: readonly NamedVariable[];
  /** The optimizers whose moments and step count checkpoints keep, in a fixed order. */
  readonly optimizers: readonly Adam[];
  /**
   * The passes of one step, in order, each named by the loss it reports. A name given more than once
   * reports its last pass. The first name is the run's main loss (the loss log's `loss` column).
   */
  readonly passes: readonly string[];
  /** Pass `pass` of the step on `batch`: the loss and the gradients (the caller disposes both). */
  computeGradients(batch: Batch, pass: number): Gradients;
  /** Applies (possibly averaged) gradients of pass `pass`; the caller disposes them. */
  applyGradients(grads: tf.NamedTensorMap, pass: number): void;
}

/**
 * Between `computeGradients` and `applyGradients`: returns the gradients to apply (e.g. the mean over
 * workers). May return its input; tensors it creates are disposed by the trainer after the pass.
 */
export type GradientReducer = (grads: tf.NamedTensorMap, pass: number) => tf.NamedTensorMap | Promise<tf.NamedTensorMap>;

/** A stage of a run: a name (the loss log's `stage`, e.g. `16` or `gan`) and its epochs. */
export interface StageSpec {
  name: string;
  epochs: number;
}

/** Where a run is: stage index, epochs done in that stage, steps done in the current epoch. */
export interface TrainingPosition {
  stage: number;
  epoch: number;
  step: number;
}

/**
 * The data side of a run. `batch` must depend only on the position (every random choice derived
 * from the seed and the position), so a resumed run sees the batches the uninterrupted one saw.
 */
export interface BatchSource<Batch> {
  readonly stages: readonly StageSpec[];
  /** Steps in epoch `epoch` (0-based) of stage `stage`. */
  steps(stage: number, epoch: number): number;
  /** The batch of the step at `position` (its `step` is the step's 0-based index in the epoch). */
  batch(position: TrainingPosition): Promise<Batch> | Batch;
  /** Training samples in `batch`, for the progress rate (e.g. shapes x points). Default 1. */
  sampleCount?(batch: Batch): number;
}
