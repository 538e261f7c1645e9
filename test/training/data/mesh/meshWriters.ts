/** Test support: procedural meshes and writers for every format `readMesh` reads. */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import { Document, NodeIO } from '@gltf-transform/core';
import type { TriangleMesh } from '../../../../training/data/mesh/TriangleMesh.js';

const require = createRequire(import.meta.url);

/** An axis-aligned box, 12 outward-facing triangles; `omitFace` drops one face ('+y' is the top). */
export function boxMesh(min: [number, number, number], max: [number, number, number], omitFace?: '+x' | '-x' | '+y' | '-y' | '+z' | '-z'): TriangleMesh {
  const positions: number[] = [];
  for (let i = 0; i < 8; i++) positions.push(i & 1 ? max[0] : min[0], i & 2 ? max[1] : min[1], i & 4 ? max[2] : min[2]);
  // Quads, counter-clockwise seen from outside.
  const faces: Record<string, number[]> = {
    '-x': [0, 4, 6, 2], '+x': [1, 3, 7, 5],
    '-y': [0, 1, 5, 4], '+y': [2, 6, 7, 3],
    '-z': [0, 2, 3, 1], '+z': [4, 5, 7, 6],
  };
  const indices: number[] = [];
  for (const [name, [a, b, c, d]] of Object.entries(faces)) {
    if (name !== omitFace) indices.push(a, b, c, a, c, d);
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/** Concatenates meshes (no welding): overlapping parts stay overlapping. */
export function mergeMeshes(...meshes: TriangleMesh[]): TriangleMesh {
  const positions: number[] = [];
  const indices: number[] = [];
  for (const mesh of meshes) {
    const base = positions.length / 3;
    positions.push(...mesh.positions);
    for (const i of mesh.indices) indices.push(base + i);
  }
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/** The Stanford bunny of the `bunny` npm package (closed, 3674 triangles). */
export function bunnyMesh(): TriangleMesh {
  const bunny = require('bunny') as { positions: number[][]; cells: number[][] };
  return { positions: Float32Array.from(bunny.positions.flat()), indices: Uint32Array.from(bunny.cells.flat()) };
}

/** The Utah teapot of the `teapot` npm package (an open mesh: 528 boundary edges). */
export function teapotMesh(): TriangleMesh {
  const teapot = require('teapot') as { positions: number[][]; cells: number[][] };
  return { positions: Float32Array.from(teapot.positions.flat()), indices: Uint32Array.from(teapot.cells.flat()) };
}

/** Signed volume by the divergence theorem (exact for a closed, outward-oriented mesh). */
export function meshVolume(positions: ArrayLike<number>, indices: ArrayLike<number>): number {
  let volume = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = 3 * indices[t], b = 3 * indices[t + 1], c = 3 * indices[t + 2];
    volume += positions[a] * (positions[b + 1] * positions[c + 2] - positions[b + 2] * positions[c + 1])
      - positions[a + 1] * (positions[b] * positions[c + 2] - positions[b + 2] * positions[c])
      + positions[a + 2] * (positions[b] * positions[c + 1] - positions[b + 1] * positions[c]);
  }
  return volume / 6;
}

function triangles(mesh: TriangleMesh): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < mesh.indices.length; t += 3) out.push([mesh.indices[t], mesh.indices[t + 1], mesh.indices[t + 2]]);
  return out;
}

function vertex(mesh: TriangleMesh, i: number): number[] {
  return [mesh.positions[3 * i], mesh.positions[3 * i + 1], mesh.positions[3 * i + 2]];
}

