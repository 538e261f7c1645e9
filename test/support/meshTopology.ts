/**
 * Topology and volume checks for indexed triangle meshes, shared by the extraction tests.
 */

import type { TriangleMesh } from '../../src/extract/index.js';

/** What is wrong with a mesh that should be a closed, oriented 2-manifold (all counts 0 if fine). */
export interface TopologyReport {
  vertices: number;
  /** Undirected edges. */
  edges: number;
  triangles: number;
  /** V - E + F. */
  eulerCharacteristic: number;
  /** Triangles that repeat a vertex index. */
  degenerateTriangles: number;
  /** Directed edges used by more than one triangle (an edge in > 2 triangles, or mis-oriented). */
  repeatedDirectedEdges: number;
  /** Directed edges whose reverse no triangle uses (holes, or inconsistent orientation). */
  unmatchedDirectedEdges: number;
  /** Vertices whose triangles do not form one fan closing on itself (pinched or boundary). */
  nonManifoldVertices: number;
  /** Vertices no triangle uses. */
  unusedVertices: number;
}

/** Checks edge- and vertex-manifoldness and consistent orientation in one pass. */
export function analyseTopology(mesh: TriangleMesh): TopologyReport {
  const vertexCount = mesh.positions.length / 3;
  const { indices } = mesh;
  const triangles = indices.length / 3;
  const directed = new Map<number, number>();
  let degenerateTriangles = 0;
  for (let t = 0; t < indices.length; t += 3) {
    const a = indices[t];
    const b = indices[t + 1];
    const c = indices[t + 2];
    if (a === b || b === c || c === a) degenerateTriangles++;
    for (const [u, v] of [[a, b], [b, c], [c, a]]) {
      const key = u * vertexCount + v;
      directed.set(key, (directed.get(key) ?? 0) + 1);
    }
  }
  let repeatedDirectedEdges = 0;
  let unmatchedDirectedEdges = 0;
  const undirected = new Set<number>();
  for (const [key, count] of directed) {
    const u = Math.floor(key / vertexCount);
    const v = key % vertexCount;
    if (count > 1) repeatedDirectedEdges++;
    if (!directed.has(v * vertexCount + u)) unmatchedDirectedEdges++;
    undirected.add(Math.min(u, v) * vertexCount + Math.max(u, v));
  }

  // Vertex link: triangle (a, b, c) contributes b -> c around a. A manifold vertex's link is one cycle.
  const linkNext = new Map<number, number>();
  const firstLink = new Map<number, number>();
  const linkCount = new Uint32Array(vertexCount);
  for (let t = 0; t < indices.length; t += 3) {
    for (let s = 0; s < 3; s++) {
      const center = indices[t + s];
      const from = indices[t + ((s + 1) % 3)];
      const to = indices[t + ((s + 2) % 3)];
      linkNext.set(center * vertexCount + from, to);
      if (!firstLink.has(center)) firstLink.set(center, from);
      linkCount[center]++;
    }
  }
  let nonManifoldVertices = 0;
  let unusedVertices = 0;
  for (let v = 0; v < vertexCount; v++) {
    const start = firstLink.get(v);
    if (start === undefined) {
      unusedVertices++;
      continue;
    }
    let steps = 0;
    let at: number | undefined = start;
    do {
      at = linkNext.get(v * vertexCount + at);
      steps++;
    } while (at !== undefined && at !== start && steps <= linkCount[v]);
    if (at !== start || steps !== linkCount[v]) nonManifoldVertices++;
  }

  return {
    vertices: vertexCount,
    edges: undirected.size,
    triangles,
    eulerCharacteristic: vertexCount - undirected.size + triangles,
    degenerateTriangles,
    repeatedDirectedEdges,
    unmatchedDirectedEdges,
    nonManifoldVertices,
    unusedVertices,
  };
}

/** The counts that must be 0 for a closed, oriented, edge- and vertex-manifold mesh. */
export function topologyDefects(report: TopologyReport): Record<string, number> {
  return {
    degenerateTriangles: report.degenerateTriangles,
    repeatedDirectedEdges: report.repeatedDirectedEdges,
    unmatchedDirectedEdges: report.unmatchedDirectedEdges,
    nonManifoldVertices: report.nonManifoldVertices,
    unusedVertices: report.unusedVertices,
  };
}

/** Signed volume by the divergence theorem: positive when triangles wind counter-clockwise outside. */
export function signedVolume(mesh: TriangleMesh): number {
  const p = mesh.positions;
  const idx = mesh.indices;
  let sum = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = 3 * idx[t];
    const b = 3 * idx[t + 1];
    const c = 3 * idx[t + 2];
    sum +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return sum / 6;
}

/** Deterministic uniform [0,1) generator (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
