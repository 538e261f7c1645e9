/**
 * Data-parallel training on worker threads: a {@link TrainingModule} wrapper that the Trainer runs
 * like any module, with its `reduce` in the Trainer's `reduceGradients` slot.
 *
 * Replica 0 is the wrapped module on this thread; replicas 1..N-1 are copies built on worker threads
 * (a WorkerPool running replicaWorker.ts; each with its own tfjs backend instance: tfjs-wasm runs one
 * thread per instance in Node). Each
 * step the batch is split into N weighted shares (`split`); every replica computes its share's loss
 * and gradients at the same time; the gradients meet in one SharedArrayBuffer, where this thread
 * forms the weighted sum (replica 0 first, then 1, 2, ... so the float order never changes); and
 * every replica applies that same sum with its own optimizer, so all replicas hold identical weights
 * and moments. A checkpoint is replica 0's state; the replicas are synced from it before their first
 * step (after a resume, too), so a run resumed with the same worker count is bit-identical to one that
 * never stopped.
 */
import * as tf from '@tensorflow/tfjs';
import { WorkerPool } from '../util/workerPool.js';
import type { Adam, NamedVariable } from '../nn/Adam.js';
import type { BackendPreference } from '../nn/backend.js';
import type { Gradients, TrainingModule } from './TrainingModule.js';
import { siblingModule } from '../util/siblingModule.js';

/** How a worker builds its replica: a module (file URL) whose export `name` (default `createReplica`) takes `args` and returns a TrainingModule. */
export interface ReplicaFactory {
  url: string;
  name?: string;
  /** Structured-cloneable arguments of the factory function. */
  args: unknown;
}

/** One replica's part of a batch and its weight in the mean (its share of the batch's loss terms). */
export interface BatchShare<Batch> {
  batch: Batch;
  weight: number;
}

/** Options of {@link DataParallel.start}. */
export interface DataParallelArgs<Batch> {
  /** Replica 0, trained on this thread (its variables and optimizers are what checkpoints hold). */
  module: TrainingModule<Batch>;
  /** Replicas in all, this thread included (>= 2). */
  replicas: number;
  /** How workers build replicas 1..N-1; they must match `module`'s variables (names and sizes) and optimizers. */
  factory: ReplicaFactory;
  /** Splits a batch into at most `parts` shares whose weights sum to 1 (structured-cloneable batches). */
  split: (batch: Batch, parts: number) => BatchShare<Batch>[];
  /** The tfjs backend the workers load (the one this thread uses). */
  backend: BackendPreference;
}

/** What every replica worker is given once (WorkerPool's `shared`). */
export interface ReplicaShared {
  factory: ReplicaFactory;
  backend: BackendPreference;
  /** One slot of `total` floats per worker, in worker order. */
  gradients: SharedArrayBuffer;
  /** The summed gradients every replica applies. */
  reduced: SharedArrayBuffer;
  /** Each variable's size, in the module's order. */
  sizes: number[];
}

/** Replica 0's variables and optimizer state, for a replica to take over. */
export interface ReplicaState {
  variables: Float32Array[];
  optimizers: { step: number; state: [string, Float32Array][] }[];
}

/**
 * Tasks of a replica worker, run in order on each worker. A step is one task: take replica 0's state
 * (when it changed), apply the last step's summed gradients, then compute this step's share. One
 * task per step matters: the pool sends a worker's next task only after its last one's reply reaches
 * this thread, which cannot happen while this thread computes its own share.
 */
export type ReplicaRequest =
  | { type: 'init'; slot: number }
  | { type: 'step'; sync: ReplicaState | null; apply: { pass: number; present: boolean[] } | null; compute: { pass: number; batch: unknown } | null }
  | { type: 'read' };

/** A worker's replies. */
export type ReplicaReply =
  | { type: 'ready' }
  | { type: 'stepped'; computed: { loss: number; present: boolean[] } | null }
  | { type: 'variables'; variables: Float32Array[] };

