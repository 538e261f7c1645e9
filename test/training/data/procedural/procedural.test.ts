import { parseObj } from '../../../../training/data/mesh/readObj.js';
import { CATEGORY_NAMES, generateShape, SHAPE_EXTENT, type ProceduralShape } from '../../../../training/data/procedural/categories.js';
import { box, cylinder, ellipsoid, extrude, lathe, loft, revolve, roundedBox, sweep, torus, tube, rectProfile, circleProfile } from '../../../../training/data/procedural/primitives.js';
import { MeshBuilder, signedVolume6, type TriangleMesh } from '../../../../training/data/procedural/mesh.js';
import { triangulatePolygon } from '../../../../training/data/procedural/triangulate.js';
import { encodeObj } from '../../../../training/data/mesh/writeObj.js';
import { renderContactSheet } from '../../../../training/render/contactSheet.js';

const SEEDS = 50;

/** Every directed edge a->b has a partner b->a: a closed, consistently wound surface (for a union of such parts too). */
function unmatchedEdges(indices: ArrayLike<number>): number {
  const count = new Map<number, number>();
  const key = (a: number, b: number) => a * 4194304 + b;
  for (let t = 0; t < indices.length; t += 3) {
    for (let k = 0; k < 3; k++) {
      const a = indices[t + k], b = indices[t + ((k + 1) % 3)];
      const back = key(b, a);
      const n = count.get(back);
      if (n) {
        if (n === 1) count.delete(back);
        else count.set(back, n - 1);
      } else {
        count.set(key(a, b), (count.get(key(a, b)) ?? 0) + 1);
      }
    }
  }
  let left = 0;
  for (const n of count.values()) left += n;
  return left;
}

function triangleAreas(mesh: TriangleMesh): Float64Array {
  const { positions: p, indices } = mesh;
  const areas = new Float64Array(indices.length / 3);
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    const ux = p[b] - p[a], uy = p[b + 1] - p[a + 1], uz = p[b + 2] - p[a + 2];
    const vx = p[c] - p[a], vy = p[c + 1] - p[a + 1], vz = p[c + 2] - p[a + 2];
    areas[t / 3] = Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
  }
  return areas;
}

describe.each(CATEGORY_NAMES)('procedural %s', (category) => {
  let shapes: ProceduralShape[];
  beforeAll(() => {
    shapes = Array.from({ length: SEEDS }, (_, i) => generateShape(category, i + 1));
  });

  test('a seed always gives the same arrays; other seeds give other shapes', () => {
    const again = generateShape(category, 7);
    expect(again.positions).toEqual(shapes[6].positions);
    expect(again.indices).toEqual(shapes[6].indices);
    expect(again.variant).toEqual(shapes[6].variant);
    const signatures = new Set(shapes.slice(0, 10).map((s) => `${s.positions.length}:${s.positions[0]}:${s.positions[s.positions.length - 1]}`));
    expect(signatures.size).toBe(10);
  });

  test(`${SEEDS} seeds give valid meshes: finite, non-empty, indices in range, centred in [-0.6, 0.6]^3 with longest side ${SHAPE_EXTENT}`, () => {
    for (const shape of shapes) {
      const { positions, indices } = shape;
      const vertices = positions.length / 3;
      expect(indices.length).toBeGreaterThan(0);
      expect(indices.length % 3).toBe(0);
      let maxIndex = 0;
      for (const i of indices) if (i > maxIndex) maxIndex = i;
      expect(maxIndex).toBeLessThan(vertices);
      const min = [Infinity, Infinity, Infinity], max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < positions.length; i++) {
        const v = positions[i];
        if (!Number.isFinite(v)) throw new Error(`${category} seed ${shape.seed}: coordinate ${i} is ${v}`);
        min[i % 3] = Math.min(min[i % 3], v);
        max[i % 3] = Math.max(max[i % 3], v);
      }
      for (let k = 0; k < 3; k++) {
        expect(min[k]).toBeGreaterThanOrEqual(-0.6);
        expect(max[k]).toBeLessThanOrEqual(0.6);
        expect(Math.abs(min[k] + max[k])).toBeLessThan(1e-5);
      }
      expect(Math.max(max[0] - min[0], max[1] - min[1], max[2] - min[2])).toBeCloseTo(SHAPE_EXTENT, 5);
    }
  });

  test(`${SEEDS} seeds give closed, outward-wound unions of parts without degenerate triangles`, () => {
    for (const shape of shapes) {
      const where = `${category} seed ${shape.seed}`;
      expect([where, unmatchedEdges(shape.indices)]).toEqual([where, 0]);
      expect(signedVolume6(shape.positions, shape.indices)).toBeGreaterThan(0);
      const areas = triangleAreas(shape);
      let total = 0, degenerate = 0;
      for (const a of areas) {
        total += a;
        if (a < 1e-9) degenerate++;
      }
      // Surface area of a shape inside a 0.9 box: a few units at most, even with overlapping parts.
      expect([where, total > 0.05 && total < 12]).toEqual([where, true]);
      expect([where, degenerate]).toEqual([where, 0]);
    }
  });

  test(`${SEEDS} seeds show structural variety`, () => {
    const variants = new Set(shapes.map((s) => JSON.stringify(s.variant)));
    expect(variants.size).toBeGreaterThanOrEqual(10);
    // The first choice is the category's main type (chair base, car body, airplane kind, ...).
    const mainKey = Object.keys(shapes[0].variant)[0];
    const mainTypes = new Set(shapes.map((s) => s.variant[mainKey]));
    expect(mainTypes.size).toBeGreaterThanOrEqual(3);
  });
});

