/**
 * `isoMargin`: small parts where the values barely cross the iso-level, between coarse corners that
 * come close to it without crossing (what trained decoders leave), are found when the first level
 * also refines cells with a corner value near the iso-level, half as near on each level after; on
 * the box's boundary, where the box clips parts down to slivers, twice as near.
 */
import { extractSurface, marchGrid, type OccupancyFunction } from '../../src/extract/index.js';
import { cornerValues, occupancyOfSdf, sphereSdf, triangleSet } from '../support/fields.js';

/** A blob of radius 0.03 around the centre of a 16^3 cell: v = 0.56 - 2 |p - c|, no 16^3 corner inside. */
const centre = [-0.5 + 5.5 / 16, -0.5 + 9.5 / 16, -0.5 + 7.5 / 16];
const blob: OccupancyFunction = async (points) => {
  const out = new Float32Array(points.length / 3);
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.56 - 2 * Math.hypot(points[3 * i] - centre[0], points[3 * i + 1] - centre[1], points[3 * i + 2] - centre[2]);
  }
  return out;
};

/**
 * A faint blob, inside at one fine corner only: v = 0.52 - 2 |p - c| with c the fine corner
 * (21, 37, 29) of 64^3, so its nearest 16^3 and 32^3 corners all read 0.466, below the iso-level
 * on every level but the last (as the shipped chair decoder's GAN sample 2 leaves one at 128^3).
 */
const faintCentre = [21, 37, 29].map((i) => -0.5 + i / 64);
const faintBlob: OccupancyFunction = async (points) => {
  const out = new Float32Array(points.length / 3);
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.52 - 2 * Math.hypot(points[3 * i] - faintCentre[0], points[3 * i + 1] - faintCentre[1], points[3 * i + 2] - faintCentre[2]);
  }
  return out;
};

/**
 * Two ridges on the box's floor (y = -0.5), one fine cell (1/64) wide, inside only on the floor: the
 * tips of parts whose bulk the box clips off, as the shipped chair decoder leaves them. The first
 * peaks at 0.55 midway between 16^3 corners that read 0.33; the second at 0.53 next to 16^3 and
 * 32^3 corners that read 0.49, so a first-level margin alone refines towards it and loses it a
 * level later.
 */
function floorRidge(x0: number, slope: number, peak: number, z0: number, z1: number) {
  return (x: number, y: number, z: number) =>
    peak - slope * Math.abs(x - x0) - 10 * (y + 0.5) - 16 * Math.max(0, z0 - z, z - z1);
}
const ridges = [floorRidge(-0.5 + 18 / 64, 7, 0.55, -0.3, -0.05), floorRidge(-0.5 + 41 / 64, 2.75, 0.53, 0.05, 0.3)];
const floorRidges: OccupancyFunction = async (points) => {
  const out = new Float32Array(points.length / 3);
  for (let i = 0; i < out.length; i++) {
    const [x, y, z] = [points[3 * i], points[3 * i + 1], points[3 * i + 2]];
    out[i] = Math.min(1, Math.max(0, ...ridges.map((ridge) => ridge(x, y, z))));
  }
  return out;
};

describe('adaptive extractSurface with isoMargin', () => {
  it('finds a blob that barely crosses the iso-level between coarse corners, which sign changes alone lose', async () => {
    const options = { resolution: 64, coarseResolution: 16, guardBand: false } as const;
    const dense = triangleSet(marchGrid(await cornerValues(blob, 64), 64, 0.5));
    expect(dense.length).toBeGreaterThan(100);

    const without = await extractSurface(blob, options);
    expect(without.indices.length).toBe(0);

    const withMargin = await extractSurface(blob, { ...options, isoMargin: 0.1 });
    expect(triangleSet(withMargin)).toEqual(dense);
    // Only the first level's cells near the iso-level are refined, not the box.
    expect(withMargin.stats.evaluations).toBeLessThan(0.1 * 65 ** 3);
  });

  it('finds a faint blob whose corners stay below the iso-level on every level but the last (the margin on every level)', async () => {
    const options = { resolution: 64, coarseResolution: 16, guardBand: false } as const;
    const dense = triangleSet(marchGrid(await cornerValues(faintBlob, 64), 64, 0.5));
    expect(dense.length).toBeGreaterThan(0);

    expect((await extractSurface(faintBlob, options)).indices.length).toBe(0);
    // The first level's margin alone (0.1 there, none after) refines towards it and drops it at 32^3,
    // where 0.466 is still within 0.05.
    const withMargin = await extractSurface(faintBlob, { ...options, isoMargin: 0.1 });
    expect(triangleSet(withMargin)).toEqual(dense);
    expect(withMargin.stats.evaluations).toBeLessThan(0.1 * 65 ** 3);
    // A margin too small for the first level's 0.034 gap finds nothing.
    expect((await extractSurface(faintBlob, { ...options, isoMargin: 0.03 })).indices.length).toBe(0);
  });

  it('finds one-cell ridges on the box floor next to coarse corners 0.17 below the iso-level (the box clips a part)', async () => {
    const options = { resolution: 64, coarseResolution: 16, guardBand: false } as const;
    const dense = triangleSet(marchGrid(await cornerValues(floorRidges, 64), 64, 0.5));
    expect(dense.length).toBeGreaterThan(100);

    expect((await extractSurface(floorRidges, options)).indices.length).toBe(0);
    const withMargin = await extractSurface(floorRidges, { ...options, isoMargin: 0.1 });
    expect(triangleSet(withMargin)).toEqual(dense);
    expect(withMargin.stats.evaluations).toBeLessThan(0.1 * 65 ** 3);
  });

  it('changes nothing on a field whose coarse corners stay far from the iso-level except at the surface', async () => {
    const occupancy = occupancyOfSdf(sphereSdf);
    const plain = await extractSurface(occupancy, { resolution: 64 });
    const withMargin = await extractSurface(occupancy, { resolution: 64, isoMargin: 0.1 });
    expect(triangleSet(withMargin)).toEqual(triangleSet(plain));
  });

  it('rejects a negative or non-finite isoMargin with a RangeError naming it', async () => {
    for (const isoMargin of [-0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(extractSurface(blob, { resolution: 32, isoMargin })).rejects.toThrow(
        new RangeError(`isoMargin is ${isoMargin}; expected a finite number >= 0`),
      );
    }
  });
});