export function toObj(mesh: TriangleMesh): string {
  const lines = ['# test mesh', 'o box'];
  for (let i = 0; i < mesh.positions.length / 3; i++) lines.push(`v ${vertex(mesh, i).join(' ')}`);
  lines.push('vn 0 0 1');
  // Mixed index forms: plain, v//vn and negative (relative) indices.
  const count = mesh.positions.length / 3;
  triangles(mesh).forEach(([a, b, c], k) => {
    if (k % 3 === 0) lines.push(`f ${a + 1} ${b + 1} ${c + 1}`);
    else if (k % 3 === 1) lines.push(`f ${a + 1}//1 ${b + 1}//1 ${c + 1}//1`);
    else lines.push(`f ${a - count} ${b - count} ${c - count}`);
  });
  return lines.join('\n') + '\n';
}

export function toOff(mesh: TriangleMesh): string {
  const lines = ['OFF', '# vertices faces edges', `${mesh.positions.length / 3} ${mesh.indices.length / 3} 0`];
  for (let i = 0; i < mesh.positions.length / 3; i++) lines.push(vertex(mesh, i).join(' '));
  for (const [a, b, c] of triangles(mesh)) lines.push(`3 ${a} ${b} ${c}`);
  return lines.join('\n') + '\n';
}

export function toStlAscii(mesh: TriangleMesh): string {
  const lines = ['solid test'];
  for (const tri of triangles(mesh)) {
    lines.push('  facet normal 0 0 0', '    outer loop');
    for (const i of tri) lines.push(`      vertex ${vertex(mesh, i).join(' ')}`);
    lines.push('    endloop', '  endfacet');
  }
  lines.push('endsolid test');
  return lines.join('\n') + '\n';
}

export function toStlBinary(mesh: TriangleMesh): Uint8Array {
  const tris = triangles(mesh);
  const bytes = new Uint8Array(84 + 50 * tris.length);
  const view = new DataView(bytes.buffer);
  // A header that starts with "solid", as some exporters write: the size check must still win.
  bytes.set(new TextEncoder().encode('solid binary header'), 0);
  view.setUint32(80, tris.length, true);
  tris.forEach((tri, t) => {
    tri.forEach((i, k) => vertex(mesh, i).forEach((v, a) => view.setFloat32(84 + 50 * t + 12 + 12 * k + 4 * a, v, true)));
  });
  return bytes;
}

function plyHeader(mesh: TriangleMesh, format: string): string {
  return ['ply', `format ${format} 1.0`, 'comment test mesh', `element vertex ${mesh.positions.length / 3}`,
    'property float x', 'property float y', 'property float z', 'property uchar red',
    `element face ${mesh.indices.length / 3}`, 'property list uchar int vertex_indices', 'end_header', ''].join('\n');
}

export function toPlyAscii(mesh: TriangleMesh): string {
  const lines = [plyHeader(mesh, 'ascii').trimEnd()];
  for (let i = 0; i < mesh.positions.length / 3; i++) lines.push(`${vertex(mesh, i).join(' ')} 200`);
  for (const tri of triangles(mesh)) lines.push(`3 ${tri.join(' ')}`);
  return lines.join('\n') + '\n';
}

export function toPlyBinary(mesh: TriangleMesh, littleEndian: boolean): Uint8Array {
  const header = new TextEncoder().encode(plyHeader(mesh, littleEndian ? 'binary_little_endian' : 'binary_big_endian'));
  const vertexCount = mesh.positions.length / 3, faceCount = mesh.indices.length / 3;
  const bytes = new Uint8Array(header.length + 13 * vertexCount + 13 * faceCount);
  bytes.set(header);
  const view = new DataView(bytes.buffer);
  let at = header.length;
  for (let i = 0; i < vertexCount; i++) {
    for (const v of vertex(mesh, i)) { view.setFloat32(at, v, littleEndian); at += 4; }
    view.setUint8(at++, 200);
  }
  for (const tri of triangles(mesh)) {
    view.setUint8(at++, 3);
    for (const i of tri) { view.setInt32(at, i, littleEndian); at += 4; }
  }
  return bytes;
}

/**
 * Writes a glTF (`.gltf` + `.bin`) or GLB with glTF-Transform. The mesh hangs under a node translated
 * by `offset`, so readers must apply node transforms.
 */