describe('procedural mesh kit', () => {
  test.each([
    ['box', () => box([0.1, 0.2, 0.3], [0.2, 0.4, 0.6]), 0.2 * 0.4 * 0.6],
    // Minkowski sum of the inner box (0.3 x 0.1 x 0.2) and a ball of radius 0.05.
    ['rounded box', () => roundedBox([0, 0, 0], [0.4, 0.2, 0.3], 0.05, 6), 0.3 * 0.1 * 0.2 + 2 * (0.03 + 0.02 + 0.06) * 0.05 + (Math.PI * 0.05 ** 2 / 4) * 4 * 0.6 + (4 / 3) * Math.PI * 0.05 ** 3],
    ['cylinder', () => cylinder([0, 0, 0], [0, 0.5, 0.5], 0.1, 64), Math.PI * 0.01 * Math.SQRT1_2],
    ['ellipsoid', () => ellipsoid([0, 0, 0], [0.3, 0.2, 0.1], 48, 96), (4 / 3) * Math.PI * 0.3 * 0.2 * 0.1],
    ['torus', () => torus([0, 0, 0], 0.3, 0.05, 96, 48), 2 * Math.PI ** 2 * 0.3 * 0.05 ** 2],
    ['lathe', () => lathe([[0.2, 0], [0.2, 0.5]], [0, 0, 0], 128), Math.PI * 0.04 * 0.5],
    ['revolve', () => revolve(rectProfile(0.1, 0.2).map((v, i) => (i % 2 === 0 ? v + 0.3 : v)), [0, 0, 0], 128), 2 * Math.PI * 0.3 * 0.1 * 0.2],
    ['bevelled extrusion', () => extrude(rectProfile(0.4, 0.2), 'x', -0.3, 0.3, 0.02), undefined],
    ['loft', () => loft(circleProfile(64), [{ origin: [0, 0, 0], u: [0.1, 0, 0], v: [0, 0.1, 0] }, { origin: [0, 0, 1], u: [0.1, 0, 0], v: [0, 0.1, 0] }]), Math.PI * 0.01],
    ['tube with corners', () => tube([[0, 0, 0], [0, 0.5, 0], [0.5, 0.5, 0], [0.5, 0, 0]], 0.05, 12, true), undefined],
    ['sweep of a rectangle', () => sweep(rectProfile(0.03, 0.06), [[0, 0, 0], [0, -0.1, 0.01], [0, -0.2, 0.05]], 1, { up: [0, 0, 1] }), undefined],
  ] as const)('%s is a closed part with the expected volume', (_, make, volume) => {
    const mesh = new MeshBuilder().add(make()).build();
    expect(unmatchedEdges(mesh.indices)).toBe(0);
    const v = signedVolume6(mesh.positions, mesh.indices) / 6;
    expect(v).toBeGreaterThan(0);
    if (volume !== undefined) expect(Math.abs(v - volume) / volume).toBeLessThan(0.01);
  });

  test('the builder winds mirrored parts outward again', () => {
    const part = box([0, 0, 0], [1, 1, 1]);
    for (let i = 0; i < part.positions.length; i += 3) part.positions[i] = -part.positions[i];
    const mesh = new MeshBuilder().add(part).build();
    expect(signedVolume6(mesh.positions, mesh.indices) / 6).toBeCloseTo(1, 6);
  });

  test('ear clipping triangulates a concave polygon into n - 2 triangles of the right total area', () => {
    const l = [0, 0, 2, 0, 2, 1, 1, 1, 1, 2, 0, 2]; // an L of area 3
    const triangles = triangulatePolygon(l);
    expect(triangles.length).toBe(3 * 4);
    let area = 0;
    for (let t = 0; t < triangles.length; t += 3) {
      const [a, b, c] = [triangles[t], triangles[t + 1], triangles[t + 2]];
      area += ((l[2 * b] - l[2 * a]) * (l[2 * c + 1] - l[2 * a + 1]) - (l[2 * b + 1] - l[2 * a + 1]) * (l[2 * c] - l[2 * a])) / 2;
    }
    expect(area).toBeCloseTo(3, 10);
  });

  test('unknown categories and fractional seeds are refused by name', () => {
    expect(() => generateShape('spaceship', 1)).toThrow(/unknown category 'spaceship'; expected one of airplane/);
    expect(() => generateShape('chair', 1.5)).toThrow(/seed must be an integer/);
  });
});

