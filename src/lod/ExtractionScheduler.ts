/**
 * One per engine: turns the occupancy requests of many shapes into shared decoder calls, most
 * visible shapes first, and owns the frame budget that bounds extraction's main-thread work.
 *
 * Shapes of the same decoder share calls: their points are concatenated and each point's
 * per-shape bias (the folded latent) is gathered by a shape index, so 64 shapes needing 2k points
 * each cost one 128k-point call instead of 64 small ones.
 */
import * as tf from '@tensorflow/tfjs';
import type { AbstractEngine } from '@babylonjs/core/Engines/abstractEngine.js';
import type { Observer } from '@babylonjs/core/Misc/observable.js';
import { activateBackend, runExclusive, type BackendName } from '../evaluate/backend.js';
import type { FoldedLatent } from '../evaluate/tfDecoder.js';
import type { OccupancyFunction } from '../extract/types.js';
import { AbortError, type ImNetDecoder } from '../ImNetDecoder.js';
import type { LatentCode } from '../LatentCode.js';
import { FrameBudget } from './frameBudget.js';

/** Scheduler settings. */
export interface ExtractionSchedulerOptions {
  /** Main-thread ms per frame for extraction's CPU work. Default 8. */
  frameBudgetMs?: number;
  /** Most points per decoder call. Default 65536. */
  batchSize?: number;
  /** Share calls between shapes (default true); false evaluates one shape's request at a time. */
  batchAcrossShapes?: boolean;
  /** Clock (ms) the frame budget times chunks with. Default `performance.now`; tests inject a deterministic one. */
  now?: () => number;
}

/** A shape's handle on the scheduler: its occupancy function and its priority. */
export interface ScheduledOccupancy {
  /** Batched occupancy for this shape's latent, evaluated in the scheduler's shared calls. */
  readonly evaluate: OccupancyFunction;
  /** The backend that ran the last call. */
  readonly backend: string | undefined;
  /** Frees the shape's tensors and rejects its pending requests with an AbortError. */
  dispose(): void;
}

interface Client {
  decoder: ImNetDecoder;
  latent: LatentCode;
  backend: BackendName;
  priority: () => number;
  folded: FoldedLatent | null;
  disposed: boolean;
  lastBackend: string | undefined;
  untrack: () => void;
}

interface Request {
  client: Client;
  points: Float32Array;
  result: Float32Array;
  /** Points of this request already sent. */
  sent: number;
  /** Points of this request whose values are back. */
  done: number;
  resolve(values: Float32Array): void;
  reject(error: Error): void;
}

const schedulers = new WeakMap<AbstractEngine, ExtractionScheduler>();

/**
 * On GPU backends calls are padded to a few sizes (powers of two from 4096, capped at the batch
 * size): WebGL compiles shader programs per tensor shape, and each new size cost 180-380 ms of
 * main-thread time on SwiftShader; padded rows cost a little GPU time instead. wasm, cpu and
 * tfjs-node compile nothing per shape, so there padding would only be wasted work (up to 2x: a
 * first 32^3 level of 35937 points padded to 65536).
 */
const PADDED_BACKENDS = new Set(['webgl', 'webgpu']);

function paddedBatchSize(count: number, batchSize: number): number {
  let size = 4096;
  while (size < count) size *= 2;
  return Math.max(count, Math.min(size, batchSize));
}

/**
 * Shared decoder calls for every shape of an engine, most visible first, and the frame budget that
 * bounds extraction's main-thread work. Shapes find theirs with {@link ExtractionScheduler.ForEngine}.
 */
export class ExtractionScheduler {
  /** The engine's scheduler, created on first use. */
  static ForEngine(engine: AbstractEngine, options?: ExtractionSchedulerOptions): ExtractionScheduler {
    let scheduler = schedulers.get(engine);
    if (!scheduler || scheduler.disposed) {
      scheduler = new ExtractionScheduler(options, engine);
      schedulers.set(engine, scheduler);
    }
    return scheduler;
  }

  /** The main-thread budget that extraction's CPU chunks respect. */
  readonly frameBudget: FrameBudget;
  /** Most points per decoder call; may be changed at any time (lower it on wasm/cpu to keep frames short). */
  batchSize: number;
  /** Share calls between shapes; false evaluates one shape's request at a time. */
  batchAcrossShapes: boolean;
  /** Decoder calls made, and points sent (for benches and tests). */
  readonly counters = {
    /** Decoder calls made. */
    calls: 0,
    /** Points sent to the decoder (padding excluded). */
    points: 0,
  };

  private readonly queue: Request[] = [];
  private running = false;
  private disposed = false;
  private readonly engine: AbstractEngine | null;
  private readonly frameObserver: Observer<AbstractEngine> | null = null;