export async function writeGltf(path: string, mesh: TriangleMesh, offset: [number, number, number] = [0, 0, 0]): Promise<void> {
  const document = new Document();
  const buffer = document.createBuffer();
  const positions = document.createAccessor().setType('VEC3').setArray(Float32Array.from(mesh.positions).map((v, i) => v - offset[i % 3])).setBuffer(buffer);
  const indices = document.createAccessor().setType('SCALAR').setArray(Uint32Array.from(mesh.indices)).setBuffer(buffer);
  const primitive = document.createPrimitive().setAttribute('POSITION', positions).setIndices(indices);
  const node = document.createNode('shape').setMesh(document.createMesh('shape').addPrimitive(primitive)).setTranslation(offset);
  document.createScene('scene').addChild(node);
  await new NodeIO().write(path, document);
}

/** Writes `mesh` as `<dir>/<name>.<ext>` in every format; returns the paths by format label. */
export async function writeAllFormats(dir: string, name: string, mesh: TriangleMesh): Promise<Record<string, string>> {
  const files: Record<string, [string, string | Uint8Array]> = {
    obj: [`${name}.obj`, toObj(mesh)],
    off: [`${name}.off`, toOff(mesh)],
    'stl-ascii': [`${name}-ascii.stl`, toStlAscii(mesh)],
    'stl-binary': [`${name}-binary.stl`, toStlBinary(mesh)],
    'ply-ascii': [`${name}-ascii.ply`, toPlyAscii(mesh)],
    'ply-le': [`${name}-le.ply`, toPlyBinary(mesh, true)],
    'ply-be': [`${name}-be.ply`, toPlyBinary(mesh, false)],
  };
  const paths: Record<string, string> = {};
  for (const [label, [file, data]] of Object.entries(files)) {
    paths[label] = `${dir}/${file}`;
    await writeFile(paths[label], data);
  }
  paths.gltf = `${dir}/${name}.gltf`;
  await writeGltf(paths.gltf, mesh, [0.25, 0, 0]);
  paths.glb = `${dir}/${name}.glb`;
  await writeGltf(paths.glb, mesh, [0, -0.5, 0]);
  return paths;
}

/** Half of a tube's wall (radius 1, length 3 along x, no caps): an open surface with no clear inside. */
export function halfPipeMesh(segments = 24): TriangleMesh {
  const positions: number[] = [];
  const indices: number[] = [];
  for (let i = 0; i <= segments; i++) {
    const angle = (Math.PI * i) / segments;
    positions.push(0, Math.cos(angle), Math.sin(angle), 3, Math.cos(angle), Math.sin(angle));
  }
  for (let i = 0; i < segments; i++) indices.push(2 * i, 2 * i + 1, 2 * i + 3, 2 * i, 2 * i + 3, 2 * i + 2);
  return { positions: Float32Array.from(positions), indices: Uint32Array.from(indices) };
}

/** A single-sided quad a-b-c-d (two triangles, counter-clockwise seen from its front). */
export function quadMesh(a: number[], b: number[], c: number[], d: number[]): TriangleMesh {
  return { positions: Float32Array.from([...a, ...b, ...c, ...d]), indices: Uint32Array.from([0, 1, 2, 0, 2, 3]) };
}