export class DataParallel<Batch> implements TrainingModule<Batch> {
  readonly passes: readonly string[];
  private readonly sizes: number[];
  private readonly offsets: number[];
  private readonly total: number;
  private readonly gradientBuffer: SharedArrayBuffer;
  private readonly reducedBuffer: SharedArrayBuffer;
  private synced = false;
  /** What the workers still have to take before their next share: replica 0's state, the last summed gradients. */
  private pendingSync: ReplicaState | null = null;
  private pendingApply: { pass: number; present: boolean[] } | null = null;
  /** This step's worker replies. */
  private computing: Promise<ReplicaReply>[] = [];
  private weights: number[] = [];

  private readonly pool: WorkerPool<ReplicaRequest, ReplicaReply>;
  private readonly workerCount: number;

  private constructor(private readonly args: DataParallelArgs<Batch>) {
    this.passes = args.module.passes;
    this.sizes = args.module.variables.map((v) => v.variable.size);
    this.offsets = [];
    let offset = 0;
    for (const size of this.sizes) {
      this.offsets.push(offset);
      offset += size;
    }
    this.total = offset;
    this.workerCount = args.replicas - 1;
    this.gradientBuffer = new SharedArrayBuffer(4 * this.total * this.workerCount);
    this.reducedBuffer = new SharedArrayBuffer(4 * this.total);
    const shared: ReplicaShared = { factory: args.factory, backend: args.backend, gradients: this.gradientBuffer, reduced: this.reducedBuffer, sizes: this.sizes };
    this.pool = new WorkerPool({ module: siblingModule('replicaWorker', import.meta.url), size: this.workerCount, shared });
  }

  /** Starts `replicas - 1` workers and builds their replicas. */
  static async start<Batch>(args: DataParallelArgs<Batch>): Promise<DataParallel<Batch>> {
    if (!Number.isInteger(args.replicas) || args.replicas < 2) throw new RangeError(`DataParallel: expected at least 2 replicas, got ${args.replicas}`);
    const parallel = new DataParallel(args);
    try {
      await Promise.all(Array.from({ length: parallel.workerCount }, (_, slot) => parallel.request(slot, { type: 'init', slot })));
    } catch (error) {
      await parallel.dispose();
      throw error;
    }
    return parallel;
  }

  /** A task for worker `slot` (replica `slot + 1`); its failure names the replica. */
  private request(slot: number, message: ReplicaRequest): Promise<ReplicaReply> {
    const reply = this.pool.runOn(slot, message).catch((error: Error) => {
      // A replica's state lives in its worker: any failure (a throw, a crash) ends the run.
      throw new Error(`training replica ${slot + 1}: ${error.message}`);
    });
    // Marked handled here, awaited later: an unhandled rejection would crash the process (tfjs-wasm's
    // Emscripten glue rethrows them), where this failure belongs to whoever awaits the step.
    reply.catch(() => {});
    return reply;
  }

  get variables(): readonly NamedVariable[] {
    return this.args.module.variables;
  }

  get optimizers(): readonly Adam[] {
    return this.args.module.optimizers;
  }

  /** Replicas in all, this thread included. */
  get replicas(): number {
    return this.workerCount + 1;
  }

  /**
   * Marks the workers' replicas stale: they are sent this thread's variables and optimizer state
   * before the next step. Needed after changing replica 0 from outside (a restore); the first step
   * syncs anyway.
   */
  invalidate(): void {
    this.synced = false;
  }

  /** Sends the workers their shares and computes this thread's; `reduce` gathers the rest. */
  computeGradients(batch: Batch, pass: number): Gradients {
    if (!this.synced) this.sync();
    const shares = this.args.split(batch, this.replicas);
    this.weights = shares.map((s) => s.weight);
    this.computing = Array.from({ length: this.workerCount }, (_, i) => this.request(i, {
      type: 'step', sync: this.pendingSync, apply: this.pendingApply,
      compute: i + 1 < shares.length ? { pass, batch: shares[i + 1].batch } : null,
    }));
    this.pendingSync = null;
    this.pendingApply = null;
    return this.args.module.computeGradients(shares[0].batch, pass);
  }

