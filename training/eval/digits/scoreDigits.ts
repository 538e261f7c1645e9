/**
 * Our scoring protocol for generated digits (stated as ours: the paper compares samples by eye):
 *  - the held-out classifier's confidence, classifier score and class coverage (`classifierScores.ts`);
 *  - COV and MMD (`generationMetrics.ts`, Achlioptas et al.) with the Chamfer distance between
 *    binarized pixel sets (`pixelChamfer.ts`), generated digits against held-out digits.
 * MMD is in the unit square's units (one pixel is 1/28) x 1000, as IM-NET reports Chamfer distances.
 */
import { DIGIT_PIXELS, DIGIT_SIZE } from '../../data/mnist/mnistDigits.js';
import { coverageAndMmd } from '../generationMetrics.js';
import { classifierScores, type ClassifierScores } from './classifierScores.js';
import { binarizedPixelSets, pixelChamferMatrix } from './pixelChamfer.js';

/** All numbers of one model (or of real digits, the reference row). */
export interface DigitScores extends ClassifierScores {
  /** Held-out digits that are some sample's nearest (Chamfer), as a fraction. */
  coverage: number;
  /** Mean over held-out digits of the Chamfer distance to the nearest sample, x1000. */
  mmd: number;
  /** Samples with no pixel >= 0.5 (their Chamfer distance to any digit is infinite). */
  emptySamples: number;
}

/**
 * Scores `samples` (`count * 784` grey values) given the classifier's probabilities for them
 * (`[count, 10]`) and the reference digits' binarized pixel sets.
 */
export function scoreDigits(samples: Float32Array, probabilities: Float32Array, reference: readonly Int32Array[]): DigitScores {
  const count = samples.length / DIGIT_PIXELS;
  if (probabilities.length !== 10 * count) throw new RangeError(`scoreDigits: ${probabilities.length} probabilities for ${count} samples; expected ${10 * count}`);
  const sets = binarizedPixelSets(samples, DIGIT_SIZE);
  const distances = pixelChamferMatrix(reference, sets, DIGIT_SIZE);
  const { coverage, mmd } = coverageAndMmd(distances, reference.length, sets.length);
  return { ...classifierScores(probabilities), coverage, mmd: 1000 * mmd, emptySamples: sets.filter((s) => s.length === 0).length };
}
