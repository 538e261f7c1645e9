/**
 * Adam (PyTorch's form: `w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`) with its state
 * in the open, so a checkpoint can store it exactly and a resumed run continues bit for bit.
 * (tf.train.adam keeps `beta^t` as a running float32 product and rebuilds it with `pow` on
 * `setWeights`, which is not the same float.)
 */
import * as tf from '@tensorflow/tfjs';

/** Options of {@link Adam}. */
export interface AdamArgs {
  learningRate: number;
  /** Default 0.9; IM-NET uses 0.5, WGAN-GP 0. */
  beta1?: number;
  /** Default 0.999; WGAN-GP uses 0.9. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

/** A trainable variable and the stable name checkpoints know it by (tfjs names must be unique per process). */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** One variable's moments. */
interface Slot {
  name: string;
  variable: tf.Variable;
  m: tf.Variable;
  v: tf.Variable;
  learningRate: number;
}

export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Updates applied so far. */
  step = 0;
  private readonly slots = new Map<string, Slot>();
  private baseLearningRate: number;

  /**
   * @param variables - what this optimizer updates; `learningRates` may give some (by stable name)
   *   their own rate (the auto-decoder's latent table learns faster than the decoder).
   */
  constructor(variables: NamedVariable[], readonly args: AdamArgs, learningRates: Record<string, number> = {}) {
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-8;
    this.baseLearningRate = args.learningRate;
    for (const { name, variable } of variables) {
      this.slots.set(variable.name, {
        name,
        variable,
        m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        learningRate: learningRates[name] ?? args.learningRate,
      });
    }
  }

  /** Sets the learning rate of the variables that have no rate of their own (a schedule's step). */
  setLearningRate(learningRate: number): void {
    for (const slot of this.slots.values()) if (slot.learningRate === this.baseLearningRate) slot.learningRate = learningRate;
    this.baseLearningRate = learningRate;
  }

  get variables(): tf.Variable[] {
    return [...this.slots.values()].map((s) => s.variable);
  }

  /** Applies gradients keyed by tfjs variable name (what `tf.variableGrads` returns); others are left alone. */
  apply(grads: tf.NamedTensorMap): void {
    this.step++;
    // Bias corrections in float64, once per step: the same numbers on every run.
    const correction1 = 1 - Math.pow(this.beta1, this.step);
    const correction2Sqrt = Math.sqrt(1 - Math.pow(this.beta2, this.step));
    tf.tidy(() => {
      for (const slot of this.slots.values()) {
        const g = grads[slot.variable.name];
        if (!g) continue;
        const m = tf.add(tf.mul(slot.m, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(slot.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        slot.m.assign(m);
        slot.v.assign(v);
        const denominator = tf.add(tf.div(tf.sqrt(v), correction2Sqrt), this.epsilon);
        slot.variable.assign(tf.sub(slot.variable, tf.mul(tf.div(m, denominator), slot.learningRate / correction1)));
      }
    });
  }

  /** Moments as named tensors `adam/<stable name>/m|v` (for checkpoints). */
  stateTensors(): { name: string; tensor: tf.Tensor }[] {
    return [...this.slots.values()].flatMap((s) => [
      { name: `adam/${s.name}/m`, tensor: s.m as tf.Tensor },
      { name: `adam/${s.name}/v`, tensor: s.v as tf.Tensor },
    ]);
  }

  /** Restores moments and step from a checkpoint. */
  restore(step: number, tensors: Map<string, Float32Array>): void {
    this.step = step;
    for (const s of this.slots.values()) {
      for (const [key, target] of [['m', s.m], ['v', s.v]] as const) {
        const values = tensors.get(`adam/${s.name}/${key}`);
        if (!values) throw new Error(`checkpoint: missing optimizer state adam/${s.name}/${key}`);
        tf.tidy(() => target.assign(tf.tensor(values, target.shape)));
      }
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}
