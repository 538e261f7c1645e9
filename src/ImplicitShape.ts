/**
 * A Babylon.js mesh whose surface is an IM-NET decoder's iso-surface for one latent code, with
 * view-driven level of detail: a coarse level first, finer ones extracted in the background when the
 * shape's size on screen asks for them, coarser ones swapped back in when it shrinks.
 */
import { Mesh } from '@babylonjs/core/Meshes/mesh.js';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData.js';
import { EngineStore } from '@babylonjs/core/Engines/engineStore.js';
import { Logger } from '@babylonjs/core/Misc/logger.js';
import { Observable, type Observer } from '@babylonjs/core/Misc/observable.js';
import { Vector3 } from '@babylonjs/core/Maths/math.vector.js';
// Side effect: registers the scene's default (lit) material, which a shape without `material` uses.
import '@babylonjs/core/Materials/standardMaterial.js';
import type { Material } from '@babylonjs/core/Materials/material.js';
import type { Scene } from '@babylonjs/core/scene.js';
import type { BackendName } from './evaluate/backend.js';
import { extractSurface } from './extract/extractSurface.js';
import { extractExtrudedShape } from './extract/extractExtrudedShape.js';
import { Checkpoints } from './extract/checkpoints.js';
import { DEFAULT_MIN_PART_FRACTION, dropSmallPartsSliced } from './extract/smallParts.js';
import type { ExtractionStats, ExtractSurfaceOptions } from './extract/types.js';
import { AbortError, ImNetDecoder } from './ImNetDecoder.js';
import { LatentCode } from './LatentCode.js';
import { ExtractionScheduler, type ScheduledOccupancy } from './lod/ExtractionScheduler.js';
import { projectedDiameterPixels, resolveLodPolicy, selectLodLevel, type LodPolicyOptions, type ResolvedLodPolicy } from './lod/lodPolicy.js';

/** Options of `new ImplicitShape(latent, options, scene)`. */
export interface ImplicitShapeOptions {
  /** The decoder, required when `latent` is raw numbers; must match a LatentCode's own decoder. */
  decoder?: ImNetDecoder;
  /**
   * A fixed marching-cubes resolution (cells per axis over the shape's box): no level of detail.
   * Leave it out for LOD (see `lod`).
   */
  resolution?: number;
  /** Level-of-detail policy (levels, pixels per cell, hysteresis); `false` for one fixed level. Default: LOD on, levels 32/64/128/256. */
  lod?: LodPolicyOptions | false;
  /** Material for the surface. Default: the scene's default material. */
  material?: Material;
  /** Mesh name. Default `implicit-<category>`. */
  name?: string;
  /** tfjs backend for the decoder. Default `auto`. */
  backend?: BackendName;
  /** The scheduler batching this shape's decoder calls. Default: the engine's (`ExtractionScheduler.ForEngine`). */
  scheduler?: ExtractionScheduler;
  /** Extraction settings (e.g. `guardBand`, `coarseResolution`); see {@link ExtractSurfaceOptions}. */
  extraction?: Omit<ExtractSurfaceOptions, 'resolution' | 'signal' | 'isoLevel'>;
  /**
   * Separate pieces of the surface smaller than this fraction of the largest piece's volume are not
   * shown (stray blobs a decoder leaves off the shape; see `dropSmallParts`). 0 shows every piece the
   * field has. Default {@link ImplicitShape.DefaultMinPartFraction}. 3D decoders only.
   */
  minPartFraction?: number;
  /**
   * For a 2D decoder (`decoder.pointSize === 2`, e.g. the digits): thickness of the slab its shape is
   * extruded into (marching squares, then extrusion), in the square's units. Default 0.1.
   */
  depth?: number;
}

/** What `onLODChangedObservable` reports. */
export interface LodChange {
  /** The shape whose level changed. */
  shape: ImplicitShape;
  /** Index into the LOD levels. */
  level: number;
  /** Marching-cubes resolution of that level. */
  resolution: number;
}

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

/** Half the diagonal of the unit box the shape lives in: its bounding sphere's radius in local units. */
const LOCAL_BOUNDING_RADIUS = Math.sqrt(3) / 2;
const _cameraPosition = new Vector3();

interface Build {
  level: number;
  abort: AbortController;
}

/**
 * `new ImplicitShape(latent, options?, scene?)`: a mesh whose surface is computed asynchronously;
 * await `shape.ready`. The shape lives in [-0.5, 0.5]^3 local units, y up. A 2D decoder's shape
 * (the digits) lies in the xy square, extruded along z by `options.depth`.
 */
