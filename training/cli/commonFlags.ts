/** Flags several commands share, declared once. */
import { BACKEND_PREFERENCES } from '../nn/backend.js';
import type { FlagSpec } from './args.js';

/** The `--backend` flag, for every command that runs tfjs. */
export const BACKEND_FLAG: FlagSpec = {
  name: 'backend',
  type: 'string',
  choices: BACKEND_PREFERENCES,
  default: 'auto',
  description: 'tfjs backend; auto takes the first that loads of tfjs-node-gpu, tfjs-node, wasm, cpu',
};
