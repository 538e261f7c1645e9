/**
 * Which level of detail a shape should show, from how big it is on screen. Pure functions: the
 * scheduler and ImplicitShape call them every frame, tests call them directly.
 *
 * Policy: a level of resolution R spreads R cells over the shape's box; it is enough once a cell is
 * no larger than `pixelsPerCell` pixels on screen. So the wanted resolution is
 * `projectedBoxPixels / pixelsPerCell`, and the level is the coarsest one at least that fine.
 * Hysteresis: stepping up needs the wanted resolution to exceed a level's own by `hysteresis`
 * (e.g. 15%) and stepping down needs it to fall below the lower level's by the same margin, so a
 * shape sitting at a boundary does not flap between two levels.
 */

/** LOD settings of a shape. */
export interface LodPolicyOptions {
  /** Resolutions, coarsest first. Default [32, 64, 128, 256]. */
  levels?: number[];
  /** Largest on-screen size of one marching-cubes cell, in pixels, before a finer level is wanted. Default 3. */
  pixelsPerCell?: number;
  /** Relative margin around each threshold. Default 0.15. */
  hysteresis?: number;
}

/** The levels a shape gets when its options name none. */
export const DEFAULT_LOD_LEVELS: readonly number[] = [32, 64, 128, 256];

/** {@link LodPolicyOptions} with every default filled in and checked. */
export interface ResolvedLodPolicy {
  /** Resolutions, coarsest first. */
  levels: number[];
  /** Largest on-screen size of one cell, in pixels. */
  pixelsPerCell: number;
  /** Relative margin around each threshold. */
  hysteresis: number;
}

/** Fills in defaults and checks the options. @throws RangeError naming the option that is out of range. */

export function resolveLodPolicy(options: LodPolicyOptions = {}): ResolvedLodPolicy {
  const levels = options.levels ?? [...DEFAULT_LOD_LEVELS];
  if (!Array.isArray(levels) || levels.length === 0 || levels.some((r, i) => !Number.isInteger(r) || r < 2 || (i > 0 && r <= levels[i - 1]))) {
    throw new RangeError(`lod.levels: expected increasing integer resolutions >= 2, got ${JSON.stringify(levels)}`);
  }
  const pixelsPerCell = options.pixelsPerCell ?? 3;
  if (!(pixelsPerCell > 0)) throw new RangeError(`lod.pixelsPerCell: expected a positive number, got ${pixelsPerCell}`);
  const hysteresis = options.hysteresis ?? 0.15;
  if (!(hysteresis >= 0 && hysteresis < 1)) throw new RangeError(`lod.hysteresis: expected a number in [0, 1), got ${hysteresis}`);
  return { levels: [...levels], pixelsPerCell, hysteresis };
}

/**
 * The level index to show for a shape whose box spans `projectedPixels` on screen, given the
 * level index it shows now (`-1` for none yet).
 */
export function selectLodLevel(projectedPixels: number, currentLevel: number, policy: ResolvedLodPolicy): number {
  const { levels, pixelsPerCell, hysteresis } = policy;
  const wanted = Math.max(0, projectedPixels) / pixelsPerCell;
  // Without hysteresis: the coarsest level at least as fine as wanted.
  let target = levels.findIndex((r) => r >= wanted);
  if (target < 0) target = levels.length - 1;
  if (currentLevel < 0 || currentLevel >= levels.length) return target;
  if (target > currentLevel) {
    // Step up only when the current level is clearly too coarse.
    return wanted > levels[currentLevel] * (1 + hysteresis) ? target : currentLevel;
  }
  if (target < currentLevel) {
    // Step down only when the next coarser level is clearly enough.
    const coarser = levels[currentLevel - 1];
    if (wanted < coarser * (1 - hysteresis)) {
      return Math.max(target, 0);
    }
    return currentLevel;
  }
  return currentLevel;
}

/**
 * On-screen size in pixels of a sphere of `radius` at `distance` from a perspective camera with
 * vertical field of view `fovRadians`, on a viewport `viewportHeightPixels` tall.
 */
export function projectedDiameterPixels(radius: number, distance: number, fovRadians: number, viewportHeightPixels: number): number {
  if (distance <= radius) return viewportHeightPixels * 4; // camera inside or touching: as fine as allowed
  const angular = 2 * Math.asin(Math.min(1, radius / distance));
  return (angular / fovRadians) * viewportHeightPixels;
}