export class ImplicitShape extends Mesh {
  /**
   * The extraction settings shapes start from (`options.extraction` overrides them). Trained
   * decoders are not distance fields: their values level off away from the surface, so the
   * Lipschitz guard band refines far more of the box than the surface needs (5.6-35% of dense's
   * evaluations on the shipped decoders at 128^3, 2-5x MISE's). Shapes therefore start at 32^3
   * and refine where corners disagree (MISE's rule, with surface tracking) or come near the
   * iso-level (`isoMargin`: small parts where the values barely cross it; within 0.1 on the first
   * level, 0.05 on the next, and twice that on the box's boundary, where the box clips parts down
   * to slivers). On the shipped categories
   * (airplane, car, chair, rifle, table, vase) x 4 latents (training, held-out, two GAN samples) at
   * 128^3 this finds every part dense finds, the mesh identical to dense's, in 3-4 rounds, at
   * 2.6-15.7% of dense's evaluations: 1.03-1.17x MISE's, while MISE (3 rounds) misses 4-4,276
   * triangles on 22 of the 24. With the margin on the first level only, chair GAN sample 2 loses a
   * faint blob (48 triangles) whose 64^3 corners read 0.47-0.50; a 64^3 start costs 14-25% of dense;
   * the guard band 5.6-35%; a proven bound (the product of the layers' norms) makes the band cover
   * the box, i.e. dense. `npm run bench -- extract --variant=decoders`.
   */
  static readonly DefaultExtraction: Readonly<Partial<ExtractSurfaceOptions>> = Object.freeze({
    guardBand: false,
    coarseResolution: 32,
    isoMargin: 0.1,
  });

  /**
   * The `minPartFraction` shapes start from: pieces under 3% of the largest piece's volume are not
   * shown. Trained decoders leave stray blobs off the shape where their field barely crosses the
   * iso-level (a blob where other vases have a handle, chips off airplane wing tips, slivers between
   * chair legs). On the shipped categories' 40 held-out shapes each at 128^3, the stray pieces that
   * do not touch the true shape were at most 2.2% of the largest piece (vase, before it was trained
   * on; none of the current vase's reaches 3%), and a shape's real
   * second pieces (a chair's legs cut off by a thin joint) 22-78%; below 3%, what goes besides the
   * stray blobs is pieces detached from the shape that would float just as visibly (a vase handle
   * separated from its body). 0 shows everything.
   */
  static readonly DefaultMinPartFraction = DEFAULT_MIN_PART_FRACTION;

  /** Resolves when the first surface is on the mesh; rejects (and the mesh is removed) if it fails. */
  readonly ready: Promise<void>;
  /** The decoder that gives this shape its surface. */
  readonly decoder: ImNetDecoder;
  /** Fires when a new level's surface is on the mesh. */
  readonly onLODChangedObservable = new Observable<LodChange>();
  /** Statistics of the last surface extraction. */
  extractionStats: ExtractionStats | null = null;
  /** The tfjs backend that evaluated the surface (set once ready). */
  backendUsed: string | undefined;

  private _latent: LatentCode;
  private _lodLevel = -1;
  private readonly policy: ResolvedLodPolicy;
  private readonly lodEnabled: boolean;
  private readonly backendPreference: BackendName;
  private readonly extractionOptions: Partial<ExtractSurfaceOptions>;
  private readonly minPartFraction: number;
  private readonly scheduler: ExtractionScheduler;
  private occupancy: ScheduledOccupancy | null = null;
  private readonly depth: number;
  private build: Build | null = null;
  private renderObserver: Observer<Scene> | null = null;
  private lastProjectedPixels = 0;