/** A closed rod of square cross-section `width` from `from` to `to`, in any direction (12 outward triangles). */
export function rodMesh(from: number[], to: number[], width: number): TriangleMesh {
  const d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
  const length = Math.hypot(d[0], d[1], d[2]);
  const n = d.map((v) => v / length);
  const helper = Math.abs(n[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const cross = (a: number[], b: number[]) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  let u = cross(n, helper);
  const lu = Math.hypot(u[0], u[1], u[2]);
  u = u.map((v) => v / lu);
  // (u, v, n) right-handed, so boxMesh's face table (x, y, z bits) stays outward.
  const v = cross(n, u);
  const corners: number[] = [];
  for (let i = 0; i < 8; i++) {
    const su = (i & 1 ? 0.5 : -0.5) * width, sv = (i & 2 ? 0.5 : -0.5) * width, end = i & 4 ? to : from;
    for (let a = 0; a < 3; a++) corners.push(end[a] + su * u[a] + sv * v[a]);
  }
  return { positions: Float32Array.from(corners), indices: boxMesh([0, 0, 0], [1, 1, 1]).indices };
}

/**
 * A chair no voxelizer should lose parts of: rod legs and a rod back frame 0.004 thick (a quarter of a
 * 64^3 voxel), a single-sided seat and back (one quad each, zero thickness), one thick closed armrest.
 */
export function sheetChairMesh(): TriangleMesh {
  const legs = [[-0.2, -0.2], [0.2, -0.2], [0.2, 0.2], [-0.2, 0.2]].map(([x, z]) => rodMesh([x, 0, z], [x, 0.45, z], 0.004));
  const frame = [-0.22, 0.22].map((x) => rodMesh([x, 0.45, -0.22], [x, 1, -0.22], 0.004));
  const seat = quadMesh([-0.22, 0.45, 0.22], [0.22, 0.45, 0.22], [0.22, 0.45, -0.22], [-0.22, 0.45, -0.22]);
  const back = quadMesh([-0.22, 0.45, -0.22], [0.22, 0.45, -0.22], [0.22, 1, -0.22], [-0.22, 1, -0.22]);
  const armrest = boxMesh([0.22, 0.6, -0.22], [0.27, 0.65, 0.15]);
  return mergeMeshes(...legs, ...frame, seat, back, armrest);
}

/**
 * A chair whose seat and back are boxes of zero thickness (two coincident faces, degenerate sides), on
 * four thick closed legs.
 */
export function zeroThicknessSeatMesh(): TriangleMesh {
  const legs = [[-0.25, -0.25], [0.2, -0.25], [0.2, 0.2], [-0.25, 0.2]].map(([x, z]) => boxMesh([x, 0, z], [x + 0.05, 0.5, z + 0.05]));
  return mergeMeshes(...legs, boxMesh([-0.25, 0.5, -0.25], [0.25, 0.5, 0.25]), boxMesh([-0.25, 0.5, -0.25], [0.25, 1.05, -0.25]));
}

/** Sheets and rods at odd angles: a tilted single-sided quad, a diagonal rod, a thin rod ring, a closed box. */
export function tiltedSheetsMesh(): TriangleMesh {
  const turn = (p: number[]) => {
    const [ax, az] = [0.5, 0.35];
    const y = p[1] * Math.cos(ax) - p[2] * Math.sin(ax), z = p[1] * Math.sin(ax) + p[2] * Math.cos(ax);
    return [p[0] * Math.cos(az) - y * Math.sin(az), p[0] * Math.sin(az) + y * Math.cos(az), z];
  };
  const sheet = quadMesh(turn([-0.35, 0, -0.3]), turn([0.35, 0, -0.3]), turn([0.35, 0, 0.3]), turn([-0.35, 0, 0.3]));
  const diagonal = rodMesh([-0.45, -0.45, -0.45], [0.45, 0.45, 0.45], 0.003);
  const ring: TriangleMesh[] = [];
  for (let k = 0; k < 12; k++) {
    const a0 = (2 * Math.PI * k) / 12, a1 = (2 * Math.PI * (k + 1)) / 12;
    ring.push(rodMesh([0.4 * Math.cos(a0), -0.3, 0.4 * Math.sin(a0)], [0.4 * Math.cos(a1), -0.3, 0.4 * Math.sin(a1)], 0.003));
  }
  return mergeMeshes(sheet, diagonal, ...ring, boxMesh([0.2, 0.2, -0.45], [0.45, 0.3, -0.2]));
}