  /** The Trainer's `reduceGradients`: the weighted sum of every replica's loss and gradients. */
  readonly reduce = async (own: Gradients, pass: number): Promise<Gradients> => {
    void pass; // one reduction for every pass
    const replies = (await Promise.all(this.computing)).map((reply, r) => {
      if (reply.type !== 'stepped') throw new Error(`training replica ${r + 1}: expected a step's result, got '${reply.type}'`);
      return reply.computed;
    });
    const variables = this.args.module.variables;
    const reduced = new Float32Array(this.reducedBuffer);
    const present = variables.map(({ variable }, i) => own.grads[variable.name] !== undefined || replies.some((r) => r?.present[i]));
    let loss = this.weights[0] * (await own.loss.data())[0];
    variables.forEach(({ variable }, i) => {
      const out = reduced.subarray(this.offsets[i], this.offsets[i] + this.sizes[i]);
      const g = own.grads[variable.name];
      if (g) {
        const values = g.dataSync() as Float32Array;
        const w = this.weights[0];
        for (let k = 0; k < out.length; k++) out[k] = w * values[k];
      } else {
        out.fill(0);
      }
    });
    replies.forEach((reply, r) => {
      if (!reply) return;
      const w = this.weights[r + 1];
      loss += w * reply.loss;
      const slot = new Float32Array(this.gradientBuffer, 4 * this.total * r, this.total);
      variables.forEach((_, i) => {
        if (!reply.present[i]) return;
        const out = reduced.subarray(this.offsets[i], this.offsets[i] + this.sizes[i]);
        const values = slot.subarray(this.offsets[i], this.offsets[i] + this.sizes[i]);
        for (let k = 0; k < out.length; k++) out[k] += w * values[k];
      });
    });
    const grads: tf.NamedTensorMap = {};
    variables.forEach(({ variable }, i) => {
      if (present[i]) grads[variable.name] = tf.tensor(reduced.subarray(this.offsets[i], this.offsets[i] + this.sizes[i]), variable.shape);
    });
    return { loss: tf.scalar(loss), grads };
  };

  /** Applies the summed gradients here; the workers apply the same (from the shared buffer) at the start of their next task. */
  applyGradients(grads: tf.NamedTensorMap, pass: number): void {
    this.pendingApply = { pass, present: this.args.module.variables.map(({ variable }) => grads[variable.name] !== undefined) };
    this.args.module.applyGradients(grads, pass);
  }

  /** A worker replica's variables, once it has taken every update (tests: replicas stay identical to replica 0). */
  async replicaVariables(replica: number): Promise<Float32Array[]> {
    if (!Number.isInteger(replica) || replica < 1 || replica > this.workerCount) throw new RangeError(`replicaVariables: replica ${replica} does not exist (1..${this.workerCount})`);
    await this.flush();
    const reply = await this.request(replica - 1, { type: 'read' });
    if (reply.type !== 'variables') throw new Error(`training replica ${replica}: expected variables, got '${reply.type}'`);
    return reply.variables;
  }

  /** Stops the workers (this thread's module stays; its owner disposes it). */
  async dispose(): Promise<void> {
    await Promise.allSettled(this.computing);
    this.computing = [];
    await this.pool.close();
  }

  /** Hands the workers what they still have to take (state, the last update), computing nothing. */
  private async flush(): Promise<void> {
    await Promise.all(this.computing);
    if (!this.pendingSync && !this.pendingApply) return;
    const task: ReplicaRequest = { type: 'step', sync: this.pendingSync, apply: this.pendingApply, compute: null };
    this.pendingSync = null;
    this.pendingApply = null;
    this.computing = Array.from({ length: this.workerCount }, (_, i) => this.request(i, task));
    await Promise.all(this.computing);
  }

  private sync(): void {
    this.pendingSync = {
      variables: this.args.module.variables.map(({ variable }) => Float32Array.from(variable.dataSync() as Float32Array)),
      optimizers: this.args.module.optimizers.map((o) => ({
        step: o.step,
        state: o.stateTensors().map(({ name, tensor }) => [name, Float32Array.from(tensor.dataSync() as Float32Array)] as [string, Float32Array]),
      })),
    };
    // The state supersedes any update not yet taken.
    this.pendingApply = null;
    this.synced = true;
  }
}
