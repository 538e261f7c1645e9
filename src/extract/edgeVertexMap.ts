/**
 * Global edge id -> vertex index, so neighbouring cells share the vertex on their common edge.
 *
 * Open addressing over typed arrays rather than a `Map`: no per-entry objects on the extraction hot
 * path, and keys (< 3 * 1027^3 < 2^32) fit a Uint32Array.
 */

/** Key value marking an empty slot; edge ids never reach it. */
const EMPTY = 0xffffffff;

/** Hash map from uint32 edge ids to vertex indices (internal to the extractors). */
export class EdgeVertexMap {
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
