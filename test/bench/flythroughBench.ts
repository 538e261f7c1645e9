/**
 * Case `flythrough`: the LOD fly-through of the browser test (test/support/flythrough.ts) in headless
 * Chromium on webgl, with its wall-clock figures: the extraction budget's worst frame and how many
 * working frames went over it, the page's frame intervals, the decoder calls' synchronous main-thread
 * time, geometry uploads, and the longest chunks by kind. One line per run; three runs, so a reader
 * can see the spread (on 2 shared cores one preempted chunk makes a frame's worst).
 */
import { runFlythrough } from '../support/flythrough.js';
import { emit, median, round } from './timing.js';

const RUNS = 3;

export async function flythroughBench(): Promise<void> {
  for (let run = 1; run <= RUNS; run++) {
    const r = await runFlythrough();
    const over = r.frameUsage.filter((ms) => ms > r.budget.budgetMs).length;
    const kinds = Object.entries(r.chunkKinds).sort((a, b) => b[1].maxMs - a[1].maxMs).slice(0, 3);
    emit({
      case: 'flythrough', where: 'chromium', backend: r.backendUsed, run, frames: r.frames,
      decoderCalls: r.decoderCalls, pointsEvaluated: r.pointsEvaluated,
      budgetMs: r.budget.budgetMs, worstExtractionFrameMs: round(r.budget.worstFrameMs),
      framesWorked: r.frameUsage.length, framesOverBudget: over, medianExtractionFrameMs: round(r.frameUsage.length ? median(r.frameUsage) : 0),
      medianFrameIntervalMs: round(r.medianFrameIntervalMs), worstFrameIntervalMs: Math.round(r.worstFrameIntervalMs),
      worstRenderMs: round(r.worstRenderMs),
      decoderSyncMaxMs: round(Math.max(0, ...r.decoderSyncMs)),
      uploads: r.uploads.length, uploadMaxMs: round(Math.max(0, ...r.uploads.map((u) => u.ms))),
      longestChunkKinds: Object.fromEntries(kinds.map(([kind, k]) => [kind, { count: k.count, maxMs: round(k.maxMs) }])),
    });
  }
}
