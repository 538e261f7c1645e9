/**
 * The generation metrics of IM-NET's GAN comparison, as Achlioptas et al. (2018) define them over a
 * distance matrix between a reference set (the test split) and a generated set: minimum matching
 * distance (MMD) and coverage (COV). The distance is any shape distance (LFD, Chamfer); computing the
 * matrix is the caller's (`lightFieldDistanceMatrix`, `chamferDistanceMatrix`).
 */

/** COV and MMD, with the matchings they came from. */
export interface GenerationScores {
  /** Mean over reference shapes of the distance to the nearest generated shape. */
  mmd: number;
  /** Fraction of reference shapes that are the nearest reference of at least one generated shape. */
  coverage: number;
  /** Reference shapes covered (coverage x reference count). */
  covered: number;
  /** For each reference shape, its nearest generated shape (first on ties). */
  nearestGenerated: Int32Array;
  /** For each generated shape, its nearest reference shape (first on ties). */
  nearestReference: Int32Array;
}

/**
 * COV and MMD from `distances`, row-major `referenceCount x generatedCount` (row = reference shape).
 * Infinite distances are allowed (a generated shape with no surface); NaN is an error.
 */
export function coverageAndMmd(distances: ArrayLike<number>, referenceCount: number, generatedCount: number): GenerationScores {
  if (!(Number.isInteger(referenceCount) && referenceCount > 0 && Number.isInteger(generatedCount) && generatedCount > 0)) {
    throw new RangeError(`coverageAndMmd: ${referenceCount} reference x ${generatedCount} generated shapes; expected at least one of each`);
  }
  if (distances.length !== referenceCount * generatedCount) {
    throw new RangeError(`coverageAndMmd: ${distances.length} distances; expected ${referenceCount} x ${generatedCount} = ${referenceCount * generatedCount}`);
  }
  const nearestGenerated = new Int32Array(referenceCount);
  const nearestReference = new Int32Array(generatedCount);
  const bestForGenerated = new Float64Array(generatedCount).fill(Infinity);
  nearestReference.fill(-1);
  let sum = 0;
  for (let r = 0; r < referenceCount; r++) {
    let best = Infinity, bestIndex = -1;
    for (let g = 0; g < generatedCount; g++) {
      const d = distances[r * generatedCount + g];
      if (Number.isNaN(d)) throw new RangeError(`coverageAndMmd: distance of reference ${r} to generated ${g} is NaN; expected a number`);
      if (d < best || bestIndex < 0) { best = d; bestIndex = g; }
      if (d < bestForGenerated[g] || nearestReference[g] < 0) { bestForGenerated[g] = d; nearestReference[g] = r; }
    }
    nearestGenerated[r] = bestIndex;
    sum += best;
  }
  const covered = new Set(nearestReference).size;
  return { mmd: sum / referenceCount, coverage: covered / referenceCount, covered, nearestGenerated, nearestReference };
}
