/**
 * STL, binary and ASCII. Binary: an 80-byte header, a uint32 triangle count, 50 bytes per triangle
 * (normal, 3 vertices, attribute word). ASCII: `solid ... facet normal ... outer loop vertex x y z ...
 * endloop endfacet ... endsolid`. Hand-written rather than three's STLLoader, which reads a truncated
 * binary file as ASCII and returns an empty mesh instead of saying what is wrong.
 */
import { MeshParseError, validateMesh, type TriangleMesh } from './TriangleMesh.js';
import { toNumber } from './lines.js';

const BINARY_HEADER_BYTES = 84;
const BINARY_TRIANGLE_BYTES = 50;

export function parseStl(bytes: Uint8Array): TriangleMesh {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const triangleCount = bytes.byteLength >= BINARY_HEADER_BYTES ? view.getUint32(80, true) : -1;
  const binaryBytes = BINARY_HEADER_BYTES + BINARY_TRIANGLE_BYTES * triangleCount;
  if (triangleCount >= 0 && binaryBytes === bytes.byteLength) return parseBinaryStl(view, triangleCount);
  // Binary files whose header starts with "solid" exist; the exact size test above catches those.
  const start = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.byteLength, 512))).trimStart();
  if (/^solid\b/.test(start) && /\b(facet|endsolid)\b/.test(new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.byteLength, 4096))))) {
    return parseAsciiStl(new TextDecoder().decode(bytes));
  }
  if (triangleCount < 0) {
    throw new MeshParseError(`${bytes.byteLength} bytes is too short for binary STL (84-byte header) and the text does not start with 'solid'`);
  }
  // Sizes that do not match leave two readings: a damaged STL, or no STL at all. Facets decide.
  const plausible = plausibleFacets(view, triangleCount);
  if (!plausible) {
    const text = looksLikeText(bytes) ? `it is text that does not start with 'solid' (ASCII STL)` : `its size does not fit the announced ${triangleCount} triangles`;
    throw new MeshParseError(`not an STL file: ${text}, and its first facets hold no valid binary STL data ` +
      `(a facet is 12 finite floats: a unit or zero normal, then 3 vertices)`);
  }
  if (bytes.byteLength < binaryBytes) {
    throw new MeshParseError(`truncated binary STL: the header announces ${triangleCount} triangles (${binaryBytes} bytes); the file has ${bytes.byteLength} bytes`);
  }
  // Some exporters pad binary files; the triangles themselves are all there.
  return parseBinaryStl(view, triangleCount);
}

/** Facets looked at to tell a damaged binary STL from other bytes. */
const FACETS_CHECKED = 8;

/**
 * Whether the first complete facets look like binary STL: 12 finite floats of sane magnitude, and a
 * normal that is zero, unit length, or along the triangle's own normal (exporters write one of these).
 * Random bytes pass one facet with a probability far below 1e-4, so up to eight settle it.
 */
function plausibleFacets(view: DataView, triangleCount: number): boolean {
  const complete = Math.min(triangleCount, Math.floor((view.byteLength - BINARY_HEADER_BYTES) / BINARY_TRIANGLE_BYTES), FACETS_CHECKED);
  if (complete === 0) return false;
  const f = new Float64Array(12);
  for (let t = 0; t < complete; t++) {
    const offset = BINARY_HEADER_BYTES + t * BINARY_TRIANGLE_BYTES;
    for (let i = 0; i < 12; i++) {
      f[i] = view.getFloat32(offset + 4 * i, true);
      if (!Number.isFinite(f[i]) || Math.abs(f[i]) > 1e12) return false;
    }
    const length = Math.hypot(f[0], f[1], f[2]);
    if (length === 0 || Math.abs(length - 1) < 0.01) continue;
    const e1 = [f[6] - f[3], f[7] - f[4], f[8] - f[5]], e2 = [f[9] - f[3], f[10] - f[4], f[11] - f[5]];
    const g = [e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]];
    const cosine = (f[0] * g[0] + f[1] * g[1] + f[2] * g[2]) / (length * Math.hypot(g[0], g[1], g[2]));
    if (!(Math.abs(cosine) > 0.99)) return false;
  }
  return true;
}

/** Whether the first bytes are printable ASCII (tabs and line breaks included). */
function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.byteLength, 512);
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (!(b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))) return false;
  }
  return true;
}

function parseBinaryStl(view: DataView, triangleCount: number): TriangleMesh {
  if (triangleCount === 0) throw new MeshParseError('binary STL with 0 triangles; expected at least one');
  const positions = new Float32Array(triangleCount * 9);
  for (let t = 0; t < triangleCount; t++) {
    const offset = BINARY_HEADER_BYTES + t * BINARY_TRIANGLE_BYTES + 12; // skip the facet normal
    for (let i = 0; i < 9; i++) positions[t * 9 + i] = view.getFloat32(offset + 4 * i, true);
  }
  return validateMesh({ positions, indices: sequentialIndices(triangleCount * 3) });
}

function parseAsciiStl(text: string): TriangleMesh {
  const words = text.split(/\s+/);
  const positions: number[] = [];
  const loop: number[] = [];
  let facet = 0;
  const indices: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === 'vertex') {
      const x = toNumber(words[i + 1]), y = toNumber(words[i + 2]), z = toNumber(words[i + 3]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
        throw new MeshParseError(`facet ${facet}: 'vertex' needs 3 numbers, got '${words.slice(i + 1, i + 4).join(' ')}'`);
      }
      loop.push(positions.length / 3);
      positions.push(x, y, z);
      i += 3;
    } else if (word === 'endloop') {
      if (loop.length < 3) throw new MeshParseError(`facet ${facet} has ${loop.length} vertices; expected 3`);
      for (let k = 1; k + 1 < loop.length; k++) indices.push(loop[0], loop[k], loop[k + 1]);
      loop.length = 0;
    } else if (word === 'endfacet') {
      facet++;
    }
  }
  if (loop.length) throw new MeshParseError(`facet ${facet} is not closed by 'endloop'; the file looks truncated`);
  if (facet === 0) throw new MeshParseError(`ASCII STL without any complete 'facet ... endfacet'`);
  return validateMesh({ positions: Float32Array.from(positions), indices: Uint32Array.from(indices) });
}

export function sequentialIndices(count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = i;
  return indices;
}
