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
import { dropSmallParts, extractSurface } from '../src/extract/index.js';

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
    expect(shape.extractionStats).toEqual({ evaluations: 25 ** 3, rounds: 1, calls: 1, droppedParts: 0 });
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

  test('GAN samples and interpolations are shapes too: the surfaces of their latents', async () => {
    const sample = decoder.sample(3);
    const blend = decoder.interpolate(decoder.latents[0], decoder.latents[2], 0.5);
    const a = new ImplicitShape(sample, { resolution: 12, backend: 'cpu' }, scene);
    const b = new ImplicitShape(blend, { resolution: 12, backend: 'cpu' }, scene);
    // The same values as raw numbers, and a neighbouring seed, for comparison.
    const aRaw = new ImplicitShape(Array.from(sample.values), { decoder, resolution: 12, backend: 'cpu' }, scene);
    const bRaw = new ImplicitShape(Array.from(blend.values), { decoder, resolution: 12, backend: 'cpu' }, scene);
    const otherSeed = new ImplicitShape(decoder.sample(4), { resolution: 12, backend: 'cpu' }, scene);
    await Promise.all([a, b, aRaw, bRaw, otherSeed].map((s) => s.ready));
    expect(a.latent.label).toBe('sample(3)');
    expect(Array.from(a.latent.values)).toEqual(Array.from(sample.values));
    for (const shape of [a, b]) {
      expect(shape.getTotalIndices()).toBeGreaterThan(0);
      expect(topologyDefects(analyseTopology(meshOf(shape)))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
    }
    expect(meshOf(a).positions).toEqual(meshOf(aRaw).positions);
    expect(meshOf(b).positions).toEqual(meshOf(bRaw).positions);
    expect(meshOf(a).positions).not.toEqual(meshOf(otherSeed).positions);
  });

  test('default level of detail: levels 32, 64, 128, 256; ready resolves on the first', async () => {
    const shape = new ImplicitShape(decoder.latents[0], { backend: 'cpu' }, scene);
    expect(shape.lodLevels).toEqual([32, 64, 128, 256]);
    expect(shape.lodLevel).toBe(-1);
    expect(shape.surfaceResolution).toBe(0);
    const levels: number[] = [];
    shape.onLODChangedObservable.add((change) => levels.push(change.resolution));
    await shape.ready;
    expect({ level: shape.lodLevel, resolution: shape.surfaceResolution, notified: levels }).toEqual({ level: 0, resolution: 32, notified: [32] });
    // The surface on the mesh is the 32^3 one: every vertex on a grid line of 1/32 in two of its coordinates.
    const { positions } = meshOf(shape);
    for (let v = 0; v < positions.length; v += 3) {
      const onGrid = [0, 1, 2].filter((axis) => Math.abs((positions[v + axis] + 0.5) * 32 - Math.round((positions[v + axis] + 0.5) * 32)) < 1e-4).length;
      expect(onGrid).toBeGreaterThanOrEqual(2);
    }
  });

  test('extraction options reach the extractor', async () => {
    const dense = new ImplicitShape(decoder.latents[0], { resolution: 32, backend: 'cpu', extraction: { adaptive: false } }, scene);
    const adaptive = new ImplicitShape(decoder.latents[0], { resolution: 32, backend: 'cpu', extraction: { adaptive: true, coarseResolution: 8, guardBand: false } }, scene);
    const oneRound = new ImplicitShape(decoder.latents[0], { resolution: 32, backend: 'cpu', extraction: { adaptive: true, coarseResolution: 8, maxRounds: 1 } }, scene);
    await Promise.all([dense.ready, adaptive.ready, oneRound.ready]);
    expect(dense.extractionStats).toEqual({ evaluations: 33 ** 3, rounds: 1, calls: 1, droppedParts: 0 });
    // From 8^3, only near the surface: rounds for the levels (and surface tracking).
    expect(adaptive.extractionStats!.rounds).toBeGreaterThanOrEqual(2);
    expect(adaptive.extractionStats!.evaluations).toBeLessThan(33 ** 3 / 2);
    // One round allowed: nothing to refine in, so every corner.
    expect(oneRound.extractionStats).toEqual({ evaluations: 33 ** 3, rounds: 1, calls: 1, droppedParts: 0 });
  });

  test('pieces under minPartFraction of the largest are not shown (default 3%); 0 shows every piece', async () => {
    // This random decoder's latent 1 has a second piece under 3% of the first's volume at 32^3.
    const twoPieces = ImNetDecoder.fromModel(randomModel({ architecture: TINY, latents: 3, generator: true, seed: 5 }), 'memory://tiny-5');
    try {
      const evaluator = twoPieces.createOccupancy(twoPieces.latents[1], { backend: 'cpu' });
      const field = await extractSurface(evaluator.evaluate, { resolution: 32, adaptive: false, isoLevel: twoPieces.isoLevel });
      evaluator.dispose();
      const { mesh: cleaned, dropped, parts } = dropSmallParts(field, ImplicitShape.DefaultMinPartFraction);
      expect([parts, dropped]).toEqual([2, 1]);

      const options = { decoder: twoPieces, resolution: 32, backend: 'cpu', extraction: { adaptive: false } } as const;
      const shown = new ImplicitShape(twoPieces.latents[1], options, scene);
      const everything = new ImplicitShape(twoPieces.latents[1], { ...options, minPartFraction: 0 }, scene);
      await Promise.all([shown.ready, everything.ready]);
      expect(shown.extractionStats!.droppedParts).toBe(1);
      expect(everything.extractionStats!.droppedParts).toBe(0);
      expect(shown.getTotalIndices()).toBe(cleaned.indices.length);
      expect(everything.getTotalIndices()).toBe(field.indices.length);
      expect(topologyDefects(analyseTopology(meshOf(shown)))).toEqual({ degenerateTriangles: 0, repeatedDirectedEdges: 0, unmatchedDirectedEdges: 0, nonManifoldVertices: 0, unusedVertices: 0 });
      // Kept through serialize / Parse.
      const copy = ImplicitShape.Parse(JSON.parse(JSON.stringify(everything.serialize())), scene, twoPieces);
      await copy.ready;
      expect(copy.extractionStats!.droppedParts).toBe(0);
    } finally {
      twoPieces.dispose();
    }
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

  test('serialize / Parse keeps a LOD shape a LOD shape, with its policy', async () => {
    const lod = { levels: [8, 16, 24], pixelsPerCell: 2, hysteresis: 0.1 };
    const shape = new ImplicitShape(decoder.latents[1], { lod, backend: 'cpu', name: 'lod-shape' }, scene);
    await shape.ready;
    const json = JSON.parse(JSON.stringify(shape.serialize()));
    expect(json.implicitShape.lod).toEqual(lod);
    expect(json.implicitShape.resolution).toBeUndefined();
    const copy = ImplicitShape.Parse(json, scene);
    await copy.ready;
    expect(copy.lodLevels).toEqual([8, 16, 24]);
    expect({ level: copy.lodLevel, resolution: copy.surfaceResolution, name: copy.name }).toEqual({ level: 0, resolution: 8, name: 'lod-shape' });
    expect(Array.from(copy.getVerticesData(VertexBuffer.PositionKind)!)).toEqual(Array.from(shape.getVerticesData(VertexBuffer.PositionKind)!));
    expect(JSON.parse(JSON.stringify(copy.serialize())).implicitShape).toEqual(json.implicitShape);
  });
});

describe('ImplicitShape bad input leaves nothing in the scene', () => {
  test('wrong latent length or NaN: RangeError naming the expected length', () => {
    const before = scene.meshes.length;
    expect(() => new ImplicitShape(new Float32Array(5), { decoder }, scene)).toThrow(new RangeError("latent 'custom' has 5 values; the random decoder expects 8"));
    expect(() => new ImplicitShape([1, 2, 3, 4, NaN, 6, 7, 8], { decoder }, scene)).toThrow(/value 4 is NaN; the random decoder expects 8 finite numbers/);
    expect(() => new ImplicitShape([1, 2, 3, 4, 5, 6, 7, 8], {}, scene)).toThrow(/need options.decoder/);
    expect(() => new ImplicitShape(decoder.latents[0], { resolution: 1 }, scene)).toThrow(RangeError);
    for (const minPartFraction of [-0.1, 2, Number.NaN]) {
      expect(() => new ImplicitShape(decoder.latents[0], { minPartFraction }, scene)).toThrow(
        new RangeError(`ImplicitShape: options.minPartFraction must be a number in [0, 1], got ${minPartFraction}`),
      );
    }
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

  test('no tensor leak over 50 create/dispose cycles (finished and cancelled), counted while the decoder lives', async () => {
    const empty = tf.memory().numTensors;
    // Warm up on both backends: the decoder uploads its weights once, on first use.
    for (const backend of ['cpu', 'wasm'] as const) {
      const shape = new ImplicitShape(decoder.latents[0], { resolution: 6, backend }, scene);
      await shape.ready;
      shape.dispose();
    }
    const warm = tf.memory().numTensors;
    expect(warm).toBeGreaterThan(empty); // the decoder's weights
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
    // Counted before the decoder goes: disposing it frees every evaluator it tracks, so a shape that
    // forgot its own tensors would look clean afterwards.
    expect(tf.memory().numTensors).toBe(warm);
    expect(scene.meshes.length).toBe(0);
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });
});
