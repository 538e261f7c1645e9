/**
 * Global edge id -> vertex index, so neighbouring cells share the vertex on their common edge.
 *
 * Open addressing over typed arrays rather than a `Map`: no per-entry objects on the extraction hot
 * path, and keys (< 3 * 1027^3 < 2^32) fit a Uint32Array.
 */

import type { Checkpoints, GrowsInChunks } from './checkpoints.js';

/** Key value marking an empty slot; edge ids never reach it. */
const EMPTY = 0xffffffff;

/** Slots filled or moved per chunk of {@link EdgeVertexMap.growSliced} (~0.2 ms under jest). */
const SLOTS_PER_GROW_CHUNK = 32768;

/** Hash map from uint32 edge ids to vertex indices (internal to the extractors). */
export class EdgeVertexMap implements GrowsInChunks {
  private keys: Uint32Array;
  private values: Int32Array;
  private mask: number;
  private shift: number;
  private count = 0;

  /** @param expected - entries expected, to size the table once. */
  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity).fill(EMPTY);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
  }

  /**
   * More than 3/8 full: time to {@link growSliced} between chunks of work, so that the table (which
   * must grow at 1/2 to keep probes short) does not grow at once inside one.
   */
  get crowded(): boolean {
    return 8 * this.count > 3 * this.keys.length;
  }

  /**
   * Doubles the table, filling and rehashing it in chunks with checkpoints between them. The map
   * must not be used until the promise resolves.
   */
  async growSliced(checkpoints: Checkpoints): Promise<void> {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const keys = new Uint32Array(oldKeys.length * 2);
    await checkpoints.forEachChunk(keys.length, SLOTS_PER_GROW_CHUNK, (from, to) => keys.fill(EMPTY, from, to));
    this.keys = keys;
    this.values = new Int32Array(keys.length);
    this.mask = keys.length - 1;
    this.shift--;
    await checkpoints.forEachChunk(oldKeys.length, SLOTS_PER_GROW_CHUNK, (from, to) => {
      for (let i = from; i < to; i++) if (oldKeys[i] !== EMPTY) this.place(oldKeys[i], oldValues[i]);
    });
  }

  /** Vertex index stored for `key`, or -1. */
  get(key: number): number {
    const keys = this.keys;
    for (let slot = slotOf(key, this.shift); ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) return this.values[slot];
      if (k === EMPTY) return -1;
    }
  }

  /** Stores `value` for `key`, which must not be present yet. */
  insert(key: number, value: number): void {
    // Load factor stays <= 1/2 so probes stay short.
    if (2 * (this.count + 1) > this.keys.length) this.grow();
    this.place(key, value);
    this.count++;
  }

  private place(key: number, value: number): void {
    const keys = this.keys;
    let slot = slotOf(key, this.shift);
    while (keys[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    keys[slot] = key;
    this.values[slot] = value;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Uint32Array(oldKeys.length * 2).fill(EMPTY);
    this.values = new Int32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.shift--;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] !== EMPTY) this.place(oldKeys[i], oldValues[i]);
    }
  }
}

/**
 * Fibonacci hashing (top bits of key * 2^32/phi): edge ids come in regular strides (3 per grid
 * point, 3(r+3) per row), which the low bits alone would map onto few slots.
 */
function slotOf(key: number, shift: number): number {
  return Math.imul(key, 0x9e3779b1) >>> shift;
}
