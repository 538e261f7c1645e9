/**
 * One worker pool for the toolkit's parallel work: a fixed number of worker threads, each running the
 * same task module, one task at a time per worker.
 *
 * Main thread:
 *
 *     const pool = new WorkerPool<Task, Result>({ module: new URL('./myTasks.ts', import.meta.url), size: 4, shared });
 *     const result = await pool.run(task);          // the next free worker
 *     const replica = await pool.runOn(2, task);    // worker 2 (workers that keep state, e.g. a model replica)
 *     await pool.close();
 *
 *     // or, for a list of independent tasks (0 jobs runs them on this thread):
 *     await mapTasks(tasks, { jobs, module, shared, inline: handler }, (outcome) => ...);
 *
 * Task module (runs in each worker):
 *
 *     serveTasks<Task, Result>((task) => handler(task, sharedData<Shared>()), { describeError, transfer });
 *
 * - `shared` is sent to each worker once (structured clone; a SharedArrayBuffer is shared, not copied):
 *   the settings of a prepare run, the descriptor table of a pairwise distance matrix, the weights
 *   of a model replica.
 * - A task whose handler throws rejects with a `WorkerTaskError` carrying `describeError(error)`
 *   (error classes do not survive the thread boundary, so the worker describes them). A worker that
 *   dies (out of memory, a crash) rejects only the task it held, with a `WorkerCrashError`, and is
 *   replaced before its next task.
 * - Uses: `imnet prepare` (one shape per task, data/prepare/shapePool.ts); data-parallel training
 *   (each worker a replica: `runOn(i, shard)` computes gradients, the trainer's `reduceGradients`
 *   averages them); pairwise distance matrices (one block of rows per task, the descriptors shared).
 */
import { parentPort, Worker, workerData, type TransferListItem } from 'node:worker_threads';

/** Main thread to worker. */
interface TaskMessage {
  id: number;
  task: unknown;
}

/** Worker to main thread. */
type ReplyMessage = { id: number; ok: true; result: unknown } | { id: number; ok: false; reason: string };

/** What a worker is given at start. */
interface PoolWorkerData {
  module: string;
  shared: unknown;
}

/** A task whose handler threw; `reason` is the worker's description of the error. */
export class WorkerTaskError extends Error {
  override readonly name = 'WorkerTaskError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A worker that died while it held a task. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
}

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** The task module each worker loads (it calls {@link serveTasks}). */
  module: URL;
  /** Worker threads, at least 1. */
  size: number;
  /** Given to every worker once, read there with {@link sharedData}. */
  shared?: unknown;
}

interface Slot {
  worker: Worker | null;
  /** Resolves when the slot's last task is done: tasks on one worker run one after another. */
  idle: Promise<void>;
  /** Tasks given to this worker and not done. */
  pending: number;
}

const ENTRY = new URL('./worker.mjs', import.meta.url);

export class WorkerPool<Task, Result> {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError(`WorkerPool: size ${options.size}; expected an integer >= 1`);
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, idle: Promise.resolve(), pending: 0 }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs `task` on the next free worker. `transfer` moves buffers instead of copying them. */
  async run(task: Task, transfer: readonly TransferListItem[] = []): Promise<Result> {
    let index = this.slots.findIndex((s) => s.pending === 0);
    while (index < 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      index = this.slots.findIndex((s) => s.pending === 0);
    }
    return this.runOn(index, task, transfer);
  }

  /** Runs `task` on worker `index` (after the tasks it already holds). */
  async runOn(index: number, task: Task, transfer: readonly TransferListItem[] = []): Promise<Result> {
    if (this.closed) throw new Error('WorkerPool: closed');
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`WorkerPool: worker ${index}; the pool has ${this.slots.length}`);
    const previous = slot.idle;
    const wasIdle = slot.pending === 0;
    let done!: () => void;
    slot.idle = new Promise<void>((resolve) => (done = resolve));
    slot.pending++;
    // An idle worker gets the task now, synchronously: a caller that goes on computing on this thread
    // (a data-parallel step) would otherwise hold the message back until it yields.
    if (!wasIdle) await previous;
    try {
      return await this.send(slot, task, transfer);
    } finally {
      slot.pending--;
      done();
      this.waiting.shift()?.();
    }
  }

  /** Waits for running tasks, then stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map(async (slot) => {
      await slot.idle;
      await slot.worker?.terminate();
      slot.worker = null;
    }));
  }

  /** The slot's worker, started on first use and again after one died. */
  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const data: PoolWorkerData = { module: this.options.module.href, shared: this.options.shared };
    const worker = new Worker(ENTRY, { workerData: data });
    // A worker that dies between tasks is replaced before the next one.
    worker.once('exit', () => {
      if (slot.worker === worker) slot.worker = null;
    });
    slot.worker = worker;
    return worker;
  }

  private send(slot: Slot, task: Task, transfer: readonly TransferListItem[]): Promise<Result> {
    const worker = this.workerOf(slot);
    const id = this.nextId++;
    return new Promise<Result>((resolve, reject) => {
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: ReplyMessage): void => {
        if (reply.id !== id) return;
        cleanup();
        if (reply.ok) resolve(reply.result as Result);
        else reject(new WorkerTaskError(reply.reason));
      };
      const crashed = (reason: string): void => {
        cleanup();
        slot.worker = null;
        reject(new WorkerCrashError(reason));
      };
      const onError = (error: Error): void => {
        void worker.terminate();
        crashed(`worker crashed: ${error.name}: ${error.message}`);
      };
      const onExit = (code: number): void => crashed(`worker exited with code ${code} while running a task`);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ id, task } satisfies TaskMessage, transfer);
    });
  }
}

