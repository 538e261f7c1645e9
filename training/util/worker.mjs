// Entry of every WorkerPool thread. Worker threads start without the parent's TypeScript loader
// (jest's or tsx's), so this plain-JS file registers tsx, then loads the pool's task module, which
// calls serveTasks() (training/util/workerPool.ts).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
