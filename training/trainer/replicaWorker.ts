/**
 * A WorkerPool task module: one data-parallel training replica per worker (DataParallel.ts). `init`
 * builds the module with the shared factory, then tasks come in order. A step: take replica 0's
 * variables and optimizer state (when sent), apply the last summed gradients (from the shared buffer,
 * through the module's own optimizers), compute a share's gradients (into this worker's slot of the
 * shared gradient buffer). `read` returns the variables.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../nn/backend.js';
import { serveTasks, sharedData } from '../util/workerPool.js';
import type { ReplicaReply, ReplicaRequest, ReplicaShared } from './DataParallel.js';
import type { TrainingModule } from './TrainingModule.js';

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
      const shared = sharedData<ReplicaShared>();
      // PROD: no per-kernel checks or notes (the main thread chose the backend and printed why).
      tf.env().set('PROD', true);
      await selectBackend(shared.backend, () => {});
      const exports = (await import(shared.factory.url)) as Record<string, unknown>;
      const name = shared.factory.name ?? 'createReplica';
      const create = exports[name];
      if (typeof create !== 'function') throw new Error(`${shared.factory.url} exports no function ${name}`);
      module = (create as (args: unknown) => TrainingModule<unknown>)(shared.factory.args);
      sizes = shared.sizes;
      offsets = [];
      let offset = 0;
      for (const size of sizes) {
        offsets.push(offset);
        offset += size;
      }
      if (module.variables.length !== sizes.length || module.variables.some((v, i) => v.variable.size !== sizes[i])) {
        throw new Error(`the replica's variables (${module.variables.map((v) => v.variable.size).join(', ')}) differ from replica 0's (${sizes.join(', ')})`);
      }
      gradients = new Float32Array(shared.gradients, 4 * offset * message.slot, offset);
      reduced = new Float32Array(shared.reduced);
      return { type: 'ready' };
    }
    case 'step': {
      const m = replica();
      if (message.sync) {
        const { variables, optimizers } = message.sync;
        m.variables.forEach(({ variable }, i) => tf.tidy(() => variable.assign(tf.tensor(variables[i], variable.shape))));
        m.optimizers.forEach((o, i) => o.restore(optimizers[i].step, new Map(optimizers[i].state)));
      }
      if (message.apply) {
        const { pass, present } = message.apply;
        const grads: tf.NamedTensorMap = {};
        m.variables.forEach(({ variable }, i) => {
          if (present[i]) grads[variable.name] = tf.tensor(part(reduced!, i), variable.shape);
        });
        try {
          m.applyGradients(grads, pass);
        } finally {
          tf.dispose(grads);
        }
      }
      if (!message.compute) return { type: 'stepped', computed: null };
      const { loss, grads } = m.computeGradients(message.compute.batch, message.compute.pass);
      try {
        const present = m.variables.map(({ variable }, i) => {
          const g = grads[variable.name];
          if (g) part(gradients!, i).set(g.dataSync() as Float32Array);
          return g !== undefined;
        });
        return { type: 'stepped', computed: { loss: loss.dataSync()[0], present } };
      } finally {
        loss.dispose();
        tf.dispose(grads);
      }
    }
    case 'read':
      return { type: 'variables', variables: replica().variables.map(({ variable }) => Float32Array.from(variable.dataSync() as Float32Array)) };
  }
}

// The pool runs one task at a time per worker, in the order sent: a compute sees the apply before it.
serveTasks<ReplicaRequest, ReplicaReply>(handle);
