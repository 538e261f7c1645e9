/**
 * IM-NET's generation table for one category: shapes from each latent GAN (IM-GAN on IM-AE's codes,
 * CNN-GAN on CNN-AE's) against the category's test split, by COV and MMD (Achlioptas et al. 2018;
 * generationMetrics.ts) under two distances:
 *
 * - LFD between the generated surface and the test shape's source mesh;
 * - CD between 2,048 points on each (squared distances, each direction averaged, summed), the test
 *   shape's points on its solid's boundary at 256^3 (groundTruth.ts).
 *
 * The generated set is `generatedPerReference` (5) times the test split, seeds 1..n of each generator
 * (`decoder.sample(seed)`'s noise). Both are meshed at 64^3: CNN-GAN's grids by marching cubes,
 * IM-GAN's decoder by the runtime's adaptive extractor at 64^3 (the dense 64^3 mesh where it finds the
 * surface, for a fraction of the decoder evaluations).
 */
import { extractSurface, generateLatent, noiseForSeed, type GeneratorWeights, type ImNetDecoder, type TriangleMesh } from '#core';
import type { Dataset } from '../data/dataset/dataset.js';
import type { VoxelDecoder } from '../models/cnn/VoxelDecoder.js';
import { coverageAndMmd } from './generationMetrics.js';
import { groundTruthMesh, solidSurface } from './groundTruth.js';
import { gridSurface } from './gridSurface.js';
import { lightFieldDistanceOfFeatures, type LfdDescriptorCache, type LightFieldDescriptor } from './lfd/index.js';
import { chamferDistance, generationSurfacePoints } from './metrics.js';

export const GENERATORS = ['CNN-GAN', 'IM-GAN'] as const;
export type GeneratorName = (typeof GENERATORS)[number];

/** COV (fraction) and MMD under one distance. */
export interface CoverageScores {
  coverage: number;
  mmd: number;
}

/** One generator's scores. */
export interface GeneratorScores {
  lfd: CoverageScores;
  /** MMD in CD x1000. */
  cd: CoverageScores;
  generated: number;
  /** Generated shapes without a surface (infinitely far from every reference). */
  empty: number;
}

export interface GenerationComparison {
  category: string;
  references: number;
  scores: Record<GeneratorName, GeneratorScores>;
  settings: { generatedPerReference: number; surfacePoints: number; truthResolution: number; resolution: number; seed: number };
}

/** A generator's shapes: the meshes of seeds 1..count. */
export type ShapeGenerator = (count: number) => Promise<TriangleMesh[]>;

/** IM-GAN's shapes: the run's generator and IM decoder, meshed adaptively at `resolution`. */
export function imGanShapes(decoder: ImNetDecoder, resolution = 64): ShapeGenerator {
  return async (count) => {
    const meshes: TriangleMesh[] = [];
    for (let seed = 1; seed <= count; seed++) {
      const evaluator = decoder.createOccupancy(decoder.sample(seed));
      try {
        meshes.push(await extractSurface(evaluator.evaluate, {
          resolution, isoLevel: decoder.isoLevel, outputActivation: decoder.architecture.outputActivation,
          guardBand: false, coarseResolution: 16, batchSize: 65536,
        }));
      } finally {
        evaluator.dispose();
      }
    }
    return meshes;
  };
}

/** CNN-GAN's shapes: the generator's codes through the CNN decoder, meshed on its 64^3 grid. */
export function cnnGanShapes(generator: GeneratorWeights, decoder: VoxelDecoder): ShapeGenerator {
  return async (count) => {
    const latents = Array.from({ length: count }, (_, i) => generateLatent(generator, noiseForSeed(generator.noiseSize, i + 1)));
    const meshes: TriangleMesh[] = [];
    // A few at a time: each grid is a million bytes of floats.
    for (let start = 0; start < count; start += 8) {
      for (const grid of await decoder.decode(latents.slice(start, start + 8))) meshes.push(gridSurface(grid, 64, 0.5));
    }
    return meshes;
  };
}

