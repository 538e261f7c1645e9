// Entry of every WorkerPool thread. Worker threads start without the parent's TypeScript loader
// (jest's or tsx's), so for a TypeScript task module (running from source) this plain-JS file
// registers tsx first; the built CLI (dist/training/) hands it JavaScript and needs no tsx. Then it
// loads the pool's task module, which calls serveTasks() (training/util/workerPool.ts).
import { workerData } from 'node:worker_threads';

if (workerData.module.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(workerData.module);
