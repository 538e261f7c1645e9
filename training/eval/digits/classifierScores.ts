/**
 * What the digit classifier says about a set of generated digits (our protocol, not the paper's):
 *  - confidence: the mean over samples of the top class probability (a digit that looks like one
 *    digit scores near 1, a blob between classes lower);
 *  - classifier score: `exp(E_x KL(p(y|x) || p(y)))`, the Inception Score's formula with this
 *    classifier (1 to 10: high when each sample is confidently one class and all classes appear);
 *  - coverage: classes predicted for at least `minShare` of the samples (of 10), and the share of the
 *    most frequent class.
 */

/** Scores of one set of samples. */
export interface ClassifierScores {
  confidence: number;
  classifierScore: number;
  /** Classes (of 10) that are the top class of at least `minShare` of the samples. */
  classesCovered: number;
  /** Share of samples whose top class is the most frequent one. */
  largestClassShare: number;
  /** Samples per top class. */
  histogram: number[];
}

/** Scores from class probabilities, row-major `[count, 10]`. */
export function classifierScores(probabilities: Float32Array, minShare = 0.01): ClassifierScores {
  const count = probabilities.length / 10;
  if (!Number.isInteger(count) || count === 0) throw new RangeError(`classifierScores: expected [count, 10] probabilities, got ${probabilities.length} values`);
  const histogram = new Array<number>(10).fill(0);
  const marginal = new Float64Array(10);
  let confidence = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probabilities[i * 10 + c] > probabilities[i * 10 + best]) best = c;
    histogram[best]++;
    confidence += probabilities[i * 10 + best];
    for (let c = 0; c < 10; c++) marginal[c] += probabilities[i * 10 + c] / count;
  }
  let kl = 0;
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 10; c++) {
      const p = probabilities[i * 10 + c];
      if (p > 0) kl += p * Math.log(p / marginal[c]);
    }
  }
  return {
    confidence: confidence / count,
    classifierScore: Math.exp(kl / count),
    classesCovered: histogram.filter((n) => n >= minShare * count).length,
    largestClassShare: Math.max(...histogram) / count,
    histogram,
  };
}
