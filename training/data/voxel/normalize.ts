/**
 * Puts a mesh into the decoder's box: turned so that its up is +y and its front +z (a quarter-turn
 * rotation, see `Orientation`), then the bounding box centred at the origin and its longest side scaled
 * to `longestSide` (1 by default, so the shape spans [-0.5, 0.5] along it).
 */

/** How a shape was normalized: `normalized = (oriented - center) * scale`. */
export interface Normalization {
  center: [number, number, number];
  scale: number;
}

/** A source axis with its direction: `-x` is the source's negative x axis. */
export type SignedAxis = 'x' | 'y' | 'z' | '-x' | '-y' | '-z';

/** Every signed axis, in the order `--up` lists them. */
export const SIGNED_AXES: readonly SignedAxis[] = ['x', 'y', 'z', '-x', '-y', '-z'];

/**
 * Which source axes become the decoder's up (+y) and front (+z). Right-handed: +x is up x front, so
 * every orientation is a rotation (never a mirror) and the 24 of them are the cube's quarter turns.
 */
export interface Orientation {
  up: SignedAxis;
  front: SignedAxis;
}

/**
 * The front an up axis implies when none is given: +z, or for z-up sources -y (CAD and Blender: the
 * front faces -y), so `--up z` keeps mapping (x, y, z) to (x, z, -y) as before.
 */
export function defaultFront(up: SignedAxis): SignedAxis {
  if (up === 'z') return '-y';
  if (up === '-z') return 'y';
  return 'z';
}

/** Parses a signed axis; throws a RangeError naming `what` otherwise. */
export function parseSignedAxis(value: unknown, what: string): SignedAxis {
  if (typeof value === 'string' && (SIGNED_AXES as readonly string[]).includes(value)) return value as SignedAxis;
  throw new RangeError(`${what}: expected one of ${SIGNED_AXES.join(', ')}, got ${JSON.stringify(value)}`);
}

/** An orientation from an up axis and an optional front; throws when the front is not perpendicular to up. */
export function orientationFor(up: SignedAxis, front: SignedAxis = defaultFront(up)): Orientation {
  if (up.slice(-1) === front.slice(-1)) {
    throw new RangeError(`front ${front} is along up ${up}; expected a front perpendicular to up (one of ${SIGNED_AXES.filter((a) => a.slice(-1) !== up.slice(-1)).join(', ')})`);
  }
  return { up, front };
}

/** Every quarter-turn orientation (24): up in `SIGNED_AXES` order, then front. */
export function allOrientations(): Orientation[] {
  const out: Orientation[] = [];
  for (const up of SIGNED_AXES) for (const front of SIGNED_AXES) if (up.slice(-1) !== front.slice(-1)) out.push({ up, front });
  return out;
}

/** Whether two orientations are the same rotation. */
export function sameOrientation(a: Orientation, b: Orientation): boolean {
  return a.up === b.up && a.front === b.front;
}

/**
 * The orientation as a signed permutation: target axis t (0 x, 1 y, 2 z) takes source axis
 * `axes[t]` times `signs[t]`.
 */
export function orientationAxes(o: Orientation): { axes: [number, number, number]; signs: [number, number, number] } {
  const up = axisVector(o.up), front = axisVector(o.front);
  // right = up x front
  const right = [up[1] * front[2] - up[2] * front[1], up[2] * front[0] - up[0] * front[2], up[0] * front[1] - up[1] * front[0]];
  const axes = [0, 0, 0] as [number, number, number];
  const signs = [1, 1, 1] as [number, number, number];
  [right, up, front].forEach((v, t) => {
    const a = v.findIndex((c) => c !== 0);
    axes[t] = a;
    signs[t] = v[a];
  });
  return { axes, signs };
}

function axisVector(axis: SignedAxis): number[] {
  const v = [0, 0, 0];
  v['xyz'.indexOf(axis.slice(-1))] = axis.startsWith('-') ? -1 : 1;
  return v;
}

/** The source positions turned by `orientation` (exact: quarter turns only move and negate coordinates). */
export function orientPositions(positions: Float32Array | Float64Array, orientation: Orientation): Float64Array {
  const { axes, signs } = orientationAxes(orientation);
  const out = new Float64Array(positions.length);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = signs[0] * positions[i + axes[0]];
    out[i + 1] = signs[1] * positions[i + axes[1]];
    out[i + 2] = signs[2] * positions[i + axes[2]];
  }
  return out;
}

/** The source positions turned so that `upAxis` points up (+y), with its default front. */
export function orientYUp(positions: Float32Array | Float64Array, upAxis: SignedAxis): Float64Array {
  return orientPositions(positions, orientationFor(upAxis));
}

/** Centre and scale that map the positions' bounding box into the box; throws for a flat-out point. */
export function normalizationOf(positions: Float64Array, longestSide = 1): Normalization {
  if (!(longestSide > 0 && longestSide <= 1)) throw new RangeError(`longestSide: expected a number in (0, 1], got ${longestSide}`);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < positions.length; i += 3) {
    for (let a = 0; a < 3; a++) {
      const v = positions[i + a];
      if (v < min[a]) min[a] = v;
      if (v > max[a]) max[a] = v;
    }
  }
  const extent = Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2]);
  if (!(extent > 0)) throw new RangeError(`the mesh's bounding box has size ${extent}; expected a positive extent`);
  return {
    center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2],
    scale: longestSide / extent,
  };
}

/** Applies a normalization in place and returns the same array. */
export function applyNormalization(positions: Float64Array, { center, scale }: Normalization): Float64Array {
  for (let i = 0; i < positions.length; i += 3) {
    positions[i] = (positions[i] - center[0]) * scale;
    positions[i + 1] = (positions[i + 1] - center[1]) * scale;
    positions[i + 2] = (positions[i + 2] - center[2]) * scale;
  }
  return positions;
}