describe('OBJ output', () => {
  test('encodeObj round-trips through the toolkit OBJ reader within 1e-6', () => {
    const shape = generateShape('airplane', 3);
    const back = parseObj(encodeObj(shape, ['a comment']));
    expect(back.indices).toEqual(shape.indices);
    expect(back.positions.length).toBe(shape.positions.length);
    let maxError = 0;
    for (let i = 0; i < back.positions.length; i++) maxError = Math.max(maxError, Math.abs(back.positions[i] - shape.positions[i]));
    expect(maxError).toBeLessThanOrEqual(1e-6);
  });
});

describe('contact sheet renderer', () => {
  test('draws each mesh into its own cell of a PNG grid and leaves empty cells blank', () => {
    const cube = new MeshBuilder().add(box([0, 0, 0], [0.8, 0.8, 0.8])).build();
    const sheet = renderContactSheet([{ ...cube, label: 'cube' }, { ...cube, label: 'again' }, { positions: new Float32Array(0), indices: new Uint32Array(0), label: 'empty' }], { columns: 3, cellSize: 64 });
    expect(sheet.png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(sheet.png.readUInt32BE(16)).toBe(sheet.width);
    expect(sheet.png.readUInt32BE(20)).toBe(sheet.height);
    expect(sheet.width).toBe(3 * 64 + 4 * 2);
    // The centre pixel of a cube's cell is shaded surface; the empty cell's centre is background.
    const pixel = (x: number, y: number) => Array.from(sheet.rgb.subarray(3 * (y * sheet.width + x), 3 * (y * sheet.width + x) + 3));
    const centre = (col: number) => pixel(2 + col * 66 + 32, 2 + 32);
    expect(centre(0)).not.toEqual([250, 250, 248]);
    expect(centre(0)).toEqual(centre(1));
    expect(centre(2)).toEqual([250, 250, 248]);
  });
});
