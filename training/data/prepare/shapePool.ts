/**
 * `imnet prepare`'s shapes on the toolkit's worker pool (util/workerPool.ts): one shape per task, the
 * settings shared once per worker. A shape that throws becomes a failure with its reason; a worker
 * that dies fails only the shape it held. `jobs: 0` runs in this thread, one shape after another.
 */
import { mapTasks } from '../../util/workerPool.js';
import { MeshReadError } from '../mesh/TriangleMesh.js';
import { ShapeRejectedError, prepareShape, type PrepareSettings, type PreparedShape, type ShapeTask } from './prepareShape.js';
import { siblingModule } from '../../util/siblingModule.js';

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
 * Prepares every task on `jobs` workers and awaits `onOutcome` for each before resolving.
 * Outcomes arrive in completion order.
 */
export async function runShapePool(tasks: ShapeTask[], settings: PrepareSettings, jobs: number, onOutcome: (outcome: ShapeOutcome) => void): Promise<void> {
  await mapTasks<ShapeTask, PreparedShape>(tasks, {
    jobs,
    // The task module beside this one, as source (tsx, jest) or built.
    module: siblingModule('prepareWorker', import.meta.url),
    shared: settings,
    inline: (task) => prepareShape(task, settings),
    describeError: describeFailure,
  }, ({ task, result, reason }) => onOutcome({ task, prepared: result, reason }));
}
