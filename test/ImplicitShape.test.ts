import * as tf from '@tensorflow/tfjs';
import { NullEngine } from '@babylonjs/core/Engines/nullEngine.js';
import { Scene } from '@babylonjs/core/scene.js';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer.js';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { quietTf } from './support/backends.js';
import { randomModel, TINY } from './support/fixtures.js';
import { analyseTopology, topologyDefects } from './support/meshTopology.js';
import { ImNetDecoder } from '../src/ImNetDecoder.js';
import { ImplicitShape } from '../src/ImplicitShape.js';

quietTf();
Logger.LogLevels = Logger.NoneLogLevel;

const engine = new NullEngine();
let scene: Scene;
let decoder: ImNetDecoder;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

beforeEach(() => {
  scene = new Scene(engine);
  decoder = ImNetDecoder.fromModel(randomModel({ architecture: TINY, latents: 3, generator: true, seed: 4 }), 'memory://tiny');
});

afterEach(() => {
  decoder.dispose();
  scene.dispose();
});

function meshOf(shape: ImplicitShape) {
  return {
    positions: Float32Array.from(shape.getVerticesData(VertexBuffer.PositionKind)!),
    normals: Float32Array.from(shape.getVerticesData(VertexBuffer.NormalKind)!),
    indices: Uint32Array.from(shape.getIndices()!),
  };
}

describe('ImplicitShape lifecycle', () => {
  test('builds a closed, manifold surface in the given scene and says how', async () => {
    const shape = new ImplicitShape(decoder.latents[0], { resolution: 24, backend: 'cpu' }, scene);
    expect(shape.getClassName()).toBe('ImplicitShape');
    expect(scene.meshes).toContain(shape);
    await shape.ready;
    const mesh = meshOf(shape);
    expect(mesh.indices.length).toBeGreaterThan(300);
    const report = analyseTopology(mesh);
    expect(topologyDefects(report)).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    // Babylon's own notion of outward (ComputeNormals) agrees with our outward normals: back-face
    // culling keeps the outside. The browser test checks the same on screen.
    const babylonNormals = new Float32Array(mesh.normals.length);
    VertexData.ComputeNormals(mesh.positions, mesh.indices, babylonNormals);
    let agreeing = 0;
    for (let v = 0; v < mesh.normals.length; v += 3) {
      if (babylonNormals[v] * mesh.normals[v] + babylonNormals[v + 1] * mesh.normals[v + 1] + babylonNormals[v + 2] * mesh.normals[v + 2] > 0) agreeing++;
    }
    expect(agreeing / (mesh.normals.length / 3)).toBeGreaterThan(0.99);
    expect(shape.backendUsed).toBe('cpu');
    expect(shape.extractionStats).toEqual({ evaluations: 25 ** 3, rounds: 1, calls: 1 });
    for (const v of mesh.positions) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
    shape.dispose();
    expect(scene.meshes).not.toContain(shape);
  });

  test('defaults to the last created scene; raw latents work with options.decoder; wasm backend', async () => {
    const last = new Scene(engine);
    const shape = new ImplicitShape(Array.from(decoder.latents[1].values), { decoder, resolution: 12, backend: 'wasm', name: 'raw' });
    expect(shape.getScene()).toBe(last);
    expect(shape.name).toBe('raw');
    await shape.ready;
    expect(shape.backendUsed).toBe('wasm');
    expect(shape.getTotalIndices()).toBeGreaterThan(0);
    last.dispose();
  });

  test('GAN samples and interpolations are shapes too', async () => {
    const a = new ImplicitShape(decoder.sample(3), { resolution: 12, backend: 'cpu' }, scene);
    const b = new ImplicitShape(decoder.interpolate(decoder.latents[0], decoder.latents[2], 0.5), { resolution: 12, backend: 'cpu' }, scene);
    await Promise.all([a.ready, b.ready]);
    expect(a.latent.label).toBe('sample(3)');
    expect(analyseTopology(meshOf(b)).unmatchedDirectedEdges).toBe(0);
  });

  test('serialize / Parse rebuilds the same surface', async () => {
    const shape = new ImplicitShape(decoder.latents[2], { resolution: 16, backend: 'cpu' }, scene);
    await shape.ready;
    const json = JSON.parse(JSON.stringify(shape.serialize()));
    expect(json.type).toBe('ImplicitShape');
    const copy = ImplicitShape.Parse(json, scene);
    await copy.ready;
    expect(copy.decoder).toBe(decoder);
    expect(Array.from(copy.getIndices()!)).toEqual(Array.from(shape.getIndices()!));
    decoder.dispose();
    expect(() => ImplicitShape.Parse(json, scene)).toThrow(/load the random decoder \(memory:\/\/tiny\) first/);
  });
});

describe('ImplicitShape bad input leaves nothing in the scene', () => {
  test('wrong latent length or NaN: RangeError naming the expected length', () => {
    const before = scene.meshes.length;
    expect(() => new ImplicitShape(new Float32Array(5), { decoder }, scene)).toThrow(new RangeError("latent 'custom' has 5 values; the random decoder expects 8"));
    expect(() => new ImplicitShape([1, 2, 3, 4, NaN, 6, 7, 8], { decoder }, scene)).toThrow(/value 4 is NaN; the random decoder expects 8 finite numbers/);
    expect(() => new ImplicitShape([1, 2, 3, 4, 5, 6, 7, 8], {}, scene)).toThrow(/need options.decoder/);
    expect(() => new ImplicitShape(decoder.latents[0], { resolution: 1 }, scene)).toThrow(RangeError);
    expect(scene.meshes.length).toBe(before);
  });

  test("a latent of another decoder is a clear error", () => {
    const other = ImNetDecoder.fromModel(randomModel({ architecture: TINY, category: 'other' }));
    expect(() => new ImplicitShape(other.latents[0], { decoder }, scene)).toThrow(/latent 'train\[0\]' belongs to the other decoder, not to this random decoder/);
    expect(scene.meshes.length).toBe(0);
    other.dispose();
  });

  test('a build that fails rejects ready and removes the mesh', async () => {
    const shape = new ImplicitShape(decoder.latents[0], { resolution: 8, backend: 'webgpu' }, scene);
    await expect(shape.ready).rejects.toThrow(/backend 'webgpu' is not registered/);
    expect(scene.meshes).not.toContain(shape);
    expect(shape.isDisposed()).toBe(true);
  });
});

describe('ImplicitShape frees what it allocates', () => {
  test('dispose mid-build cancels it: ready rejects with AbortError', async () => {
    const shape = new ImplicitShape(decoder.latents[0], { resolution: 32, backend: 'cpu' }, scene);
    shape.dispose();
    await expect(shape.ready).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('no tensor leak over 50 create/dispose cycles (finished and cancelled)', async () => {
    const baseline = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      const shape = new ImplicitShape(decoder.latents[i % 3], { resolution: 6, backend: i % 2 ? 'cpu' : 'wasm' }, scene);
      if (i % 5 === 0) {
        shape.dispose();
        await shape.ready.catch(() => undefined);
      } else {
        await shape.ready;
        shape.dispose();
      }
    }
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(scene.meshes.length).toBe(0);
  });
});