/** A task's outcome in {@link mapTasks}: its result, or why it failed. */
export interface TaskOutcome<Task, Result> {
  task: Task;
  result?: Result;
  /** The handler's error as `describeError` put it, or how the worker died. */
  reason?: string;
}

/** Options of {@link mapTasks}. */
export interface MapTasksOptions<Task, Result> extends Omit<WorkerPoolOptions, 'size'> {
  /** Worker threads; 0 runs `inline` on this thread, one task after another. */
  jobs: number;
  /** The handler on this thread (for `jobs: 0`): the same function the task module serves. */
  inline: (task: Task) => Promise<Result> | Result;
  /** How a handler's error becomes a reason on this thread (the task module passes the same to serveTasks). */
  describeError?: (error: unknown) => string;
}

/**
 * Runs every task and awaits `onOutcome` for each (in completion order) before resolving. A failed
 * task is an outcome with a reason, not an error: the others go on.
 */
export async function mapTasks<Task, Result>(
  tasks: readonly Task[], options: MapTasksOptions<Task, Result>, onOutcome: (outcome: TaskOutcome<Task, Result>) => void | Promise<void>,
): Promise<void> {
  const describe = options.describeError ?? describeError;
  if (options.jobs <= 0) {
    for (const task of tasks) {
      let outcome: TaskOutcome<Task, Result>;
      try {
        outcome = { task, result: await options.inline(task) };
      } catch (error) {
        outcome = { task, reason: describe(error) };
      }
      await onOutcome(outcome);
    }
    return;
  }
  const pool = new WorkerPool<Task, Result>({ module: options.module, size: Math.min(options.jobs, Math.max(tasks.length, 1)), shared: options.shared });
  try {
    await Promise.all(tasks.map(async (task) => {
      let outcome: TaskOutcome<Task, Result>;
      try {
        outcome = { task, result: await pool.run(task) };
      } catch (error) {
        if (!(error instanceof WorkerTaskError || error instanceof WorkerCrashError)) throw error;
        outcome = { task, reason: error instanceof WorkerTaskError ? error.reason : error.message };
      }
      await onOutcome(outcome);
    }));
  } finally {
    await pool.close();
  }
}

/** The default description of a handler's error: `Name: message`. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Options of {@link serveTasks}. */
export interface ServeOptions<Result> {
  /** How a handler's error is described to the main thread. Default `Name: message`. */
  describeError?: (error: unknown) => string;
  /** Buffers of a result to move rather than copy. */
  transfer?: (result: Result) => TransferListItem[];
}

/** In a pool's task module: answers each task with `handler`'s result (one task at a time). */
export function serveTasks<Task, Result>(handler: (task: Task) => Promise<Result> | Result, options: ServeOptions<Result> = {}): void {
  if (!parentPort) throw new Error('serveTasks: not in a worker thread (load the module through a WorkerPool)');
  const port = parentPort;
  const describe = options.describeError ?? describeError;
  port.on('message', async ({ id, task }: TaskMessage) => {
    let result: Result;
    try {
      result = await handler(task as Task);
    } catch (error) {
      port.postMessage({ id, ok: false, reason: describe(error) } satisfies ReplyMessage);
      return;
    }
    port.postMessage({ id, ok: true, result } satisfies ReplyMessage, options.transfer?.(result) ?? []);
  });
}

/** In a pool's task module: the pool's `shared` value. */
export function sharedData<Shared>(): Shared {
  return (workerData as PoolWorkerData).shared as Shared;
}
