/**
 * Grid corner index -> occupancy value, for the sparse levels of the adaptive extractor.
 *
 * A dense 513^3 corner grid is 540 MB of float32 and mostly far from the surface; the adaptive
 * extractor keeps only the corners it evaluated, keyed by their index on the finest grid (so a
 * corner shared by several levels is stored once). Open addressing over typed arrays, like
 * `EdgeVertexMap`: no per-entry objects, keys (< 1025^3 < 2^32) fit a Uint32Array.
 */

import type { Checkpoints, GrowsInChunks } from './checkpoints.js';

// Aliases of the globals used in hot loops: inside vm contexts (jest's ESM runner, some sandboxes)
// every global lookup costs ~20x more, and these loops run millions of times per extraction.
const imul = Math.imul;
/** What `get` returns for a key not evaluated (yet). */
const UNKNOWN = Number.NaN;

/** Key value marking an empty slot; corner indices never reach it. */
const EMPTY = 0xffffffff;

/** Slots filled or moved per chunk of {@link CornerValueMap.growSliced} (~0.2 ms under jest). */
const SLOTS_PER_GROW_CHUNK = 32768;

/** Hash map from uint32 corner indices to float32 values (internal to the extractors). */
export class CornerValueMap implements GrowsInChunks {
  private keys: Uint32Array;
  private values: Float32Array;
  private mask: number;
  private shift: number;
  private count = 0;

  /** @param expected - entries expected, to size the table once. */
  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.keys = new Uint32Array(capacity).fill(EMPTY);
    this.values = new Float32Array(capacity);
    this.mask = capacity - 1;
    this.shift = 32 - Math.log2(capacity);
  }

  /** Entries stored. */
  get size(): number {
    return this.count;
  }

  /**
   * More than 3/8 full: time to {@link growSliced} between chunks of work, so that the table (which
   * must grow at 1/2 to keep probes short) does not grow at once inside one (rehashing 1M slots took
   * ~5 ms under jest).
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
    this.values = new Float32Array(keys.length);
    this.mask = keys.length - 1;
    this.shift--;
    await checkpoints.forEachChunk(oldKeys.length, SLOTS_PER_GROW_CHUNK, (from, to) => {
      for (let i = from; i < to; i++) if (oldKeys[i] !== EMPTY) this.place(oldKeys[i], oldValues[i]);
    });
  }

  /** Value stored for `key`: NaN when absent or not evaluated yet. */
  get(key: number): number {
    const keys = this.keys;
    for (let slot = slotOf(key, this.shift); ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) return this.values[slot];
      if (k === EMPTY) return UNKNOWN;
    }
  }

  /** True when `key` is stored (evaluated or pending). */
  has(key: number): boolean {
    const keys = this.keys;
    for (let slot = slotOf(key, this.shift); ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) return true;
      if (k === EMPTY) return false;
    }
  }

  /** Adds `key` with value NaN (pending) unless present; true when it was absent. */
  addIfAbsent(key: number): boolean {
    const keys = this.keys;
    let slot = slotOf(key, this.shift);
    for (; ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) return false;
      if (k === EMPTY) break;
    }
    // Load factor stays <= 1/2 so probes stay short.
    if (2 * (this.count + 1) > keys.length) {
      this.grow();
      this.place(key, UNKNOWN);
    } else {
      keys[slot] = key;
      this.values[slot] = UNKNOWN;
    }
    this.count++;
    return true;
  }

  /** Stores `value` for `key`, adding the key when absent. */
  set(key: number, value: number): void {
    const keys = this.keys;
    for (let slot = slotOf(key, this.shift); ; slot = (slot + 1) & this.mask) {
      const k = keys[slot];
      if (k === key) {
        this.values[slot] = value;
        return;
      }
      if (k === EMPTY) break;
    }
    if (2 * (this.count + 1) > keys.length) this.grow();
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
    this.values = new Float32Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    this.shift--;
    for (let i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] !== EMPTY) this.place(oldKeys[i], oldValues[i]);
    }
  }
}

/** Fibonacci hashing: corner indices come in regular strides, which low bits alone would cluster. */
function slotOf(key: number, shift: number): number {
  return imul(key, 0x9e3779b1) >>> shift;
}
