/** The tfjs backends a Node test can use: wasm (registered by importing it) and cpu. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export const NODE_BACKENDS = ['cpu', 'wasm'] as const;

/** Silences tfjs's "hi there, use tfjs-node" banner and platform notes in test output. */
export function quietTf(): void {
  tf.env().set('IS_TEST', true);
}
