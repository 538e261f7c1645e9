/** A task module for the worker-pool tests: arithmetic, a thrown error, a dying worker, per-worker state. */
import { threadId } from 'node:worker_threads';
import { serveTasks, sharedData } from '../../../training/util/workerPool.js';

export interface PoolTask {
  op: 'scale' | 'fail' | 'exit' | 'count';
  value: number;
}

export interface PoolResult {
  value: number;
  threadId: number;
}

let count = 0;

/** What the tasks do (the tests also run it on the main thread). */
export function handle(task: PoolTask, scale: number): PoolResult {
  if (task.op === 'fail') throw new RangeError(`value ${task.value} is not allowed`);
  if (task.op === 'exit') process.exit(3);
  if (task.op === 'count') return { value: ++count, threadId };
  return { value: task.value * scale, threadId };
}

// Loaded by a pool: serve. (Imported by the test for `handle`: do nothing.)
if (threadId !== 0) serveTasks<PoolTask, PoolResult>((task) => handle(task, sharedData<{ scale: number }>().scale));
