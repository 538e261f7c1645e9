/**
 * Encoding by optimisation (auto-decoder codes for held-out and new shapes) runs until the fit stops
 * improving, within its step budget (issue 13).
 */
import type { ImNetArchitecture } from '#core';
import { fitLatents } from '../../../../training/models/imnet/latents.js';
import { initialDecoderWeights, TrainingDecoder } from '../../../../training/models/imnet/TrainingDecoder.js';
import { analyticSamples, FIXTURE_SHAPES, useTrainingBackend } from '../../trainFixtures.js';

const architecture: ImNetArchitecture = { latentSize: 8, hiddenSizes: [32, 32, 16, 16, 8, 8], outputActivation: 'leakyClip', skipConnections: false, leakySlope: 0.02 };
const counts = { 16: 64, 32: 64, 64: 512 };
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

beforeAll(() => useTrainingBackend('wasm'));

test('stops once a window of steps improves the loss by less than 1%, as a cut-short full run; the rest of the budget gains little', async () => {
  const decoder = new TrainingDecoder(initialDecoderWeights(architecture, 3));
  try {
    const shapes = FIXTURE_SHAPES.slice(0, 3).map((s, i) => analyticSamples(s.id, s.sdf, counts, i + 1));
    const args = { steps: 400, pointsPerStep: 128, seed: 2 };
    const full: number[] = [];
    await fitLatents(decoder, shapes, { ...args, patience: 0, onStep: (_, loss) => full.push(loss) });
    expect(full).toHaveLength(400);

    const early: number[] = [];
    const codes = await fitLatents(decoder, shapes, { ...args, patience: 25, onStep: (_, loss) => early.push(loss) });
    expect(early.length).toBeGreaterThanOrEqual(50);
    expect(early.length).toBeLessThan(400);
    // The same steps as the full run, up to the stop...
    expect(early).toEqual(full.slice(0, early.length));
    const cut = await fitLatents(decoder, shapes, { ...args, steps: early.length, patience: 0 });
    expect(cut.map((c) => Array.from(c))).toEqual(codes.map((c) => Array.from(c)));
    // ... stopped by the rule: the last 25 steps' mean loss within 1% of the 25 before them ...
    const last = mean(early.slice(-25)), before = mean(early.slice(-50, -25));
    expect(before - last).toBeLessThan(0.01 * before);
    // ... with the loss well down from the start, and the remaining budget worth little.
    expect(last).toBeLessThan(0.95 * mean(full.slice(0, 5)));
    expect(mean(full.slice(-25))).toBeGreaterThan(0.95 * last);
  } finally {
    decoder.dispose();
  }
});
