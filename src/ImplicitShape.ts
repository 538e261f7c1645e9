/**
 * A Babylon.js mesh whose surface is an IM-NET decoder's iso-surface for one latent code.
 */
import { Mesh } from '@babylonjs/core/Meshes/mesh.js';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData.js';
import { EngineStore } from '@babylonjs/core/Engines/engineStore.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
// Side effect: registers the scene's default (lit) material, which a shape without `material` uses.
import '@babylonjs/core/Materials/standardMaterial.js';
import type { Material } from '@babylonjs/core/Materials/material.js';
import type { Scene } from '@babylonjs/core/scene.js';
import type { BackendName } from './evaluate/backend.js';
import { extractSurface } from './extract/extractSurface.js';
import type { ExtractionStats } from './extract/types.js';
import { AbortError, ImNetDecoder, type OccupancyEvaluator } from './ImNetDecoder.js';
import { LatentCode } from './LatentCode.js';

/** Options of `new ImplicitShape(latent, options, scene)`. */
export interface ImplicitShapeOptions {
  /** The decoder, required when `latent` is raw numbers; must match a LatentCode's own decoder. */
  decoder?: ImNetDecoder;
  /** Marching-cubes cells per axis over the shape's box. Default 64. */
  resolution?: number;
  /** Material for the surface. Default: the scene's default material. */
  material?: Material;
  /** Mesh name. Default `implicit-<category>`. */
  name?: string;
  /** tfjs backend for the decoder. Default `auto`. */
  backend?: BackendName;
}

const DEFAULT_RESOLUTION = 64;

/**
 * The extractor winds triangles counter-clockwise seen from outside (the usual math convention);
 * Babylon's front faces are the opposite winding (its `VertexData.ComputeNormals` takes
 * (p1 - p2) x (p3 - p2) as outward), in left- and right-handed scenes alike. Swapping two indices
 * per triangle makes back-face culling keep the outside.
 */
function toBabylonWinding(indices: Uint32Array): Uint32Array {
  for (let t = 0; t < indices.length; t += 3) {
    const b = indices[t + 1];
    indices[t + 1] = indices[t + 2];
    indices[t + 2] = b;
  }
  return indices;
}

/**
 * `new ImplicitShape(latent, options?, scene?)`: a mesh whose surface is computed asynchronously;
 * await `shape.ready`. The shape lives in [-0.5, 0.5]^3 local units, y up.
 */
export class ImplicitShape extends Mesh {
  /** Resolves when the surface is on the mesh; rejects (and the mesh is removed) if it fails. */
  readonly ready: Promise<void>;
  /** The decoder that gives this shape its surface. */
  readonly decoder: ImNetDecoder;
  /** Statistics of the last surface extraction. */
  extractionStats: ExtractionStats | null = null;
  /** The tfjs backend that evaluated the surface (set once ready). */
  backendUsed: string | undefined;

  private _latent: LatentCode;
  private readonly resolution: number;
  private readonly backendPreference: BackendName;
  private evaluator: OccupancyEvaluator | null = null;
  private readonly abort = new AbortController();

