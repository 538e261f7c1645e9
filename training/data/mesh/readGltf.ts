/**
 * glTF 2.0 (`.gltf` with its buffers, `.glb`) through glTF-Transform, which resolves buffers, data
 * URIs, byte strides, sparse and normalized accessors. Every triangle primitive of every mesh
 * instance in the scene(s) is baked into world space; point and line primitives are skipped.
 */
import { readFile } from 'node:fs/promises';
import { Logger, NodeIO, type Accessor, type Document, type Node, type Primitive } from '@gltf-transform/core';
import { MeshParseError, validateMesh, type TriangleMesh } from './TriangleMesh.js';

const TRIANGLES = 4, TRIANGLE_STRIP = 5, TRIANGLE_FAN = 6;

export async function readGltfFile(path: string): Promise<TriangleMesh> {
  if (path.toLowerCase().endsWith('.glb')) await checkGlbHeader(path);
  const io = new NodeIO().setLogger(new Logger(Logger.Verbosity.SILENT));
  let document: Document;
  try {
    document = await io.read(path);
  } catch (error) {
    const e = error as Error;
    throw new MeshParseError(e instanceof SyntaxError ? `the glTF JSON does not parse: ${e.message}` : e.message);
  }
  return meshFromDocument(document);
}

/** A GLB's 12-byte header: magic 'glTF', version 2, and the total length, which must be the file's. */
async function checkGlbHeader(path: string): Promise<void> {
  const bytes = await readFile(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== 0x46546c67) {
    throw new MeshParseError(`expected the GLB magic 'glTF' in a 12-byte header`);
  }
  const version = view.getUint32(4, true), length = view.getUint32(8, true);
  if (version !== 2) throw new MeshParseError(`GLB version ${version}; expected 2`);
  if (length !== bytes.byteLength) throw new MeshParseError(`truncated GLB: the header declares ${length} bytes; the file has ${bytes.byteLength}`);
}

export function meshFromDocument(document: Document): TriangleMesh {
  const positions: number[] = [];
  const indices: number[] = [];
  const root = document.getRoot();
  const visit = (node: Node): void => {
    const mesh = node.getMesh();
    if (mesh) {
      const world = node.getWorldMatrix();
      for (const primitive of mesh.listPrimitives()) appendPrimitive(primitive, world, positions, indices);
    }
  };
  const scenes = root.listScenes();
  if (scenes.length) {
    for (const scene of scenes) scene.traverse(visit);
  } else {
    for (const node of root.listNodes()) visit(node);
  }
  if (indices.length === 0) throw new MeshParseError('no triangle primitives in any scene; expected at least one');
  return validateMesh({ positions: Float32Array.from(positions), indices: Uint32Array.from(indices) });
}

function appendPrimitive(primitive: Primitive, world: ArrayLike<number>, positions: number[], indices: number[]): void {
  const mode = primitive.getMode();
  if (mode !== TRIANGLES && mode !== TRIANGLE_STRIP && mode !== TRIANGLE_FAN) return;
  const position: Accessor | null = primitive.getAttribute('POSITION');
  if (!position) throw new MeshParseError('a triangle primitive has no POSITION attribute');
  const base = positions.length / 3;
  const element = [0, 0, 0];
  const m = world;
  for (let i = 0; i < position.getCount(); i++) {
    position.getElement(i, element);
    const [x, y, z] = element;
    positions.push(
      m[0] * x + m[4] * y + m[8] * z + m[12],
      m[1] * x + m[5] * y + m[9] * z + m[13],
      m[2] * x + m[6] * y + m[10] * z + m[14],
    );
  }
  const indexAccessor = primitive.getIndices();
  const count = indexAccessor ? indexAccessor.getCount() : position.getCount();
  const at = (i: number): number => base + (indexAccessor ? indexAccessor.getScalar(i) : i);
  if (mode === TRIANGLES) {
    for (let i = 0; i + 2 < count; i += 3) indices.push(at(i), at(i + 1), at(i + 2));
  } else if (mode === TRIANGLE_STRIP) {
    for (let i = 0; i + 2 < count; i++) {
      if (i % 2 === 0) indices.push(at(i), at(i + 1), at(i + 2));
      else indices.push(at(i + 1), at(i), at(i + 2));
    }
  } else {
    for (let i = 1; i + 1 < count; i++) indices.push(at(0), at(i), at(i + 1));
  }
}
