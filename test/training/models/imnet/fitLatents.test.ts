/**
 * Encoding by optimisation (auto-decoder codes for held-out and new shapes) runs until the fit stops
 * improving, within its step budget (issue 13): in rounds, stopping when a round's mean loss is not
 * `minImprovement` below the best round's for `patience` rounds.
 */
import type { ImNetArchitecture } from '#core';
import { fitLatents } from '../../../../training/models/imnet/fitLatents.js';
import { initialDecoderWeights, TrainingDecoder } from '../../../../training/models/imnet/TrainingDecoder.js';
import { analyticSamples, FIXTURE_SHAPES, useTrainingBackend } from '../../trainFixtures.js';

const architecture: ImNetArchitecture = { latentSize: 8, hiddenSizes: [32, 32, 16, 16, 8, 8], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const counts = { 16: 64, 32: 64, 64: 512 };

beforeAll(() => useTrainingBackend('wasm'));

test('stops once rounds stop improving the loss by 1%, as a cut-short full run; the rest of the budget gains little', async () => {
  const decoder = new TrainingDecoder(initialDecoderWeights(architecture, 3));
  try {
    const shapes = FIXTURE_SHAPES.slice(0, 3).map((s, i) => analyticSamples(s.id, s.sdf, counts, i + 1));
    const args = { maxSteps: 400, stepsPerRound: 20, pointsPerShape: 128, seed: 2 };
    const full = await fitLatents(decoder, shapes, { ...args, minImprovement: 0 });
    expect(full.steps).toEqual([400, 400, 400]);

    const early = await fitLatents(decoder, shapes, { ...args, minImprovement: 0.01, patience: 2 });
    const stoppedAt = early.steps[0];
    expect(stoppedAt).toBeGreaterThanOrEqual(60);
    expect(stoppedAt).toBeLessThan(400);
    expect(stoppedAt % 20).toBe(0);
    // The same steps as the full run, up to the stop.
    const cut = await fitLatents(decoder, shapes, { ...args, maxSteps: stoppedAt, minImprovement: 0 });
    expect(cut.latents.map((c) => Array.from(c))).toEqual(early.latents.map((c) => Array.from(c)));
    expect(cut.loss).toEqual(early.loss);
    // The remaining budget is worth little: the full run's last round within 5% of the stop's.
    expect(full.loss[0]).toBeGreaterThan(0.95 * early.loss[0]);
    // And the codes moved: the stop's loss is well below a run of one round.
    const oneRound = await fitLatents(decoder, shapes, { ...args, maxSteps: 20, minImprovement: 0 });
    expect(early.loss[0]).toBeLessThan(0.95 * oneRound.loss[0]);
  } finally {
    decoder.dispose();
  }
});
