/**
 * Data-parallel training on worker threads: a {@link TrainingModule} wrapper that the Trainer runs
 * like any module, with its `reduce` in the Trainer's `reduceGradients` slot.
 *
 * Replica 0 is the wrapped module on this thread; replicas 1..N-1 are copies built on worker threads
 * (each with its own tfjs backend instance: tfjs-wasm runs one thread per instance in Node). Each
 * step the batch is split into N weighted shares (`split`); every replica computes its share's loss
 * and gradients at the same time; the gradients meet in one SharedArrayBuffer, where this thread
 * forms the weighted sum (replica 0 first, then 1, 2, ... so the float order never changes); and
 * every replica applies that same sum with its own optimizer, so all replicas hold identical weights
 * and moments. A checkpoint is replica 0's state; the replicas are synced from it before their first
 * step (after a resume, too), so a run resumed with the same worker count is bit-identical to one that
 * never stopped.
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { Adam, NamedVariable } from '../nn/Adam.js';
import type { BackendPreference } from '../nn/backend.js';
import type { Gradients, TrainingModule } from './TrainingModule.js';

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

/** Messages to a replica worker. */
export type ReplicaRequest =
  | { type: 'init'; factory: ReplicaFactory; backend: BackendPreference; gradients: SharedArrayBuffer; slot: number; reduced: SharedArrayBuffer; sizes: number[] }
  | { type: 'sync'; variables: Float32Array[]; optimizers: { step: number; state: [string, Float32Array][] }[] }
  | { type: 'compute'; pass: number; batch: unknown }
  | { type: 'apply'; pass: number; present: boolean[] }
  | { type: 'read' };

/** A worker's replies, in request order. */
export type ReplicaReply =
  | { type: 'ready' }
  | { type: 'synced' }
  | { type: 'computed'; loss: number; present: boolean[] }
  | { type: 'applied' }
  | { type: 'variables'; variables: Float32Array[] }
  | { type: 'error'; message: string };

/** A worker thread holding one replica, answering requests in order. */
class ReplicaWorker {
  private readonly worker: Worker;
  private readonly waiting: { resolve: (reply: ReplicaReply) => void; reject: (error: Error) => void }[] = [];
  private failure: Error | null = null;

  constructor(readonly index: number) {
    this.worker = new Worker(new URL('./replicaWorker.mjs', import.meta.url));
    this.worker.on('message', (reply: ReplicaReply) => {
      const next = this.waiting.shift();
      if (!next) return;
      if (reply.type === 'error') next.reject(new Error(`training replica ${index}: ${reply.message}`));
      else next.resolve(reply);
    });
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.worker.on('error', (error) => fail(new Error(`training replica ${index} crashed: ${error.message}`)));
    this.worker.on('exit', (code) => fail(new Error(`training replica ${index} exited (code ${code})`)));
  }

  /** Sends a request; resolves to its reply (replies come in request order). */
  request(message: ReplicaRequest): Promise<ReplicaReply> {
    if (this.failure) return Promise.reject(this.failure);
    const reply = new Promise<ReplicaReply>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(message);
    return reply;
  }

  async terminate(): Promise<void> {
    this.failure ??= new Error(`training replica ${this.index} was stopped`);
    await this.worker.terminate();
  }
}

export class DataParallel<Batch> implements TrainingModule<Batch> {
  readonly passes: readonly string[];
  private readonly sizes: number[];
  private readonly offsets: number[];
  private readonly total: number;
  private readonly gradientBuffer: SharedArrayBuffer;
  private readonly reducedBuffer: SharedArrayBuffer;
  private synced = false;
  /** This step's worker replies (compute) and the last step's apply acknowledgements. */
  private computing: (Promise<ReplicaReply> | null)[] = [];
  private applying: Promise<ReplicaReply | null>[] = [];
  private weights: number[] = [];
  /** The first failure of a request nobody awaited yet (apply, sync), thrown by the next `reduce`. */
  private deferredFailure: Error | null = null;

  private constructor(private readonly args: DataParallelArgs<Batch>, private readonly workers: ReplicaWorker[]) {
    this.passes = args.module.passes;
    this.sizes = args.module.variables.map((v) => v.variable.size);
    this.offsets = [];
    let offset = 0;
    for (const size of this.sizes) {
      this.offsets.push(offset);
      offset += size;
    }
    this.total = offset;
    this.gradientBuffer = new SharedArrayBuffer(4 * this.total * workers.length);
    this.reducedBuffer = new SharedArrayBuffer(4 * this.total);
  }

