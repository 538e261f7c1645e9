/**
 * The LFD port against the reference C code's numbers (LFD.md): intermediate values of one cube view,
 * the three reference pairs within 2%, and the properties the matching promises (0 against itself,
 * symmetric, blind to position, scale and winding), plus the descriptor's file form.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeLightFieldDescriptor,
  lfdBetweenMeshFiles,
  LfdDescriptorFormatError,
  LightFieldDescriptor,
  lightFieldDistance,
  lightFieldDistanceMatrix,
  lightFieldDistancesToMany,
  lightFieldValues,
  normalizeForLightField,
} from '../../../../training/eval/lfd/index.js';
import { boxMesh, cubeMesh, cylinderMesh, movedScaledFlipped, type TestMesh } from './referenceMeshes.js';

const cube = cubeMesh(), box = boxMesh(), cylinder = cylinderMesh();
let cubeLfd: LightFieldDescriptor, boxLfd: LightFieldDescriptor, cylinderLfd: LightFieldDescriptor;

beforeAll(() => {
  cubeLfd = computeLightFieldDescriptor(cube);
  boxLfd = computeLightFieldDescriptor(box);
  cylinderLfd = computeLightFieldDescriptor(cylinder);
});

test('the cylinder is the one LFD.md defines (66 vertices, 128 triangles)', () => {
  expect(cylinder.positions.length / 3).toBe(66);
  expect(cylinder.indices.length / 3).toBe(128);
});

test('cube, light field 0, view 0: the reference code intermediate values', () => {
  const values = lightFieldValues(normalizeForLightField(cube), cube.indices, 0);
  expect(values.pixels[0]).toBe(26892);
  expect([values.centres[0], values.centres[1]]).toEqual([127.5, 127.5]);
  expect(values.radius).toBeCloseTo(110.3291, 4);
  // LFD.md prints 5 decimals.
  const near = (actual: number, expected: number): void => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(5e-6);
  [0.17597, 0.3397, 0.00018, 0.00018, 0.00018, 0.03577].forEach((v, i) => near(values.region[i], v));
  [0.00003, 0.01962, 0.00019, 0.03449].forEach((v, i) => near(values.fourier[i], v));
  near(values.eccentricity[0], 0.00558);
  near(values.circularity[0], 0.66661);
});

test.each([
  ['cube', 'box', 5597],
  ['box', 'cylinder', 2634],
  ['cube', 'cylinder', 5710],
])('LFD %s - %s is within 2%% of the reference %d, both ways', (a, b, reference) => {
  const byName: Record<string, LightFieldDescriptor> = { cube: cubeLfd, box: boxLfd, cylinder: cylinderLfd };
  const forward = lightFieldDistance(byName[a], byName[b]);
  expect(Number.isInteger(forward)).toBe(true);
  expect(Math.abs(forward - reference) / reference).toBeLessThanOrEqual(0.02);
  expect(lightFieldDistance(byName[b], byName[a])).toBe(forward);
});

test('a model against itself is 0, also after moving, scaling and flipping its triangles', () => {
  for (const d of [cubeLfd, boxLfd, cylinderLfd]) expect(lightFieldDistance(d, d)).toBe(0);
  // Power-of-two scale and small integer offsets keep the normalized coordinates bit-identical.
  const moved = computeLightFieldDescriptor(movedScaledFlipped(box, [2, -1, 8], 4));
  expect(moved.serialize()).toEqual(boxLfd.serialize());
});

test('the matrix and one-to-many forms give the pairwise distances', () => {
  const all = [cubeLfd, boxLfd, cylinderLfd];
  const matrix = lightFieldDistanceMatrix(all, all);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(matrix[3 * i + j]).toBe(lightFieldDistance(all[i], all[j]));
  expect(Array.from(lightFieldDistanceMatrix(all, all, { rowStart: 1, rowEnd: 3 }))).toEqual(Array.from(matrix.subarray(3)));
  expect(Array.from(lightFieldDistancesToMany(boxLfd, all))).toEqual(Array.from(matrix.subarray(3, 6)));
  expect(() => lightFieldDistanceMatrix(all, all, { rowStart: 2, rowEnd: 4 })).toThrow(/rowEnd <= 3/);
});

test('an empty mesh has an all-zero descriptor, far from a cube', () => {
  const empty: TestMesh = { positions: new Float32Array(0), indices: new Uint32Array(0) };
  const d = computeLightFieldDescriptor(empty);
  expect(d.serialize().subarray(4).every((b) => b === 0)).toBe(true);
  expect(lightFieldDistance(d, cubeLfd)).toBeGreaterThan(1000);
});

test('a descriptor survives serialize / Parse; other bytes are refused', () => {
  const bytes = cylinderLfd.serialize();
  expect(bytes.length).toBe(4704);
  const back = LightFieldDescriptor.Parse(bytes);
  expect(lightFieldDistance(back, cylinderLfd)).toBe(0);
  expect(back.serialize()).toEqual(bytes);
  expect(() => LightFieldDescriptor.Parse(bytes.subarray(0, 100))).toThrow(LfdDescriptorFormatError);
  const wrongMagic = bytes.slice();
  wrongMagic[0] = 0;
  expect(() => LightFieldDescriptor.Parse(wrongMagic)).toThrow(/expected "LFD1"/);
});

test('lfdBetweenMeshFiles reads two mesh files and gives the same integer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'imnet-lfd-'));
  try {
    const off = (m: TestMesh): string => {
      const lines = ['OFF', `${m.positions.length / 3} ${m.indices.length / 3} 0`];
      for (let v = 0; v < m.positions.length; v += 3) lines.push(`${m.positions[v]} ${m.positions[v + 1]} ${m.positions[v + 2]}`);
      for (let t = 0; t < m.indices.length; t += 3) lines.push(`3 ${m.indices[t]} ${m.indices[t + 1]} ${m.indices[t + 2]}`);
      return lines.join('\n') + '\n';
    };
    await writeFile(join(dir, 'cube.off'), off(cube));
    await writeFile(join(dir, 'box.off'), off(box));
    expect(await lfdBetweenMeshFiles(join(dir, 'cube.off'), join(dir, 'box.off'))).toBe(lightFieldDistance(cubeLfd, boxLfd));
    await expect(lfdBetweenMeshFiles(join(dir, 'cube.off'), join(dir, 'missing.off'))).rejects.toThrow(/missing\.off/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
