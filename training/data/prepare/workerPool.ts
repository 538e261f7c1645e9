/**
 * Prepares shapes in parallel on worker threads (one shape per worker at a time). A shape that throws
 * becomes a failure with its reason; a worker that dies (out of memory, a crash) fails only the shape
 * it held and is replaced. `jobs: 0` runs in this thread, one shape after another.
 */
import { Worker } from 'node:worker_threads';
import { MeshReadError } from '../mesh/TriangleMesh.js';
import { ShapeRejectedError, prepareShape, type PrepareSettings, type PreparedShape, type ShapeTask } from './prepareShape.js';

/** Main thread to worker. */
export interface PoolRequest {
  task: ShapeTask;
  settings: PrepareSettings;
}

/** Worker to main thread: the prepared shape, or why not. */
export interface PoolReply {
  id: string;
  prepared?: PreparedShape;
  reason?: string;
}

/** A shape's outcome. */
export interface ShapeOutcome {
  task: ShapeTask;
  prepared?: PreparedShape;
  /** Why the shape was skipped (without the file name, which `task` has). */
  reason?: string;
}

/** The reason recorded for a failed shape. */
export function describeFailure(error: unknown): string {
  if (error instanceof MeshReadError) return error.reason;
  if (error instanceof ShapeRejectedError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * Prepares every task on `jobs` workers and awaits `onOutcome` for each before the pool resolves.
 * Outcomes arrive in completion order.
 */
export async function runShapePool(tasks: ShapeTask[], settings: PrepareSettings, jobs: number, onOutcome: (outcome: ShapeOutcome) => void): Promise<void> {
  if (jobs <= 0) {
    for (const task of tasks) {
      try {
        onOutcome({ task, prepared: await prepareShape(task, settings) });
      } catch (error) {
        onOutcome({ task, reason: describeFailure(error) });
      }
    }
    return;
  }
  let next = 0;
  const workerCount = Math.min(jobs, tasks.length);
  const lanes: Promise<void>[] = [];
  for (let w = 0; w < workerCount; w++) {
    lanes.push((async () => {
      let worker: Worker | null = null;
      try {
        while (next < tasks.length) {
          const task = tasks[next++];
          worker ??= new Worker(new URL('./worker.mjs', import.meta.url));
          const outcome = await runOnWorker(worker, task, settings);
          if (outcome.crashed) worker = null;
          onOutcome(outcome);
        }
      } finally {
        await worker?.terminate();
      }
    })());
  }
  await Promise.all(lanes);
}

function runOnWorker(worker: Worker, task: ShapeTask, settings: PrepareSettings): Promise<ShapeOutcome & { crashed?: boolean }> {
  return new Promise((resolve) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: PoolReply): void => {
      cleanup();
      resolve({ task, prepared: reply.prepared, reason: reply.reason });
    };
    const onError = (error: Error): void => {
      cleanup();
      void worker.terminate();
      resolve({ task, reason: `worker crashed: ${error.name}: ${error.message}`, crashed: true });
    };
    const onExit = (code: number): void => {
      cleanup();
      resolve({ task, reason: `worker exited with code ${code} while preparing this shape`, crashed: true });
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ task, settings } satisfies PoolRequest);
  });
}