  /** Starts `replicas - 1` workers and builds their replicas. */
  static async start<Batch>(args: DataParallelArgs<Batch>): Promise<DataParallel<Batch>> {
    if (!Number.isInteger(args.replicas) || args.replicas < 2) throw new RangeError(`DataParallel: expected at least 2 replicas, got ${args.replicas}`);
    const workers = Array.from({ length: args.replicas - 1 }, (_, i) => new ReplicaWorker(i + 1));
    const parallel = new DataParallel(args, workers);
    try {
      await Promise.all(workers.map((w, slot) => w.request({
        type: 'init', factory: args.factory, backend: args.backend,
        gradients: parallel.gradientBuffer, slot, reduced: parallel.reducedBuffer, sizes: parallel.sizes,
      })));
    } catch (error) {
      await parallel.dispose();
      throw error;
    }
    return parallel;
  }

  get variables(): readonly NamedVariable[] {
    return this.args.module.variables;
  }

  get optimizers(): readonly Adam[] {
    return this.args.module.optimizers;
  }

  /** Replicas in all, this thread included. */
  get replicas(): number {
    return this.workers.length + 1;
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
    this.computing = this.workers.map((w, i) => (i + 1 < shares.length ? w.request({ type: 'compute', pass, batch: shares[i + 1].batch }) : null));
    return this.args.module.computeGradients(shares[0].batch, pass);
  }

  /** The Trainer's `reduceGradients`: the weighted sum of every replica's loss and gradients. */
  readonly reduce = async (own: Gradients, pass: number): Promise<Gradients> => {
    void pass;
    const [replies] = await Promise.all([Promise.all(this.computing), Promise.all(this.applying)]);
    this.applying = [];
    if (this.deferredFailure) throw this.deferredFailure;
    const variables = this.args.module.variables;
    const reduced = new Float32Array(this.reducedBuffer);
    const present = variables.map(({ variable }, i) => own.grads[variable.name] !== undefined || replies.some((r) => r?.type === 'computed' && r.present[i]));
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
      if (reply.type !== 'computed') throw new Error(`training replica ${r + 1}: expected gradients, got '${reply.type}'`);
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

  /** Applies the summed gradients here and has every worker apply the same (from the shared buffer). */
  applyGradients(grads: tf.NamedTensorMap, pass: number): void {
    const present = this.args.module.variables.map(({ variable }) => grads[variable.name] !== undefined);
    this.applying = this.workers.map((w) => this.deferred(w.request({ type: 'apply', pass, present })));
    this.args.module.applyGradients(grads, pass);
  }

  /** A worker replica's variables (tests: replicas stay identical to replica 0). */
  async replicaVariables(replica: number): Promise<Float32Array[]> {
    const worker = this.workers[replica - 1];
    if (!worker) throw new RangeError(`replicaVariables: replica ${replica} does not exist (1..${this.workers.length})`);
    await Promise.all(this.applying);
    const reply = await worker.request({ type: 'read' });
    if (reply.type !== 'variables') throw new Error(`training replica ${replica}: expected variables, got '${reply.type}'`);
    return reply.variables;
  }

  /** Stops the workers (this thread's module stays; its owner disposes it). */
  async dispose(): Promise<void> {
    await Promise.all(this.applying);
    this.applying = [];
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * A request awaited only later: its failure is kept for the next `reduce` instead of becoming an
   * unhandled rejection (which tfjs-wasm's Emscripten glue turns into a crash).
   */
  private deferred(reply: Promise<ReplicaReply>): Promise<ReplicaReply | null> {
    return reply.catch((error: Error) => {
      this.deferredFailure ??= error;
      return null;
    });
  }

  private sync(): void {
    const variables = this.args.module.variables.map(({ variable }) => Float32Array.from(variable.dataSync() as Float32Array));
    const optimizers = this.args.module.optimizers.map((o) => ({
      step: o.step,
      state: o.stateTensors().map(({ name, tensor }) => [name, Float32Array.from(tensor.dataSync() as Float32Array)] as [string, Float32Array]),
    }));
    // Not awaited here: each worker handles it before the compute request that follows.
    this.applying.push(...this.workers.map((w) => this.deferred(w.request({ type: 'sync', variables, optimizers }))));
    this.synced = true;
  }
}
