/**
 * PLY (ASCII, binary little- and big-endian) through three.js's PLYLoader, which handles every
 * property type, list count type and byte order. That loader is lenient: it returns an empty or short
 * geometry for a broken file, so we read the header ourselves first and check the result against it.
 */
/// <reference path="./three-loaders.d.ts" />
import { PLYLoader } from 'three/examples/jsm/loaders/PLYLoader.js';
import { MeshParseError, validateMesh, type TriangleMesh } from './TriangleMesh.js';
import { sequentialIndices } from './readStl.js';

interface PlyHeader {
  format: string;
  vertexCount: number;
  faceCount: number;
}

const FORMATS = ['ascii', 'binary_little_endian', 'binary_big_endian'];

function readHeader(bytes: Uint8Array): PlyHeader {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.byteLength, 65536)));
  if (!/^ply\r?\n/.test(head)) throw new MeshParseError(`expected the 'ply' magic line, got '${head.slice(0, 20).split(/\r?\n/)[0]}'`);
  const end = head.search(/^end_header\s*$/m);
  if (end < 0) throw new MeshParseError(`no 'end_header' line in the first 64 KiB; the header is broken or the file is not PLY`);
  const header: PlyHeader = { format: '', vertexCount: -1, faceCount: 0 };
  let element = '';
  const vertexProperties = new Set<string>();
  let faceList = false;
  for (const raw of head.slice(0, end).split(/\r?\n/).slice(1)) {
    const t = raw.trim().split(/\s+/);
    if (t[0] === 'format') {
      if (!FORMATS.includes(t[1])) throw new MeshParseError(`format '${t[1]}' is not one of ${FORMATS.join(', ')}`);
      header.format = t[1];
    } else if (t[0] === 'element') {
      element = t[1];
      const count = Number(t[2]);
      if (!Number.isInteger(count) || count < 0) throw new MeshParseError(`element '${t[1]}' has count '${t[2]}'; expected a whole number`);
      if (element === 'vertex') header.vertexCount = count;
      if (element === 'face') header.faceCount = count;
    } else if (t[0] === 'property') {
      if (element === 'vertex') vertexProperties.add(t[t.length - 1]);
      if (element === 'face' && t[1] === 'list') faceList = true;
    } else if (t[0] !== 'comment' && t[0] !== 'obj_info' && t[0] !== '') {
      throw new MeshParseError(`unexpected header line '${raw.trim()}'`);
    }
  }
  if (!header.format) throw new MeshParseError(`the header has no 'format' line`);
  if (header.vertexCount < 0 || !['x', 'y', 'z'].every((p) => vertexProperties.has(p))) {
    throw new MeshParseError(`expected a 'vertex' element with x, y and z properties`);
  }
  if (header.faceCount === 0 || !faceList) {
    throw new MeshParseError(`no faces (a point cloud?); expected a 'face' element with a list property`);
  }
  return header;
}

export function parsePly(bytes: Uint8Array): TriangleMesh {
  const header = readHeader(bytes);
  let geometry;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    geometry = new PLYLoader().parse(buffer);
  } catch (error) {
    // Binary bodies shorter than the header's counts fail inside DataView.
    throw new MeshParseError(`${header.format} body does not match the header (${header.vertexCount} vertices, ${header.faceCount} faces): ${(error as Error).message}`);
  }
  const position = geometry.attributes.position;
  const vertexCount = position ? position.count : 0;
  if (!position || vertexCount !== header.vertexCount) {
    throw new MeshParseError(`the header announces ${header.vertexCount} vertices; the body has ${vertexCount}`);
  }
  const positions = Float32Array.from(position.array);
  const indices = geometry.index ? Uint32Array.from(geometry.index.array) : sequentialIndices(vertexCount);
  if (indices.length < header.faceCount * 3) {
    throw new MeshParseError(`the header announces ${header.faceCount} faces; the body has ${Math.floor(indices.length / 3)} triangles`);
  }
  return validateMesh({ positions, indices });
}
