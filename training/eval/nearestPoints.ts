/**
 * Exact nearest-neighbour distances between point sets through a k-d tree, for the Chamfer distance:
 * the same squared distances as a brute-force scan, computed the same way, so the minima are
 * bit-identical; pruning skips only subtrees whose bounding box is already no nearer than the best
 * (rounding is monotonic, so a box's rounded distance never exceeds a rounded distance to a point in it).
 */

/** Points per leaf: small enough to prune well, large enough that the scan beats the descent. */
const LEAF_SIZE = 8;

/** A k-d tree over xyz points (median splits on the widest axis, leaves of up to LEAF_SIZE points, a bounding box per node). */
interface PointTree {
  /** The points, reordered so every subtree is a contiguous range. */
  xyz: Float64Array;
  /** Per node: split axis (0..2), or -1 for a leaf. Node n's children are 2n+1 and 2n+2. */
  axis: Int8Array;
  /** Per node: bounding box of its points, min xyz then max xyz at 6n. */
  box: Float64Array;
  start: Int32Array;
  end: Int32Array;
}

function buildTree(points: Float32Array): PointTree {
  const n = points.length / 3;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let nodes = 1;
  while (nodes * LEAF_SIZE < n) nodes *= 2;
  nodes = 2 * nodes - 1;
  const tree: PointTree = { xyz: new Float64Array(3 * n), axis: new Int8Array(nodes).fill(-1), box: new Float64Array(6 * nodes), start: new Int32Array(nodes), end: new Int32Array(nodes) };
  const build = (node: number, lo: number, hi: number): void => {
    tree.start[node] = lo;
    tree.end[node] = hi;
    let axis = 0, widest = -1;
    for (let a = 0; a < 3; a++) {
      let min = Infinity, max = -Infinity;
      for (let i = lo; i < hi; i++) {
        const v = points[3 * order[i] + a];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      tree.box[6 * node + a] = min;
      tree.box[6 * node + 3 + a] = max;
      if (max - min > widest) { widest = max - min; axis = a; }
    }
    if (hi - lo <= LEAF_SIZE || 2 * node + 2 >= nodes) return;
    const mid = (lo + hi) >> 1;
    selectNth(order, points, axis, lo, hi - 1, mid);
    tree.axis[node] = axis;
    build(2 * node + 1, lo, mid);
    build(2 * node + 2, mid, hi);
  };
  build(0, 0, n);
  for (let i = 0; i < n; i++) for (let a = 0; a < 3; a++) tree.xyz[3 * i + a] = points[3 * order[i] + a];
  return tree;
}

/** Quickselect: afterwards order[lo..k) <= order[k] <= order(k..hi] on `axis`. */
function selectNth(order: Int32Array, points: Float32Array, axis: number, lo: number, hi: number, k: number): void {
  while (lo < hi) {
    const pivot = points[3 * order[(lo + hi) >> 1] + axis];
    let i = lo, j = hi;
    while (i <= j) {
      while (points[3 * order[i] + axis] < pivot) i++;
      while (points[3 * order[j] + axis] > pivot) j--;
      if (i <= j) {
        const t = order[i]; order[i] = order[j]; order[j] = t;
        i++; j--;
      }
    }
    if (k <= j) hi = j; else if (k >= i) lo = i; else return;
  }
}

/** Squared distance from (x, y, z) to the box of `node` (0 inside). */
function boxDistance2(box: Float64Array, node: number, x: number, y: number, z: number): number {
  const b = 6 * node;
  const dx = x < box[b] ? box[b] - x : x > box[b + 3] ? x - box[b + 3] : 0;
  const dy = y < box[b + 1] ? box[b + 1] - y : y > box[b + 4] ? y - box[b + 4] : 0;
  const dz = z < box[b + 2] ? box[b + 2] - z : z > box[b + 5] ? z - box[b + 5] : 0;
  return dx * dx + dy * dy + dz * dz;
}

/**
 * Mean over `from`'s points of the squared distance to the nearest point of `to` (both non-empty,
 * xyz per point). Equal, bit for bit, to scanning every pair.
 */
export function meanSquaredNearestDistance(from: Float32Array, to: Float32Array): number {
  const tree = buildTree(to);
  const { xyz, axis, box, start, end } = tree;
  // Pending nodes with a lower bound on their squared distance, re-checked when popped.
  const stack = new Int32Array(128), bounds = new Float64Array(128);
  const n = from.length / 3;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = from[3 * i], y = from[3 * i + 1], z = from[3 * i + 2];
    let best = Infinity;
    let top = 0;
    stack[0] = 0;
    bounds[top++] = 0;
    while (top > 0) {
      const node = stack[--top];
      if (bounds[top] >= best) continue;
      const a = axis[node];
      if (a < 0) {
        for (let j = start[node]; j < end[node]; j++) {
          const dx = xyz[3 * j] - x, dy = xyz[3 * j + 1] - y, dz = xyz[3 * j + 2] - z;
          const d = dx * dx + dy * dy + dz * dz;
          if (d < best) best = d;
        }
        continue;
      }
      // Children in order of their boxes' distance, the nearer popped first.
      const left = 2 * node + 1, right = 2 * node + 2;
      const dLeft = boxDistance2(box, left, x, y, z), dRight = boxDistance2(box, right, x, y, z);
      if (dLeft <= dRight) {
        if (dRight < best) { stack[top] = right; bounds[top++] = dRight; }
        if (dLeft < best) { stack[top] = left; bounds[top++] = dLeft; }
      } else {
        if (dLeft < best) { stack[top] = left; bounds[top++] = dLeft; }
        if (dRight < best) { stack[top] = right; bounds[top++] = dRight; }
      }
    }
    sum += best;
  }
  return sum / n;
}