/** Options of {@link compareGenerators}. */
export interface CompareGeneratorsArgs {
  category: string;
  dataset: Dataset;
  generators: Record<GeneratorName, ShapeGenerator>;
  lfdCache: LfdDescriptorCache;
  /** Default 5 (the paper's protocol). */
  generatedPerReference?: number;
  /** Resolution of the references' solids for CD. Default 256. */
  truthResolution?: number;
  seed?: number;
  log?: (line: string) => void;
}

/** Distances reference x generated, row-major; Infinity for a generated shape without surface. */
function distanceMatrix(references: number, generated: number, distance: (r: number, g: number) => number): Float64Array {
  const out = new Float64Array(references * generated);
  for (let r = 0; r < references; r++) for (let g = 0; g < generated; g++) out[r * generated + g] = distance(r, g);
  return out;
}

/** Runs both generators against the test split. */
export async function compareGenerators(args: CompareGeneratorsArgs): Promise<GenerationComparison> {
  const { dataset, lfdCache } = args;
  const log = args.log ?? (() => {});
  const perReference = args.generatedPerReference ?? 5, truthResolution = args.truthResolution ?? 256, seed = args.seed ?? 1;
  const testIds = dataset.ids('test');
  if (testIds.length === 0) throw new Error(`${dataset.dir} has no test split; the generation metrics compare against it`);
  const referenceDescriptors: LightFieldDescriptor[] = [];
  const referencePoints: Float32Array[] = [];
  for (const id of testIds) {
    const mesh = await groundTruthMesh(dataset.manifest, dataset.dir, id);
    referenceDescriptors.push(await lfdCache.get(mesh));
    referencePoints.push(generationSurfacePoints(solidSurface(mesh, truthResolution, dataset.manifest.options?.surface ?? 'solid'), seed));
  }
  const count = perReference * testIds.length;
  const scores = {} as Record<GeneratorName, GeneratorScores>;
  for (const name of GENERATORS) {
    const started = performance.now();
    const meshes = await args.generators[name](count);
    const empty = meshes.map((m) => m.indices.length === 0);
    const descriptors: (LightFieldDescriptor | null)[] = [];
    for (let i = 0; i < meshes.length; i++) descriptors.push(empty[i] ? null : await lfdCache.get(meshes[i]));
    const points = meshes.map((m, i) => (empty[i] ? new Float32Array(0) : generationSurfacePoints(m, seed + 1)));
    const referenceFeatures = referenceDescriptors.map((d) => d.matchingFeatures());
    const generatedFeatures = descriptors.map((d) => d?.matchingFeatures() ?? null);
    const lfd = distanceMatrix(testIds.length, count, (r, g) => (generatedFeatures[g] ? lightFieldDistanceOfFeatures(referenceFeatures[r], generatedFeatures[g]!) : Infinity));
    const cd = distanceMatrix(testIds.length, count, (r, g) => 1000 * chamferDistance(referencePoints[r], points[g]));
    const lfdScores = coverageAndMmd(lfd, testIds.length, count);
    const cdScores = coverageAndMmd(cd, testIds.length, count);
    scores[name] = {
      lfd: { coverage: lfdScores.coverage, mmd: lfdScores.mmd },
      cd: { coverage: cdScores.coverage, mmd: cdScores.mmd },
      generated: count,
      empty: empty.filter(Boolean).length,
    };
    log(`${args.category} ${name}: COV-LFD ${(100 * lfdScores.coverage).toFixed(1)}%, MMD-LFD ${lfdScores.mmd.toFixed(0)}, ` +
      `COV-CD ${(100 * cdScores.coverage).toFixed(1)}%, MMD-CD ${cdScores.mmd.toFixed(3)} (${count} shapes, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  return { category: args.category, references: testIds.length, scores, settings: { generatedPerReference: perReference, surfacePoints: 2048, truthResolution, resolution: 64, seed } };
}
