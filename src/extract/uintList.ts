/** A growable list of uint32 (cell and corner indices), for the adaptive extractor's kernels. */

const { max } = Math;

/** Growable uint32 list: `data[0..length)` holds the items. */
export class UintList {
  data: Uint32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Uint32Array(max(16, capacity));
  }

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}
