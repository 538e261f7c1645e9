/**
 * Object File Format (OFF, as Geomview and CGAL write it): an `OFF` header (also `COFF`, `NOFF`,
 * `CNOFF`, `STOFF`...), vertex/face/edge counts (on the header line or the next), one vertex per line
 * (extra columns such as colours ignored), one polygon per line `n i0 ... i(n-1)` (fan-triangulated).
 * Hand-written: no maintained npm parser exists, and the format is a page long.
 */
import { forEachLine, tokens, toNumber } from './lines.js';
import { MeshParseError, meshFromArrays, pushPolygon, type TriangleMesh } from './TriangleMesh.js';

const HEADER = /^(ST)?C?N?(4)?(n)?OFF$/;

export function parseOff(text: string): TriangleMesh {
  let state: 'header' | 'counts' | 'vertices' | 'faces' | 'done' = 'header';
  let vertexCount = 0, faceCount = 0, facesRead = 0;
  const positions: number[] = [];
  const indices: number[] = [];
  const polygon: number[] = [];
  forEachLine(text, (line, lineNumber) => {
    let t = tokens(line);
    if (t.length === 0 || state === 'done') return;
    if (state === 'header') {
      const match = HEADER.exec(t[0]);
      if (!match) throw new MeshParseError(`line ${lineNumber}: expected an 'OFF' header, got '${line.trim().slice(0, 40)}'`);
      if (match[2] || match[3]) throw new MeshParseError(`line ${lineNumber}: '${t[0]}' (4D or n-dimensional OFF) is not supported; expected 3D`);
      if (t[1] === 'BINARY') throw new MeshParseError(`line ${lineNumber}: binary OFF is not supported; expected the text form`);
      state = 'counts';
      t = t.slice(1);
      if (t.length === 0) return;
    }
    if (state === 'counts') {
      vertexCount = toNumber(t[0]);
      faceCount = toNumber(t[1]);
      if (!Number.isInteger(vertexCount) || !Number.isInteger(faceCount) || vertexCount < 0 || faceCount < 0) {
        throw new MeshParseError(`line ${lineNumber}: expected 'vertices faces edges' counts, got '${line.trim()}'`);
      }
      state = vertexCount > 0 ? 'vertices' : faceCount > 0 ? 'faces' : 'done';
      return;
    }
    if (state === 'vertices') {
      const x = toNumber(t[0]), y = toNumber(t[1]), z = toNumber(t[2]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
        throw new MeshParseError(`line ${lineNumber}: vertex ${positions.length / 3} needs 3 numbers, got '${line.trim()}'`);
      }
      positions.push(x, y, z);
      if (positions.length / 3 === vertexCount) state = faceCount > 0 ? 'faces' : 'done';
      return;
    }
    const n = toNumber(t[0]);
    if (!Number.isInteger(n) || n < 1 || t.length < n + 1) {
      throw new MeshParseError(`line ${lineNumber}: face ${facesRead} should be 'n i0 ... i(n-1)', got '${line.trim().slice(0, 60)}'`);
    }
    polygon.length = 0;
    for (let i = 1; i <= n; i++) {
      const index = toNumber(t[i]);
      if (!Number.isInteger(index) || index < 0 || index >= vertexCount) {
        throw new MeshParseError(`line ${lineNumber}: face ${facesRead} refers to vertex '${t[i]}'; the file has ${vertexCount} vertices`);
      }
      polygon.push(index);
    }
    pushPolygon(indices, polygon);
    if (++facesRead === faceCount) state = 'done';
  });
  if (state === 'header') throw new MeshParseError(`expected an 'OFF' header; the file is empty`);
  if (state !== 'done') {
    throw new MeshParseError(`the header announces ${vertexCount} vertices and ${faceCount} faces; the file ends after ${positions.length / 3} vertices and ${facesRead} faces`);
  }
  return meshFromArrays(positions, indices);
}
