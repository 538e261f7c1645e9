/**
 * A topologically consistent marching cubes case table, generated at module load.
 *
 * Why not the classic Lorensen/Bourke table: it resolves each ambiguous face per case, so two cells
 * sharing a face can disagree about it and leave a hole. Here every cell derives its surface from
 * its six faces with one rule that only looks at the face's own four corners, so the two cells that
 * share a face always cut it the same way and the glued surface is closed.
 *
 * Conventions (all in this file, used by the marcher):
 * - Corner `c` (0..7) sits at offset (c & 1, (c >> 1) & 1, (c >> 2) & 1): x fastest, like the grid.
 * - Edge `e` (0..11) runs along axis `EDGE_AXIS[e]` = floor(e / 4) from corner `EDGE_CORNER_A[e]`
 *   (its low end) to `EDGE_CORNER_B[e]` = A + (1 << axis).
 * - Case index: bit `c` set when corner `c` is inside (value >= iso-level).
 *
 * The rule, step by step:
 * 1. Face segments. Walk each face's corners counter-clockwise as seen from outside the cube. An
 *    edge of that walk that goes outside -> inside "enters"; inside -> outside "leaves". Each
 *    entering edge is joined to the next leaving edge along the walk, i.e. each run of inside
 *    corners is cut off by its own segment. On an ambiguous face (two diagonal corners inside)
 *    this separates the inside corners; it depends only on the face's four signs, so the neighbour
 *    cell produces the same two segments (traversed the other way). The segment runs from the
 *    entering edge to the leaving edge, which puts the inside corners on its right seen from
 *    outside the cube: the loop it belongs to then winds counter-clockwise around the outward
 *    (toward low occupancy) normal.
 * 2. Loops. A crossing edge lies on two faces and the cube surface orients them oppositely, so it
 *    enters on one and leaves on the other: every crossing edge has one segment in and one out, and
 *    the segments chain into disjoint closed loops.
 * 3. Triangulation. Each loop becomes a disk, as a fan. A fan diagonal between two edge points that
 *    lie on one cube face is forbidden: the neighbour across that face could own the same edge (as
 *    a face segment or its own diagonal), and an edge in four triangles is not manifold. Two edges
 *    on no common face belong to this cell only, so allowed diagonals are never shared. The fan root
 *    is the first loop point (in loop order, loops starting at their lowest edge) whose diagonals
 *    are all allowed. With this face rule loops have 3..7 points and such a root always exists
 *    (18 loops need a root other than the first point), so no loop-centre vertex is ever needed;
 *    the generator throws at load if a changed rule breaks that.
 *
 * Result, proven by the tests over all 256 cases and random grids: glued cells give a closed,
 * edge- and vertex-manifold, consistently oriented mesh whose triangles are counter-clockwise seen
 * from the low-occupancy side.
 */

/** Corner offsets, 3 per corner (x, y, z in {0,1}). */
export const CORNER_OFFSETS = new Uint8Array(24);
/** Axis (0 x, 1 y, 2 z) of each edge. */
export const EDGE_AXIS = new Uint8Array(12);
/** Low-end corner of each edge. */
export const EDGE_CORNER_A = new Uint8Array(12);
/** High-end corner of each edge. */
export const EDGE_CORNER_B = new Uint8Array(12);

/** Bit `e` set when edge `e` crosses the surface in case `c`. */
export const CASE_EDGE_MASK = new Uint16Array(256);

/** Per face (6): its 4 corners counter-clockwise seen from outside the cube. */
const FACE_CORNERS: number[][] = [];
/** Per edge: bit mask of the 2 faces it lies on. */
const EDGE_FACE_MASK = new Uint8Array(12);

function buildGeometry(): void {
  for (let c = 0; c < 8; c++) {
    CORNER_OFFSETS[3 * c] = c & 1;
    CORNER_OFFSETS[3 * c + 1] = (c >> 1) & 1;
    CORNER_OFFSETS[3 * c + 2] = (c >> 2) & 1;
  }
  let e = 0;
  for (let axis = 0; axis < 3; axis++) {
    for (let c = 0; c < 8; c++) {
      if (c & (1 << axis)) continue;
      EDGE_AXIS[e] = axis;
      EDGE_CORNER_A[e] = c;
      EDGE_CORNER_B[e] = c | (1 << axis);
      e++;
    }
  }
  for (let axis = 0; axis < 3; axis++) {
    // (u, v, axis) is right-handed, so (0,0) (1,0) (1,1) (0,1) in (u, v) is counter-clockwise seen
    // from +axis; the face on the low side is seen from -axis, so its walk is reversed.
    const u = (axis + 1) % 3;
    const v = (axis + 2) % 3;
    for (let side = 0; side < 2; side++) {
      const uv = side === 1 ? [[0, 0], [1, 0], [1, 1], [0, 1]] : [[0, 0], [0, 1], [1, 1], [1, 0]];
      const face = FACE_CORNERS.length;
      FACE_CORNERS.push(uv.map(([a, b]) => (side << axis) | (a << u) | (b << v)));
      for (let i = 0; i < 4; i++) {
        const edge = edgeBetween(FACE_CORNERS[face][i], FACE_CORNERS[face][(i + 1) % 4]);
        EDGE_FACE_MASK[edge] |= 1 << face;
      }
    }
  }
}

