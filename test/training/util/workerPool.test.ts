/**
 * The worker pool: results from worker threads, the shared data, a handler's error as a reason, a dead
 * worker failing only its task and being replaced, per-worker state through runOn, and mapTasks giving
 * the same outcomes on workers as on the main thread.
 */
import { mapTasks, WorkerCrashError, WorkerPool, WorkerTaskError, type TaskOutcome } from '../../../training/util/workerPool.js';
import { handle, type PoolResult, type PoolTask } from './poolTasks.js';

const module = new URL('./poolTasks.ts', import.meta.url);

test('runs tasks on worker threads with the shared data, and says why a task failed', async () => {
  const pool = new WorkerPool<PoolTask, PoolResult>({ module, size: 2, shared: { scale: 3 } });
  try {
    const results = await Promise.all([1, 2, 3, 4, 5].map((value) => pool.run({ op: 'scale', value })));
    expect(results.map((r) => r.value)).toEqual([3, 6, 9, 12, 15]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
    expect(results.every((r) => r.threadId !== 0)).toBe(true);
    await expect(pool.run({ op: 'fail', value: 7 })).rejects.toThrow(new WorkerTaskError('RangeError: value 7 is not allowed'));
  } finally {
    await pool.close();
  }
});

test('a worker that dies fails only its task and is replaced; runOn keeps a worker\'s state', async () => {
  const pool = new WorkerPool<PoolTask, PoolResult>({ module, size: 2, shared: { scale: 1 } });
  try {
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await pool.runOn(1, { op: 'count', value: 0 })).value);
    expect(counts).toEqual([1, 2, 3]);
    expect((await pool.runOn(0, { op: 'count', value: 0 })).value).toBe(1);
    const died = pool.runOn(1, { op: 'exit', value: 0 });
    await expect(died).rejects.toThrow(WorkerCrashError);
    await expect(died).rejects.toThrow(/worker exited with code 3/);
    // A fresh worker in slot 1: its state starts over.
    expect((await pool.runOn(1, { op: 'count', value: 0 })).value).toBe(1);
    expect((await pool.run({ op: 'scale', value: 5 })).value).toBe(5);
  } finally {
    await pool.close();
  }
});

test('mapTasks gives the same outcomes on workers as on this thread', async () => {
  const tasks: PoolTask[] = [{ op: 'scale', value: 1 }, { op: 'fail', value: 2 }, { op: 'scale', value: 3 }, { op: 'scale', value: 4 }];
  const collect = async (jobs: number): Promise<{ value?: number; reason?: string }[]> => {
    const outcomes: TaskOutcome<PoolTask, PoolResult>[] = [];
    await mapTasks(tasks, { jobs, module, shared: { scale: 2 }, inline: (task) => handle(task, 2) }, (o) => void outcomes.push(o));
    return tasks.map((t) => outcomes.find((o) => o.task === t)!).map((o) => ({ value: o.result?.value, reason: o.reason }));
  };
  const inline = await collect(0);
  expect(inline).toEqual([{ value: 2 }, { reason: 'RangeError: value 2 is not allowed' }, { value: 6 }, { value: 8 }]);
  expect(await collect(2)).toEqual(inline);
});
