import { FrameBudget } from '../../src/lod/frameBudget.js';

/** A budget on a fake clock: chunks "take" exactly the time the test says. */
function fakeBudget(budgetMs: number) {
  let now = 0;
  let frames = 0;
  const budget = new FrameBudget({
    budgetMs,
    now: () => now,
    nextFrame: async () => { frames++; now += 16; },
  });
  return { budget, advance: (ms: number) => { now += ms; }, frames: () => frames };
}

test('never starts a chunk its estimate says would not fit: steady chunks stay within the budget', async () => {
  const { budget, advance, frames } = fakeBudget(8);
  for (let i = 0; i < 400; i++) {
    const wait = budget.checkpoint();
    if (wait) await wait;
    advance(0.7);
  }
  budget.pause();
  expect(budget.worstFrameMs).toBeLessThanOrEqual(8);
  expect(frames()).toBeGreaterThan(400 * 0.7 / 8); // the work was spread over frames
});

test('a chunk longer than any before it can overrun once; the estimate then keeps later frames in budget', async () => {
  const { budget, advance } = fakeBudget(8);
  const durations = [...Array(50).fill(0.3), 3, ...Array(200).fill(3)];
  const perFrame: number[] = [];
  let frameUsed = 0;
  for (const ms of durations) {
    const wait = budget.checkpoint();
    if (wait) {
      perFrame.push(frameUsed);
      frameUsed = 0;
      await wait;
    }
    advance(ms);
    frameUsed += ms;
  }
  budget.pause();
  const afterFirstLongChunk = perFrame.slice(perFrame.findIndex((ms) => ms > 5) + 1);
  expect(afterFirstLongChunk.length).toBeGreaterThan(50);
  for (const ms of afterFirstLongChunk) expect(ms).toBeLessThanOrEqual(8);
});

test('a frame always gets at least one chunk, so work cannot starve', async () => {
  const { budget, advance } = fakeBudget(1);
  let chunks = 0;
  for (let i = 0; i < 10; i++) {
    const wait = budget.checkpoint();
    if (wait) await wait;
    advance(5); // every chunk longer than the whole budget
    chunks++;
  }
  expect(chunks).toBe(10);
  expect(() => new FrameBudget({ budgetMs: 0 })).toThrow(/frameBudgetMs/);
});