function edgeBetween(c0: number, c1: number): number {
  for (let e = 0; e < 12; e++) {
    const a = EDGE_CORNER_A[e];
    const b = EDGE_CORNER_B[e];
    if ((a === c0 && b === c1) || (a === c1 && b === c0)) return e;
  }
  throw new Error(`corners ${c0} and ${c1} share no cube edge`);
}

function onCommonFace(e0: number, e1: number): boolean {
  return (EDGE_FACE_MASK[e0] & EDGE_FACE_MASK[e1]) !== 0;
}

/** Step 1 and 2: the closed loops of a case, each in winding order. */
function caseLoops(caseIndex: number): number[][] {
  const next = new Int8Array(12).fill(-1);
  for (const corners of FACE_CORNERS) {
    const inside = corners.map((c) => (caseIndex >> c) & 1);
    for (let i = 0; i < 4; i++) {
      if (inside[i] || !inside[(i + 1) % 4]) continue;
      // Edge i enters the run of inside corners starting at corner i+1; it ends at the next
      // leaving edge.
      let j = (i + 1) % 4;
      while (inside[(j + 1) % 4]) j = (j + 1) % 4;
      const from = edgeBetween(corners[i], corners[(i + 1) % 4]);
      const to = edgeBetween(corners[j], corners[(j + 1) % 4]);
      if (next[from] !== -1) throw new Error(`case ${caseIndex}: edge ${from} leaves twice`);
      next[from] = to;
    }
  }
  const loops: number[][] = [];
  const seen = new Uint8Array(12);
  for (let start = 0; start < 12; start++) {
    if (next[start] === -1 || seen[start]) continue;
    const loop: number[] = [];
    for (let e = start; !seen[e]; e = next[e]) {
      if (next[e] === -1) throw new Error(`case ${caseIndex}: loop through edge ${e} is open`);
      seen[e] = 1;
      loop.push(e);
    }
    if (loop[0] !== next[loop[loop.length - 1]]) throw new Error(`case ${caseIndex}: loop does not close`);
    loops.push(loop);
  }
  return loops;
}

/** Step 3: a fan over one loop whose diagonals join only edges on no common face. */
function triangulateLoop(caseIndex: number, loop: number[]): number[] {
  const n = loop.length;
  for (let root = 0; root < n; root++) {
    let ok = true;
    for (let k = 2; k < n - 1 && ok; k++) ok = !onCommonFace(loop[root], loop[(root + k) % n]);
    if (!ok) continue;
    const triangles: number[] = [];
    for (let k = 1; k < n - 1; k++) triangles.push(loop[root], loop[(root + k) % n], loop[(root + k + 1) % n]);
    return triangles;
  }
  // Unreachable with the face rule above (loops have at most 7 points and a valid fan root always
  // exists; the table test pins this). Changing the rule must bring a non-fan fallback with it.
  throw new Error(`case ${caseIndex}: loop ${loop.join(',')} has no fan without a same-face diagonal`);
}

function buildCases(): { triangleStart: Uint16Array; triangles: Uint8Array } {
  const triangles: number[] = [];
  const triangleStart: number[] = [];
  for (let caseIndex = 0; caseIndex < 256; caseIndex++) {
    triangleStart.push(triangles.length);
    for (const loop of caseLoops(caseIndex)) {
      for (const e of loop) CASE_EDGE_MASK[caseIndex] |= 1 << e;
      triangles.push(...triangulateLoop(caseIndex, loop));
    }
  }
  triangleStart.push(triangles.length);
  return { triangleStart: Uint16Array.from(triangleStart), triangles: Uint8Array.from(triangles) };
}

buildGeometry();
const built = buildCases();
/** Triangles of case `c`: `CASE_TRIANGLES[CASE_TRIANGLE_START[c] .. CASE_TRIANGLE_START[c+1])`, 3 edges per triangle. */
export const CASE_TRIANGLE_START: Uint16Array = built.triangleStart;
/** Edge indices (0..11) of the triangle corners of all cases, concatenated. */
export const CASE_TRIANGLES: Uint8Array = built.triangles;
