/**
 * DCGAN, WGAN and WGAN_IM: a generator (the CNN decoder, or the implicit decoder for WGAN_IM) from
 * N(0, I) noise of the code size, against the CNN encoder with a one-logit head.
 *
 *  - DCGAN (Radford et al. 2016): discriminator with batch norm and a sigmoid (binary cross-entropy);
 *    one discriminator and one (non-saturating) generator update per batch.
 *  - WGAN, WGAN_IM: WGAN-GP (Gulrajani et al. 2017): a critic without batch norm and without an output
 *    activation, gradient penalty `penaltyWeight (|grad C(x_hat)| - 1)^2` on random interpolates of real
 *    and generated digits; `criticSteps` critic updates (one batch of real digits each) per generator update.
 *
 * A step's passes: DCGAN `discriminator, generator`; the WGANs `criticSteps` x `critic` (one batch of
 * real digits each), then `generator`.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '#core';
import { Adam, type NamedVariable } from '../../nn/Adam.js';
import { DIGIT_PIXELS, DIGIT_SIZE } from '../../data/mnist/mnistDigits.js';
import { mixSeed } from '../../util/seeds.js';
import { ConvDecoder } from './ConvDecoder.js';
import { ConvEncoder } from './ConvEncoder.js';
import type { DigitDecoder } from './DigitDecoder.js';
import { decodeInBatches, normalNoise, type DigitBatch, type DigitModel } from './DigitModel.js';
import type { Gradients } from '../../trainer/TrainingModule.js';
import { implicitDigitArchitecture, type DigitTrainConfig } from './digitsConfig.js';
import { ImplicitDigitDecoder } from './ImplicitDigitDecoder.js';

export class DigitGan implements DigitModel {
  readonly generator: DigitDecoder;
  readonly critic: ConvEncoder;
  readonly wasserstein: boolean;
  readonly variables: NamedVariable[];
  /** `[generator, critic]`. */
  readonly optimizers: readonly Adam[];
  readonly passes: readonly string[];
  readonly realBatchesPerStep: number;

  constructor(readonly config: DigitTrainConfig) {
    const { model, networks, seed } = config;
    if (!['dcgan', 'wgan', 'wgan-im'].includes(model)) throw new RangeError(`DigitGan: '${model}' is not DCGAN, WGAN or WGAN_IM`);
    this.wasserstein = model !== 'dcgan';
    this.generator = model === 'wgan-im'
      ? new ImplicitDigitDecoder(implicitDigitArchitecture(networks), mixSeed(seed, 2))
      : new ConvDecoder({ prefix: 'generator', codeSize: networks.codeSize, widths: networks.encoderWidths, leakySlope: networks.leakySlope, seed: mixSeed(seed, 2) });
    this.critic = new ConvEncoder({
      prefix: this.wasserstein ? 'critic' : 'discriminator', widths: networks.encoderWidths, headUnits: 1,
      batchNorm: !this.wasserstein, leakySlope: networks.leakySlope, seed: mixSeed(seed, 1),
    });
    this.variables = [...this.generator.variables, ...this.critic.variables];
    const adam = { learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2 };
    this.optimizers = [new Adam(this.generator.variables, adam), new Adam(this.critic.variables, adam)];
    this.realBatchesPerStep = this.wasserstein ? config.criticSteps : 1;
    this.passes = this.wasserstein ? [...Array.from({ length: config.criticSteps }, () => 'critic'), 'generator'] : ['discriminator', 'generator'];
  }

  get sampleInputSize(): number {
    return this.config.networks.codeSize;
  }

  private isGeneratorPass(pass: number): boolean {
    return pass === this.passes.length - 1;
  }

  private logitOf(x: tf.Tensor2D): tf.Tensor2D {
    return this.critic.forward(tf.reshape(x, [x.shape[0], DIGIT_SIZE, DIGIT_SIZE, 1]) as tf.Tensor4D);
  }

  computeGradients(batch: DigitBatch, pass: number): Gradients {
    const count = batch.real[0].length / DIGIT_PIXELS;
    const code = this.config.networks.codeSize;
    const noise = normalNoise(count, code, batch.seed, 0x6e0, pass);
    return tf.tidy(() => {
      const z = tf.tensor2d(noise, [count, code]);
      if (this.isGeneratorPass(pass)) {
        const { value, grads } = tf.variableGrads(() => {
          const logit = this.logitOf(this.generator.decodeImages(z));
          // WGAN: -E[C(G(z))]; DCGAN's non-saturating loss: -E[log D(G(z))] = E[softplus(-logit)].
          return (this.wasserstein ? tf.neg(tf.mean(logit)) : tf.mean(tf.softplus(tf.neg(logit)))) as tf.Scalar;
        }, this.generator.variables.map((v) => v.variable));
        return { loss: value, grads };
      }
      const real = tf.tensor2d(batch.real[pass], [count, DIGIT_PIXELS]);
      const fake = this.generator.decodeImages(z);
      const epsilon = this.wasserstein ? tf.tensor2d(uniform(count, mixSeed(batch.seed, 0xe95, pass)), [count, 1]) : null;
      const { value, grads } = tf.variableGrads(() => {
        const realLogit = this.logitOf(real);
        const fakeLogit = this.logitOf(fake);
        if (!this.wasserstein) {
          // -E[log D(x)] - E[log(1 - D(G(z)))] with D = sigmoid(logit).
          return tf.add(tf.mean(tf.softplus(tf.neg(realLogit))), tf.mean(tf.softplus(fakeLogit))) as tf.Scalar;
        }
        const mixed = tf.add(tf.mul(epsilon!, real), tf.mul(tf.sub(1, epsilon!), fake)) as tf.Tensor2D;
        const { preActivations } = this.critic.forwardWithActivations(tf.reshape(mixed, [count, DIGIT_SIZE, DIGIT_SIZE, 1]) as tf.Tensor4D);
        const gradient = tf.reshape(this.critic.inputGradient(preActivations), [count, DIGIT_PIXELS]);
        const norm = tf.sqrt(tf.add(tf.sum(tf.square(gradient), 1), 1e-12));
        const penalty = tf.mul(this.config.penaltyWeight, tf.mean(tf.square(tf.sub(norm, 1))));
        return tf.add(tf.sub(tf.mean(fakeLogit), tf.mean(realLogit)), penalty) as tf.Scalar;
      }, this.critic.variables.map((v) => v.variable));
      return { loss: value, grads };
    });
  }

  applyGradients(grads: tf.NamedTensorMap, pass: number): void {
    this.optimizers[this.isGeneratorPass(pass) ? 0 : 1].apply(grads);
  }

  async generate(inputs: Float32Array, options: { size?: number; batchSize?: number } = {}): Promise<Float32Array> {
    const size = options.size ?? DIGIT_SIZE;
    const code = this.config.networks.codeSize;
    if (size !== DIGIT_SIZE && !(this.generator instanceof ImplicitDigitDecoder)) throw new RangeError(`${this.config.model}: a CNN generator makes ${DIGIT_SIZE} x ${DIGIT_SIZE} images only, not ${size} x ${size}`);
    return decodeInBatches(inputs, code, size * size, options.batchSize ?? 64, (z) =>
      this.generator instanceof ImplicitDigitDecoder ? this.generator.decodeImages(z, size) : this.generator.decodeImages(z));
  }

  dispose(): void {
    for (const optimizer of this.optimizers) optimizer.dispose();
    this.generator.dispose();
    this.critic.dispose();
  }
}

function uniform(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count }, () => random());
}