  /**
   * @param latent a LatentCode of a loaded decoder, or `latentSize` raw numbers with `options.decoder`.
   * @param options see {@link ImplicitShapeOptions}.
   * @param scene defaults to the last created scene, like Babylon's own meshes.
   * @throws RangeError for a latent of the wrong length or with NaN/Infinity; Error for a latent of
   *   another decoder. Nothing is added to the scene when the constructor throws.
   */
  constructor(latent: LatentCode | Float32Array | number[], options: ImplicitShapeOptions = {}, scene?: Scene | null) {
    const resolved = ImplicitShape.resolveLatent(latent, options);
    const resolution = options.resolution ?? DEFAULT_RESOLUTION;
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1024) {
      throw new RangeError(`ImplicitShape: options.resolution must be an integer in [2, 1024], got ${resolution}`);
    }
    const targetScene = scene ?? EngineStore.LastCreatedScene;
    if (!targetScene) throw new Error('ImplicitShape: no scene given and none created yet');
    super(options.name ?? `implicit-${resolved.decoder.category}`, targetScene);
    this.decoder = resolved.decoder;
    this._latent = resolved;
    this.resolution = resolution;
    this.backendPreference = options.backend ?? 'auto';
    if (options.material) this.material = options.material;
    this.ready = this.build();
    // Callers who never await `ready` must not crash Node with an unhandled rejection; the error
    // is still logged and `ready` still rejects for those who do await.
    this.ready.catch((error: Error) => {
      if (error.name !== 'AbortError') Logger.Error(`ImplicitShape '${this.name}': ${error.message}`);
    });
  }

  /** The shape's latent code. */
  get latent(): LatentCode {
    return this._latent;
  }

  /** The marching-cubes resolution of the surface. */
  get surfaceResolution(): number {
    return this.resolution;
  }

  private static resolveLatent(latent: LatentCode | Float32Array | number[], options: ImplicitShapeOptions): LatentCode {
    if (latent instanceof LatentCode) {
      if (options.decoder) options.decoder.assertOwn(latent);
      return latent;
    }
    if (!options.decoder) {
      throw new TypeError('ImplicitShape: raw latent values need options.decoder (or pass a LatentCode such as decoder.latents[0])');
    }
    return options.decoder.latent(latent as ArrayLike<number>);
  }

  private async build(): Promise<void> {
    try {
      this.evaluator = this.decoder.createOccupancy(this._latent, { backend: this.backendPreference });
      const surface = await extractSurface(this.evaluator.evaluate, {
        resolution: this.resolution,
        isoLevel: this.decoder.isoLevel,
        signal: this.abort.signal,
      });
      if (this.isDisposed()) throw new AbortError(`ImplicitShape '${this.name}' was disposed`);
      if (surface.indices.length > 0) {
        const data = new VertexData();
        data.positions = surface.positions;
        data.normals = surface.normals;
        data.indices = toBabylonWinding(surface.indices);
        data.applyToMesh(this, false);
      }
      this.extractionStats = surface.stats;
      this.backendUsed = this.evaluator.backend;
    } catch (error) {
      // A failed shape leaves nothing half-built in the scene.
      if (!this.isDisposed()) this.dispose();
      throw error;
    } finally {
      this.evaluator?.dispose();
      this.evaluator = null;
    }
  }

  /** "ImplicitShape". */
  override getClassName(): string {
    return 'ImplicitShape';
  }

  /** Cancels pending work, frees every tensor, removes the mesh. */
  override dispose(doNotRecurse?: boolean, disposeMaterialAndTextures = false): void {
    this.abort.abort();
    this.evaluator?.dispose();
    this.evaluator = null;
    super.dispose(doNotRecurse, disposeMaterialAndTextures);
  }

  /**
   * Babylon serialization: the mesh data plus what rebuilds the shape (decoder source, latent,
   * options). Weights are not embedded; `Parse` needs the decoder loaded (or passed).
   */
  override serialize(serializationObject: any = {}): any {
    super.serialize(serializationObject);
    serializationObject.type = this.getClassName();
    serializationObject.implicitShape = {
      decoderSource: this.decoder.source,
      category: this.decoder.category,
      latent: Array.from(this._latent.values),
      latentLabel: this._latent.label,
      resolution: this.resolution,
      backend: this.backendPreference,
    };
    return serializationObject;
  }

  /** Rebuilds a serialized shape; `decoder` defaults to the loaded decoder with the recorded source. */
  static override Parse(parsed: any, scene: Scene, decoder?: ImNetDecoder | string): ImplicitShape {
    const info = parsed?.implicitShape;
    if (!info || !Array.isArray(info.latent)) throw new TypeError('ImplicitShape.Parse: not a serialized ImplicitShape (no implicitShape field)');
    const found = decoder instanceof ImNetDecoder ? decoder : info.decoderSource ? ImNetDecoder.findLoaded(info.decoderSource) : undefined;
    if (!found) {
      throw new Error(`ImplicitShape.Parse: load the ${info.category} decoder (${info.decoderSource ?? 'in-memory'}) first, or pass it`);
    }
    const shape = new ImplicitShape(found.latent(info.latent, info.latentLabel), {
      decoder: found, resolution: info.resolution, backend: info.backend, name: parsed.name,
    }, scene);
    if (parsed.id) shape.id = parsed.id;
    return shape;
  }
}
