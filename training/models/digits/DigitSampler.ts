/**
 * What the sheets and scores draw from: a trained model's sampling input (noise or code) in, digits
 * out. The VAEs, DCGAN and the WGANs sample directly; CNN-GAN and IM-GAN chain their latent GAN's
 * generator (noise -> code, the runtime's float64 `generateLatent`) and their auto-encoder's decoder.
 */
import { generateLatent, type GeneratorWeights } from '#core';
import type { DigitAutoEncoder } from './DigitAutoEncoder.js';
import type { DigitModel } from './DigitModel.js';
import { isImplicitModel, type DigitModelName } from './digitsConfig.js';

export interface DigitSampler {
  readonly model: DigitModelName;
  /** Length of one sampling input. */
  readonly sampleInputSize: number;
  /** True when digits can be decoded at any resolution (an implicit decoder). */
  readonly implicit: boolean;
  /** Images `[count, size * size]` for inputs `[count, sampleInputSize]`. */
  generate(inputs: Float32Array, options?: { size?: number; batchSize?: number }): Promise<Float32Array>;
}

/** A model that samples on its own (VAE, VAE_IM, DCGAN, WGAN, WGAN_IM). */
export function modelSampler(model: DigitModel): DigitSampler {
  if (model.sampleInputSize === 0) throw new RangeError(`${model.config.model} does not sample on its own; its latent GAN does`);
  return { model: model.config.model, sampleInputSize: model.sampleInputSize, implicit: isImplicitModel(model.config.model), generate: (inputs, options) => model.generate(inputs, options) };
}

/** CNN-GAN or IM-GAN: the latent GAN's generator, then the auto-encoder's decoder. */
export function latentGanSampler(model: DigitModelName, autoEncoder: DigitAutoEncoder, generator: GeneratorWeights): DigitSampler {
  const noiseSize = generator.noiseSize;
  return {
    model, sampleInputSize: noiseSize, implicit: isImplicitModel(model),
    async generate(inputs, options) {
      const count = inputs.length / noiseSize;
      const codeSize = autoEncoder.config.networks.codeSize;
      const codes = new Float32Array(count * codeSize);
      for (let i = 0; i < count; i++) codes.set(generateLatent(generator, Float64Array.from(inputs.subarray(i * noiseSize, (i + 1) * noiseSize))), i * codeSize);
      return autoEncoder.generate(codes, options);
    },
  };
}
