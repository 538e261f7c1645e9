/** Runs in a worker thread: prepares the shapes the pool sends, one at a time. */
import { parentPort } from 'node:worker_threads';
import { describeFailure, type PoolReply, type PoolRequest } from './workerPool.js';
import { prepareShape } from './prepareShape.js';

if (!parentPort) throw new Error('prepareWorker.ts must run in a worker thread');
const port = parentPort;

port.on('message', async ({ task, settings }: PoolRequest) => {
  let reply: PoolReply;
  try {
    const prepared = await prepareShape(task, settings);
    reply = { id: task.id, prepared };
    port.postMessage(reply, [prepared.record.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { id: task.id, reason: describeFailure(error) };
  }
  port.postMessage(reply);
});
