// Worker-thread entry of a data-parallel training replica (DataParallel.ts). Worker threads start
// without the parent's TypeScript loader (jest's or tsx's), so this plain-JS file registers tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./replicaWorker.ts');
