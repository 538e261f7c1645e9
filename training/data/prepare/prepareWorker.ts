/** The task module of `imnet prepare`'s worker threads: prepares the shapes the pool sends, one at a time. */
import { serveTasks, sharedData } from '../../util/workerPool.js';
import { prepareShape, type PrepareSettings, type PreparedShape, type ShapeTask } from './prepareShape.js';
import { describeFailure } from './shapePool.js';

serveTasks<ShapeTask, PreparedShape>((task) => prepareShape(task, sharedData<PrepareSettings>()), {
  describeError: describeFailure,
  transfer: (prepared) => [prepared.record.buffer as ArrayBuffer],
});
