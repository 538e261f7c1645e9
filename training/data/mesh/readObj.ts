/**
 * Wavefront OBJ: `v` and `f` lines; polygons are fan-triangulated; `v/vt/vn` forms and negative
 * (relative) indices are accepted; everything else (normals, uvs, groups, materials, lines) is ignored.
 * Hand-written: the format is small and the npm parsers are either unmaintained or (three's
 * OBJLoader) silently turn a bad index into NaN coordinates, where we want the line number.
 */
import { forEachLine, tokens, toNumber } from './lines.js';
import { MeshParseError, meshFromArrays, pushPolygon, type TriangleMesh } from './TriangleMesh.js';

export function parseObj(text: string): TriangleMesh {
  const positions: number[] = [];
  const indices: number[] = [];
  const polygon: number[] = [];
  forEachLine(text, (line, lineNumber) => {
    const t = tokens(line);
    if (t.length === 0) return;
    if (t[0] === 'v') {
      const x = toNumber(t[1]), y = toNumber(t[2]), z = toNumber(t[3]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
        throw new MeshParseError(`line ${lineNumber}: a 'v' line needs 3 numbers, got '${line.trim()}'`);
      }
      positions.push(x, y, z);
    } else if (t[0] === 'f') {
      if (t.length < 4) throw new MeshParseError(`line ${lineNumber}: a face needs at least 3 vertices, got '${line.trim()}'`);
      polygon.length = 0;
      const vertexCount = positions.length / 3;
      for (let i = 1; i < t.length; i++) {
        const slash = t[i].indexOf('/');
        const index = toNumber(slash >= 0 ? t[i].slice(0, slash) : t[i]);
        const resolved = index < 0 ? vertexCount + index : index - 1;
        if (!Number.isInteger(index) || index === 0 || resolved < 0 || resolved >= vertexCount) {
          throw new MeshParseError(`line ${lineNumber}: face vertex '${t[i]}' is not one of the ${vertexCount} vertices defined so far`);
        }
        polygon.push(resolved);
      }
      pushPolygon(indices, polygon);
    }
  });
  return meshFromArrays(positions, indices);
}