  constructor(options: ExtractionSchedulerOptions = {}, engine: AbstractEngine | null = null) {
    this.engine = engine;
    this.batchSize = options.batchSize ?? 65536;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize: expected a positive integer, got ${options.batchSize}`);
    this.batchAcrossShapes = options.batchAcrossShapes ?? true;
    // Without a render loop (Node tools, tests, a paused page) no frame will come: yield to the event
    // loop instead, so extraction still progresses.
    const nextFrame = engine
      ? () => new Promise<void>((resolve) => {
        if (engine.activeRenderLoops.length === 0) setTimeout(resolve, 0);
        else engine.onBeginFrameObservable.addOnce(() => resolve());
      })
      : undefined;
    this.frameBudget = new FrameBudget({ budgetMs: options.frameBudgetMs, nextFrame, now: options.now });
    if (engine) this.frameObserver = engine.onBeginFrameObservable.add(() => this.frameBudget.beginFrame());
  }

  /** An occupancy function for one shape; `priority()` (higher first) is read when calls are formed. */
  createOccupancy(latent: LatentCode, options: { backend?: BackendName; priority?: () => number } = {}): ScheduledOccupancy {
    const decoder = latent.decoder;
    // Shared calls concatenate xyz rows; a 2D decoder's few (resolution+1)^2 points need no sharing.
    if (decoder.pointSize !== 3) throw new RangeError(`ExtractionScheduler: the ${decoder.category} decoder takes ${decoder.pointSize} coordinates per point; the scheduler batches xyz (3)`);
    const client: Client = {
      decoder, latent, backend: options.backend ?? 'auto', priority: options.priority ?? (() => 0),
      folded: null, disposed: false, lastBackend: undefined, untrack: () => undefined,
    };
    const handle: ScheduledOccupancy = {
      evaluate: (points) => this.enqueue(client, points),
      get backend() { return client.lastBackend; },
      dispose: () => {
        if (client.disposed) return;
        client.disposed = true;
        client.folded?.dispose();
        client.folded = null;
        client.untrack();
        for (const r of this.queue.filter((q) => q.client === client)) r.reject(new AbortError('shape disposed'));
        this.removeWhere((q) => q.client === client);
      },
    };
    client.untrack = decoder.track(handle);
    return handle;
  }

  /** Requests waiting for the decoder. */
  get pendingRequests(): number {
    return this.queue.length;
  }

  /** Rejects every unfinished request (queued, or partly evaluated) with an AbortError and accepts no more; `ForEngine` then makes a new one. */
  dispose(): void {
    this.disposed = true;
    if (this.frameObserver && this.engine) this.engine.onBeginFrameObservable.remove(this.frameObserver);
    for (const r of this.queue) r.reject(new AbortError('scheduler disposed'));
    this.queue.length = 0;
  }

  private enqueue(client: Client, points: Float32Array): Promise<Float32Array> {
    if (client.disposed) return Promise.reject(new AbortError('shape disposed'));
    // A disposed scheduler never drains again: waiting would hang the caller.
    if (this.disposed) return Promise.reject(new AbortError('scheduler disposed'));
    if (points.length % 3 !== 0) return Promise.reject(new RangeError(`points: expected xyz triples, got ${points.length} values`));
    return new Promise<Float32Array>((resolve, reject) => {
      this.queue.push({ client, points, result: new Float32Array(points.length / 3), sent: 0, done: 0, resolve, reject });
      if (!this.running) {
        this.running = true;
        // A macrotask, not a microtask: lets every shape that extracts this tick join the first call.
        setTimeout(() => void this.drain(), 0);
      }
    });
  }

  private removeWhere(predicate: (r: Request) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (predicate(this.queue[i])) this.queue.splice(i, 1);
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.disposed) {
        const batch = this.nextBatch();
        await runExclusive(() => this.run(batch));
        // Back to the event loop between calls: frames render, and the next call's synchronous tfjs
        // work (graph building, WebGL program compiles) never lands inside an extraction chunk.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0 && !this.disposed) {
        this.running = true;
        setTimeout(() => void this.drain(), 0);
      }
    }
  }

  /** The most urgent request's decoder and backend, and as many of their points as fit a call. */
  private nextBatch(): { request: Request; from: number; count: number }[] {
    const open = this.queue.filter((r) => r.sent < r.points.length / 3);
    open.sort((a, b) => b.client.priority() - a.client.priority());
    const lead = open[0];
    const batch: { request: Request; from: number; count: number }[] = [];
    let room = this.batchSize;
    for (const r of open) {
      if (room === 0) break;
      if (r.client.decoder !== lead.client.decoder || r.client.backend !== lead.client.backend) continue;
      if (!this.batchAcrossShapes && r !== lead) continue;
      const count = Math.min(room, r.points.length / 3 - r.sent);
      batch.push({ request: r, from: r.sent, count });
      r.sent += count;
      room -= count;
    }
    return batch;
  }

  private async run(batch: { request: Request; from: number; count: number }[]): Promise<void> {
    const live = batch.filter((b) => !b.request.client.disposed);
    if (live.length === 0) return;
    const { decoder, backend: preference } = live[0].request.client;
    let values: Float32Array;
    let backend: string;
    try {
      backend = await activateBackend(preference);
      const tfDecoder = decoder.tensorDecoder();
      const clients = [...new Set(live.map((b) => b.request.client))];
      for (const c of clients) c.folded ??= tfDecoder.fold(c.latent.values);
      const total = live.reduce((s, b) => s + b.count, 0);
      const padded = PADDED_BACKENDS.has(backend) ? paddedBatchSize(total, this.batchSize) : total;
      const points = new Float32Array(padded * 3);
      const spans: { start: number; count: number; folded: FoldedLatent }[] = [];
      let offset = 0;
      for (const b of live) {
        points.set(b.request.points.subarray(b.from * 3, (b.from + b.count) * 3), offset * 3);
        spans.push({ start: offset, count: b.count, folded: b.request.client.folded! });
        offset += b.count;
      }
      const out = tf.tidy(() => tfDecoder.decodeMany(tf.tensor2d(points, [padded, 3]), spans));
      try {
        values = (await out.data()) as Float32Array;
      } finally {
        out.dispose();
      }
      this.counters.calls++;
      this.counters.points += total;
    } catch (error) {
      for (const b of live) {
        b.request.reject(error as Error);
        this.removeWhere((q) => q === b.request);
      }
      return;
    }
    let offset = 0;
    for (const b of live) {
      const r = b.request;
      r.result.set(values.subarray(offset, offset + b.count), b.from);
      offset += b.count;
      r.done += b.count;
      r.client.lastBackend = backend;
      if (r.done === r.points.length / 3) {
        this.removeWhere((q) => q === r);
        r.resolve(r.result);
      }
    }
  }
}
