/**
 * A 2D decoder's shape through ImplicitShape: the decoder evaluates xy pairs, marching squares and
 * extrusion make a closed slab on the mesh, and its extent and volume are the field's.
 */
import * as tf from '@tensorflow/tfjs';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { quietTf } from './support/backends.js';
import { analyseTopology, signedVolume, topologyDefects } from './support/meshTopology.js';
import { ImNetDecoder } from '../src/ImNetDecoder.js';
import { ImplicitShape } from '../src/ImplicitShape.js';
import type { ImNetArchitecture } from '../src/decoder/architecture.js';

quietTf();
Logger.LogLevels = Logger.NoneLogLevel;

/**
 * A half-plane decoder: one hidden unit h = leaky(-x + 0.5 latent), out = sigmoid(40 h - 4):
 * inside (>= 0.5) where x <= 0.5 latent - 0.1, so latent 0.4 gives the region x <= 0.1.
 */
const ARCH: ImNetArchitecture = { latentSize: 1, hiddenSizes: [1], outputActivation: 'sigmoid', skipConnections: false, leakySlope: 0.5, pointSize: 2 };
function halfPlaneDecoder(): ImNetDecoder {
  return ImNetDecoder.fromModel({
    category: 'half-plane', preset: null, architecture: ARCH, isoLevel: 0.5,
    decoder: { architecture: ARCH, layers: [
      { kernel: Float32Array.from([-1, 0, 0.5]), bias: Float32Array.from([0]) },
      { kernel: Float32Array.from([40]), bias: Float32Array.from([-4]) },
    ] },
    trainLatents: [Float32Array.from([0.4])], testLatents: [], generator: null,
  });
}

const engine = new NullEngine();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('a 2D decoder becomes an extruded, closed slab of the depth asked for', async () => {
  const scene = new Scene(engine);
  const decoder = halfPlaneDecoder();
  const shape = new ImplicitShape(decoder.latents[0], { resolution: 40, depth: 0.2, backend: 'cpu' }, scene);
  await shape.ready;
  const mesh = {
    positions: Float32Array.from(shape.getVerticesData(VertexBuffer.PositionKind)!),
    normals: Float32Array.from(shape.getVerticesData(VertexBuffer.NormalKind)!),
    indices: Uint32Array.from(shape.getIndices()!),
  };
  // Babylon's winding is the reverse of the extractor's; undo it to measure.
  for (let t = 0; t < mesh.indices.length; t += 3) [mesh.indices[t + 1], mesh.indices[t + 2]] = [mesh.indices[t + 2], mesh.indices[t + 1]];
  expect(topologyDefects(analyseTopology(mesh))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
  let maxX = -Infinity, maxZ = 0;
  for (let i = 0; i < mesh.positions.length; i += 3) { maxX = Math.max(maxX, mesh.positions[i]); maxZ = Math.max(maxZ, Math.abs(mesh.positions[i + 2])); }
  expect(maxX).toBeCloseTo(0.1, 2);
  expect(maxZ).toBeCloseTo(0.1, 6);
  // The region is x in [-0.5, 0.1], y in [-0.5, 0.5] (border corners count as outside, so it ends within a cell of the border).
  expect(signedVolume(mesh)).toBeGreaterThan(0.6 * 0.2 * 0.9);
  expect(signedVolume(mesh)).toBeLessThan(0.6 * 0.2);
  expect(shape.extractionStats).toEqual({ evaluations: 41 * 41, rounds: 1, calls: 1, droppedParts: 0 });
  shape.dispose();
  decoder.dispose();
  scene.dispose();
});
