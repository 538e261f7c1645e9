/** Triangulation of the small simple polygons the generators extrude and loft (caps of profiles). */

/** Twice the signed area of a 2D polygon given as x, y pairs: positive when counter-clockwise. */
export function polygonArea2(points: ArrayLike<number>): number {
  const n = points.length / 2;
  let area = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) area += points[2 * j] * points[2 * i + 1] - points[2 * i] * points[2 * j + 1];
  return area;
}

/**
 * Ear-clipping triangulation of a simple polygon (x, y pairs, either winding). Returns vertex
 * indices, three per triangle, wound like the polygon. O(n^2), which is fine for profiles of a
 * few dozen points.
 */
export function triangulatePolygon(points: ArrayLike<number>): number[] {
  const n = points.length / 2;
  if (n < 3) throw new RangeError(`a polygon needs at least 3 points; got ${n}`);
  const sign = polygonArea2(points) >= 0 ? 1 : -1;
  const remaining = Array.from({ length: n }, (_, i) => i);
  const triangles: number[] = [];
  const x = (i: number) => points[2 * i];
  const y = (i: number) => points[2 * i + 1];
  const cross = (a: number, b: number, c: number) => sign * ((x(b) - x(a)) * (y(c) - y(a)) - (y(b) - y(a)) * (x(c) - x(a)));
  const inside = (p: number, a: number, b: number, c: number) =>
    cross(a, b, p) >= 0 && cross(b, c, p) >= 0 && cross(c, a, p) >= 0;

  let guard = 0;
  while (remaining.length > 3 && guard++ < 10 * n * n) {
    const m = remaining.length;
    let clipped = false;
    for (let k = 0; k < m; k++) {
      const a = remaining[(k + m - 1) % m], b = remaining[k], c = remaining[(k + 1) % m];
      if (cross(a, b, c) <= 0) continue;
      let ear = true;
      for (const p of remaining) {
        if (p === a || p === b || p === c) continue;
        if (inside(p, a, b, c)) {
          ear = false;
          break;
        }
      }
      if (!ear) continue;
      triangles.push(a, b, c);
      remaining.splice(k, 1);
      clipped = true;
      break;
    }
    // Only a degenerate (self-touching or collinear) remainder has no ear: fan it rather than loop.
    if (!clipped) break;
  }
  for (let k = 1; k + 1 < remaining.length; k++) triangles.push(remaining[0], remaining[k], remaining[k + 1]);
  return triangles;
}