  /**
   * @param latent a LatentCode of a loaded decoder, or `latentSize` raw numbers with `options.decoder`.
   * @param options see {@link ImplicitShapeOptions}.
   * @param scene defaults to the last created scene, like Babylon's own meshes.
   * @throws RangeError for a latent of the wrong length or with NaN/Infinity, or bad options; Error
   *   for a latent of another decoder. Nothing is added to the scene when the constructor throws.
   */
  constructor(latent: LatentCode | Float32Array | number[], options: ImplicitShapeOptions = {}, scene?: Scene | null) {
    const resolved = ImplicitShape.resolveLatent(latent, options);
    const fixed = options.resolution !== undefined || options.lod === false;
    const resolution = options.resolution ?? 64;
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 1024) {
      throw new RangeError(`ImplicitShape: options.resolution must be an integer in [2, 1024], got ${resolution}`);
    }
    const policy = resolveLodPolicy(fixed ? { levels: [resolution] } : (options.lod || {}));
    const minPartFraction = options.minPartFraction ?? ImplicitShape.DefaultMinPartFraction;
    if (!(minPartFraction >= 0 && minPartFraction <= 1)) {
      throw new RangeError(`ImplicitShape: options.minPartFraction must be a number in [0, 1], got ${options.minPartFraction}`);
    }
    const targetScene = scene ?? EngineStore.LastCreatedScene;
    if (!targetScene) throw new Error('ImplicitShape: no scene given and none created yet');
    super(options.name ?? `implicit-${resolved.decoder.category}`, targetScene);
    this.decoder = resolved.decoder;
    this._latent = resolved;
    this.policy = policy;
    this.lodEnabled = !fixed;
    this.backendPreference = options.backend ?? 'auto';
    this.extractionOptions = { ...ImplicitShape.DefaultExtraction, ...options.extraction };
    this.minPartFraction = minPartFraction;
    this.depth = options.depth ?? 0.1;
    if (!(this.depth > 0 && Number.isFinite(this.depth))) throw new RangeError(`ImplicitShape: options.depth must be a positive number, got ${options.depth}`);
    this.scheduler = options.scheduler ?? ExtractionScheduler.ForEngine(targetScene.getEngine());
    if (options.material) this.material = options.material;
    this.ready = this.buildLevel(0);
    // Callers who never await `ready` must not crash Node with an unhandled rejection; the error
    // is still logged and `ready` still rejects for those who do await.
    this.ready.catch((error: Error) => {
      if (error.name !== 'AbortError') Logger.Error(`ImplicitShape '${this.name}': ${error.message}`);
    });
    if (this.lodEnabled) this.renderObserver = targetScene.onBeforeRenderObservable.add(() => this.updateLevelOfDetail());
  }

  /** The shape's latent code. Setting it re-extracts the surface at the current level (pending work is cancelled). */
  get latent(): LatentCode {
    return this._latent;
  }

  /** Replaces the latent (one of this shape's decoder) and re-extracts the surface at the current level. */
  set latent(latent: LatentCode) {
    this.decoder.assertOwn(latent);
    this._latent = latent;
    this.cancelBuild();
    this.occupancy?.dispose();
    this.occupancy = null;
    this.buildLevel(Math.max(this._lodLevel, 0)).catch(() => undefined);
  }

  /** Index of the level whose surface is on the mesh (-1 before the first). */
  get lodLevel(): number {
    return this._lodLevel;
  }

  /** Marching-cubes resolution of the surface on the mesh (0 before the first). */
  get surfaceResolution(): number {
    return this._lodLevel < 0 ? 0 : this.policy.levels[this._lodLevel];
  }

  /** The LOD levels' resolutions, coarsest first. */
  get lodLevels(): readonly number[] {
    return this.policy.levels;
  }

  /** The level being extracted in the background, or -1. */
  get pendingLodLevel(): number {
    return this.build?.level ?? -1;
  }

  /** The shape's box size on screen at the last frame, in pixels (what the LOD policy reads). */
  get projectedPixels(): number {
    return this.lastProjectedPixels;
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

  /** Size on screen of the shape's bounding sphere, from the active camera (0 without one). */
  private measureProjectedPixels(): number {
    const scene = this.getScene();
    const camera = scene.activeCamera;
    if (!camera) return 0;
    camera.globalPosition.subtractToRef(this.getAbsolutePosition(), _cameraPosition);
    const scaling = this.absoluteScaling;
    const radius = LOCAL_BOUNDING_RADIUS * Math.max(Math.abs(scaling.x), Math.abs(scaling.y), Math.abs(scaling.z));
    return projectedDiameterPixels(radius, _cameraPosition.length(), camera.fov, scene.getEngine().getRenderHeight());
  }

  /** Per frame: pick the level the shape's screen size asks for; start (or cancel) its extraction. */
  private updateLevelOfDetail(): void {
    if (this.isDisposed()) return;
    this.lastProjectedPixels = this.measureProjectedPixels();
    if (this._lodLevel < 0) return; // the first level is still coming
    const wanted = selectLodLevel(this.lastProjectedPixels, this._lodLevel, this.policy);
    if (wanted === this._lodLevel) {
      if (this.build) this.cancelBuild(); // no longer needed
      return;
    }
    if (this.build?.level === wanted) return;
    this.cancelBuild();
    this.buildLevel(wanted).catch(() => undefined);
  }

  private cancelBuild(): void {
    this.build?.abort.abort();
    this.build = null;
  }

  private async buildLevel(level: number): Promise<void> {
    const build: Build = { level, abort: new AbortController() };
    this.build = build;
    const isFirst = this._lodLevel < 0;
    try {
      const planar = this.decoder.pointSize === 2;
      // A 2D decoder's (resolution+1)^2 points need no sharing across shapes: its own evaluator, not the scheduler.
      this.occupancy ??= planar
        ? this.decoder.createOccupancy(this._latent, { backend: this.backendPreference })
        : this.scheduler.createOccupancy(this._latent, {
          backend: this.backendPreference,
          // A shape with nothing on screen yet comes before any refinement of a shape that has a level.
          priority: () => (this._lodLevel < 0 ? 1e9 : 0) + this.lastProjectedPixels,
        });
      const extracted = planar
        ? await extractExtrudedShape(this.occupancy.evaluate, {
          resolution: this.policy.levels[level],
          isoLevel: this.decoder.isoLevel,
          depth: this.depth,
          signal: build.abort.signal,
          batchSize: this.scheduler.batchSize,
          timeSlice: this.scheduler.frameBudget,
        })
        : await extractSurface(this.occupancy.evaluate, {
          ...this.extractionOptions,
          resolution: this.policy.levels[level],
          isoLevel: this.decoder.isoLevel,
          outputActivation: this.decoder.architecture.outputActivation,
          signal: build.abort.signal,
          batchSize: this.scheduler.batchSize,
          timeSlice: this.scheduler.frameBudget,
        });
      if (this.isDisposed() || build.abort.signal.aborted) throw new AbortError(`ImplicitShape '${this.name}': level ${level} cancelled`);
      // Dropping stray pieces is main-thread work too, in slices of the frame budget.
      const { mesh: surface, dropped } = planar
        ? { mesh: extracted, dropped: 0 }
        : await dropSmallPartsSliced(extracted, this.minPartFraction, new Checkpoints(this.scheduler.frameBudget, build.abort.signal));
      // Uploading the geometry is main-thread work too.
      const wait = this.scheduler.frameBudget.checkpoint();
      if (wait) await wait;
      if (this.isDisposed() || build.abort.signal.aborted) throw new AbortError(`ImplicitShape '${this.name}': level ${level} cancelled`);
      if (surface.indices.length > 0) {
        const data = new VertexData();
        data.positions = surface.positions;
        data.normals = surface.normals;
        data.indices = toBabylonWinding(surface.indices);
        data.applyToMesh(this, false);
      }
      this.scheduler.frameBudget.pause();
      this.extractionStats = { ...surface.stats, droppedParts: dropped };
      this.backendUsed = this.occupancy.backend;
      this._lodLevel = level;
      if (this.build === build) this.build = null;
      this.onLODChangedObservable.notifyObservers({ shape: this, level, resolution: this.policy.levels[level] });
    } catch (error) {
      if (this.build === build) this.build = null;
      // A failed first surface leaves nothing half-built in the scene.
      if (isFirst && !this.isDisposed()) this.dispose();
      throw error;
    }
  }

  /** "ImplicitShape". */
  override getClassName(): string {
    return 'ImplicitShape';
  }

  /** Cancels pending work, frees every tensor, removes the mesh. */
  override dispose(doNotRecurse?: boolean, disposeMaterialAndTextures = false): void {
    this.cancelBuild();
    if (this.renderObserver) this.getScene()?.onBeforeRenderObservable.remove(this.renderObserver);
    this.renderObserver = null;
    this.occupancy?.dispose();
    this.occupancy = null;
    this.onLODChangedObservable.clear();
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
      resolution: this.lodEnabled ? undefined : this.policy.levels[0],
      depth: this.decoder.pointSize === 2 ? this.depth : undefined,
      lod: this.lodEnabled ? { levels: this.policy.levels, pixelsPerCell: this.policy.pixelsPerCell, hysteresis: this.policy.hysteresis } : false,
      backend: this.backendPreference,
      minPartFraction: this.minPartFraction,
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
      decoder: found, resolution: info.resolution ?? undefined, lod: info.lod, backend: info.backend, name: parsed.name, depth: info.depth ?? undefined,
      minPartFraction: info.minPartFraction ?? undefined,
    }, scene);
    if (parsed.id) shape.id = parsed.id;
    return shape;
  }
}
