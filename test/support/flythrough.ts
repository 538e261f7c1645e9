/**
 * The LOD fly-through page (test/browser/lodPage.html) in real Chromium, for the browser test (which
 * checks what the shapes do) and the `flythrough` bench (which reports how long frames took): a dozen
 * shapes of a tiny random decoder with tiny levels; the camera holds far until every shape shows its
 * first level, moves in over 60 frames, holds until nothing is building, moves out and holds again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../plugin-examples/serve.mjs';
import { collectPageErrors, launchChromium } from './browser.js';
import { randomModel, TINY, writeModel } from './fixtures.js';

export const FLYTHROUGH_LEVELS = [8, 16, 24];
export const FLYTHROUGH_SHAPES = 12;

export interface FlythroughChunk {
  ms: number;
  /** Of which the decoder's synchronous tfjs work, interleaved while the chunk was open. */
  decoderMs: number;
  closedBy: string;
  started: string;
  ended: string;
}

/** What lodPage.html's `lodTest.run()` reports. */
export interface FlythroughResult {
  backendUsed: string;
  tfBackend: string;
  frames: number;
  levels: number[];
  histories: { level: number; phase: string }[][];
  nearLevels: number[];
  finalLevels: number[];
  budget: { budgetMs: number; worstFrameMs: number; framesWorked: number };
  longestChunks: FlythroughChunk[];
  /** Extraction ms of each frame that did some, as the instrumentation summed it. */
  frameUsage: number[];
  /** The frame with the most extraction time: its chunks in order. */
  worstFrame: { ms: number; chunks: { ms: number; kind: string }[] };
  decoderSyncMs: number[];
  uploads: { ms: number; vertices: number }[];
  chunkKinds: Record<string, { count: number; maxMs: number; totalMs: number }>;
  worstFrameIntervalMs: number;
  medianFrameIntervalMs: number;
  worstRenderMs: number;
  decoderCalls: number;
  pointsEvaluated: number;
}

/**
 * Runs the fly-through once in a fresh browser and server on the webgl backend. Rejects with the
 * page's own messages when it fails or reports errors.
 */
export async function runFlythrough(): Promise<FlythroughResult> {
  const tempDir = mkdtempSync(join(tmpdir(), 'imnet-lod-'));
  // Seed 4: every one of the 12 latents has a surface at these resolutions.
  writeModel(randomModel({ architecture: TINY, seed: 4, latents: FLYTHROUGH_SHAPES }), { dir: join(tempDir, 'weights') });
  const server = await startServer({ port: 0, mounts: { '/test-weights': join(tempDir, 'weights') } });
  const browser = await launchChromium().catch(async (error) => {
    await server.close();
    throw error;
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 256, height: 256, deviceScaleFactor: 1 });
    const errors = collectPageErrors(page);
    const query = `model=/test-weights/model.json&backend=webgl&levels=${FLYTHROUGH_LEVELS.join(',')}&count=${FLYTHROUGH_SHAPES}`;
    await page.goto(`${server.url}/test/browser/lodPage.html?${query}`, { waitUntil: 'load' });
    let result: FlythroughResult;
    try {
      result = await page.evaluate(() => (window as any).lodTest.run());
    } catch (error) {
      throw new Error(`the fly-through failed: ${(error as Error).message}\n${errors.messages.join('\n')}`);
    }
    errors.assertNone();
    return result;
  } finally {
    await browser.close();
    await server.close();
    rmSync(tempDir, { recursive: true, force: true });
  }
}
