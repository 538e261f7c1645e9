import { extractSurface, type OccupancyFunction } from '../../src/extract/index.js';
import { analyseTopology, signedVolume, topologyDefects } from '../support/meshTopology.js';

const NO_DEFECTS = {
  degenerateTriangles: 0,
  repeatedDirectedEdges: 0,
  unmatchedDirectedEdges: 0,
  nonManifoldVertices: 0,
  unusedVertices: 0,
};

/** IM-NET-like occupancy from a signed distance: a steep sigmoid, 0.5 on the surface. */
function occupancyFromDistance(distance: (x: number, y: number, z: number) => number): OccupancyFunction {
  return async (points) => {
    const out = new Float32Array(points.length / 3);
    for (let i = 0; i < out.length; i++) {
      const d = distance(points[3 * i], points[3 * i + 1], points[3 * i + 2]);
      out[i] = 1 / (1 + Math.exp(40 * d));
    }
    return out;
  };
}

const SPHERE_RADIUS = 0.35;
const sphere = occupancyFromDistance((x, y, z) => Math.hypot(x, y, z) - SPHERE_RADIUS);
const torus = occupancyFromDistance((x, y, z) => Math.hypot(Math.hypot(x, z) - 0.3, y) - 0.1);

describe('extractSurface', () => {
  it('extracts a sphere as a closed, outward-oriented genus-0 manifold with the right volume', async () => {
    const mesh = await extractSurface(sphere, { resolution: 64, adaptive: false });
    const report = analyseTopology(mesh);
    expect(topologyDefects(report)).toEqual(NO_DEFECTS);
    expect(report.eulerCharacteristic).toBe(2);

    const exact = (4 / 3) * Math.PI * SPHERE_RADIUS ** 3;
    const volume = signedVolume(mesh);
    expect(volume).toBeGreaterThan(0);
    expect(Math.abs(volume - exact) / exact).toBeLessThan(0.02);

    let outward = 0;
    const { positions, normals } = mesh;
    for (let v = 0; v < positions.length; v += 3) {
      const dot = positions[v] * normals[v] + positions[v + 1] * normals[v + 1] + positions[v + 2] * normals[v + 2];
      if (dot > 0) outward++;
      expect(Math.hypot(normals[v], normals[v + 1], normals[v + 2])).toBeCloseTo(1, 5);
    }
    expect(outward / report.vertices).toBeGreaterThan(0.99);

    expect(mesh.stats).toEqual({ evaluations: 65 ** 3, rounds: 1, calls: Math.ceil(65 ** 3 / 65536) });
  });

  it('extracts a torus as a closed manifold of Euler characteristic 0', async () => {
    const mesh = await extractSurface(torus, { resolution: 64 });
    const report = analyseTopology(mesh);
    expect(topologyDefects(report)).toEqual(NO_DEFECTS);
    expect(report.eulerCharacteristic).toBe(0);
    const exact = 2 * Math.PI ** 2 * 0.3 * 0.1 ** 2;
    expect(Math.abs(signedVolume(mesh) - exact) / exact).toBeLessThan(0.02);
  });

  it('sends every corner once, x fastest, in calls of batchSize points', async () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    const mesh = await extractSurface(
      async (points) => {
        sizes.push(points.length / 3);
        seen.push(...points);
        return new Float32Array(points.length / 3);
      },
      { resolution: 4, batchSize: 30 },
    );
    expect(sizes).toEqual([30, 30, 30, 30, 5]);
    expect(mesh.stats).toEqual({ evaluations: 125, rounds: 1, calls: 5 });
    expect(seen.slice(0, 6)).toEqual([-0.5, -0.5, -0.5, -0.25, -0.5, -0.5]);
    expect(seen.slice(3 * 124)).toEqual([0.5, 0.5, 0.5]);
    expect(seen[3 * 5 + 1]).toBe(-0.25); // corner 5 = (0, 1, 0)
    expect(mesh.indices.length).toBe(0);
  });

  it('rejects invalid options with a RangeError naming the option', async () => {
    const cases: [object, RegExp][] = [
      [{ resolution: 1 }, /resolution is 1; expected an integer in 2\.\.1024/],
      [{ resolution: 1025 }, /resolution/],
      [{ resolution: 8.5 }, /resolution/],
      [{ isoLevel: Number.NaN }, /isoLevel is NaN; expected a finite number/],
      [{ isoLevel: Infinity }, /isoLevel/],
      [{ batchSize: 0 }, /batchSize is 0; expected an integer >= 1/],
      [{ batchSize: 2.5 }, /batchSize/],
    ];
    for (const [options, message] of cases) {
      const result = extractSurface(sphere, options);
      await expect(result).rejects.toThrow(RangeError);
      await expect(extractSurface(sphere, options)).rejects.toThrow(message);
    }
  });

  it('rejects an occupancy result of the wrong length', async () => {
    const short: OccupancyFunction = async (points) => new Float32Array(points.length / 3 - 1);
    await expect(extractSurface(short, { resolution: 4 })).rejects.toThrow(
      /occupancy returned 124 values for 125 points; expected one value per point/,
    );
  });

  it('rejects NaN occupancy values, naming the point', async () => {
    const withNaN: OccupancyFunction = async (points) => {
      const out = new Float32Array(points.length / 3);
      out[7] = Number.NaN;
      return out;
    };
    await expect(extractSurface(withNaN, { resolution: 4 })).rejects.toThrow(/NaN for point \(0, -0\.25, -0\.5\)/);
  });

  it('stops between batches when the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const aborting: OccupancyFunction = async (points) => {
      calls++;
      controller.abort();
      return new Float32Array(points.length / 3);
    };
    await expect(
      extractSurface(aborting, { resolution: 8, batchSize: 100, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);

    await expect(extractSurface(aborting, { resolution: 8, signal: controller.signal })).rejects.toThrow(
      /aborted/,
    );
    expect(calls).toBe(1);
  });
});
