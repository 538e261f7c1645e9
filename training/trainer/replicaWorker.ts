/**
 * Runs in a worker thread: one data-parallel training replica (DataParallel.ts). Builds its module
 * with the factory it is sent, then answers requests in order: sync (take replica 0's variables and
 * optimizer state), compute (a share's gradients, written to this worker's slot of the shared
 * gradient buffer), apply (the summed gradients from the shared buffer, through the module's own
 * optimizers), read.
 */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../nn/backend.js';
import type { ReplicaReply, ReplicaRequest } from './DataParallel.js';
import type { TrainingModule } from './TrainingModule.js';

if (!parentPort) throw new Error('replicaWorker.ts must run in a worker thread');
const port = parentPort;

let module: TrainingModule<unknown> | null = null;
let gradients: Float32Array | null = null;
let reduced: Float32Array | null = null;
let offsets: number[] = [];
let sizes: number[] = [];

function replica(): TrainingModule<unknown> {
  if (!module) throw new Error('the replica was used before init');
  return module;
}

/** `buffer`'s part for variable `i`. */
const part = (buffer: Float32Array, i: number): Float32Array => buffer.subarray(offsets[i], offsets[i] + sizes[i]);

async function handle(message: ReplicaRequest): Promise<ReplicaReply> {
  switch (message.type) {
    case 'init': {
      // PROD: no per-kernel checks or notes (the main thread chose the backend and printed why).
      tf.env().set('PROD', true);
      await selectBackend(message.backend, () => {});
      const exports = (await import(message.factory.url)) as Record<string, unknown>;
      const name = message.factory.name ?? 'createReplica';
      const create = exports[name];
      if (typeof create !== 'function') throw new Error(`${message.factory.url} exports no function ${name}`);
      module = (create as (args: unknown) => TrainingModule<unknown>)(message.factory.args);
      sizes = message.sizes;
      offsets = [];
      let offset = 0;
      for (const size of sizes) {
        offsets.push(offset);
        offset += size;
      }
      if (module.variables.length !== sizes.length || module.variables.some((v, i) => v.variable.size !== sizes[i])) {
        throw new Error(`the replica's variables (${module.variables.map((v) => v.variable.size).join(', ')}) differ from replica 0's (${sizes.join(', ')})`);
      }
      gradients = new Float32Array(message.gradients, 4 * offset * message.slot, offset);
      reduced = new Float32Array(message.reduced);
      return { type: 'ready' };
    }
    case 'sync': {
      const m = replica();
      m.variables.forEach(({ variable }, i) => tf.tidy(() => variable.assign(tf.tensor(message.variables[i], variable.shape))));
      m.optimizers.forEach((o, i) => o.restore(message.optimizers[i].step, new Map(message.optimizers[i].state)));
      return { type: 'synced' };
    }
    case 'compute': {
      const m = replica();
      const { loss, grads } = m.computeGradients(message.batch, message.pass);
      try {
        const present = m.variables.map(({ variable }, i) => {
          const g = grads[variable.name];
          if (g) part(gradients!, i).set(g.dataSync() as Float32Array);
          return g !== undefined;
        });
        return { type: 'computed', loss: loss.dataSync()[0], present };
      } finally {
        loss.dispose();
        tf.dispose(grads);
      }
    }
    case 'apply': {
      const m = replica();
      const grads: tf.NamedTensorMap = {};
      m.variables.forEach(({ variable }, i) => {
        if (message.present[i]) grads[variable.name] = tf.tensor(part(reduced!, i), variable.shape);
      });
      try {
        m.applyGradients(grads, message.pass);
      } finally {
        tf.dispose(grads);
      }
      return { type: 'applied' };
    }
    case 'read':
      return { type: 'variables', variables: replica().variables.map(({ variable }) => Float32Array.from(variable.dataSync() as Float32Array)) };
  }
}

// One request at a time, in order: a compute must see the apply sent before it.
let queue = Promise.resolve();
port.on('message', (message: ReplicaRequest) => {
  queue = queue.then(async () => {
    let reply: ReplicaReply;
    try {
      reply = await handle(message);
    } catch (error) {
      reply = { type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    port.postMessage(reply);
  });
});
