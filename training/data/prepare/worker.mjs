// Worker-thread entry of `imnet prepare`. Worker threads start without the parent's TypeScript loader
// (jest's or tsx's), so this plain-JS file registers tsx before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./prepareWorker.ts');
