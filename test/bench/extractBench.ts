/**
 * Case `extract`: occupancy work of extraction schemes side by side in one run, in three variants
 * (`npm run bench -- extract --variant=analytic,binary,decoders`; default `analytic,binary`, since
 * `decoders` evaluates trained networks densely and takes hours on two CPU cores the first time; a
 * rerun with the dense grids cached takes minutes at 128^3):
 *
 * - `analytic`: the fields of `test/support/fields.ts` at 256^3 (leaky-clipped distance, as IM-NET's
 *   output), schemes `dense`, `imnet`, `mise` and `ours`.
 * - `binary`: 0/1 versions of those fields, the tilted thin plate and thin-legged chair of the tests
 *   and more tilts of them (`THIN_TILTED_VARIANTS`) at 256^3: no distance information, so thin parts
 *   the coarse grid misses must be tracked along the surface. Schemes `dense`, `mise`, `ours`.
 * - `decoders`: the shipped categories x 4 latents (training latent 0, held-out latent 0, GAN samples
 *   1 and 2) at 128^3 and 256^3 (`--resolution=128` for one), evaluated by the wasm backend.
 *   Schemes `dense`, `mise` and `ours` with the settings `ImplicitShape` extracts with
 *   (`ImplicitShape.DefaultExtraction`). Dense grids are cached on disk (see {@link DENSE_CACHE}):
 *   a rerun costs only MISE and ours, and its dense lines say `cached: true` (their wall time is
 *   the one measured when the cache was filled).
 *
 * Schemes:
 * - `dense`: every one of the (resolution+1)^3 corners (`extractSurface(..., { adaptive: false })`).
 * - `imnet`: IM-NET's `z2voxel` (Chen & Zhang, IM-NET-pytorch): a 64^3 frame grid sampled at frame
 *   cell centres, then the 4^3 fine corners of every frame cell whose 3^3 frame neighbourhood
 *   disagrees, growing into neighbours of cells that found inside values; frame cells whose
 *   neighbourhood is all inside are filled with 1, the rest with 0. Queue batches of 32^3 points,
 *   one round each (the queue grows from their results).
 * - `mise`: Occupancy Networks' MISE (Mescheder et al. 2019, `libmise`) with its default 32^3 start:
 *   all corners of the 32^3 grid, then upsampling steps up to the resolution, each subdividing the
 *   voxels whose corners disagree and evaluating the new corners; unevaluated corners take a corner
 *   value of their (uniform) leaf voxel.
 * - `ours`: `extractSurface` with its defaults (adaptive), or ImplicitShape's on decoders.
 *
 * Per line: evaluations and their share of dense, dependent rounds, occupancy calls, wall time of the
 * extraction alone (after a warm-up of every scheme; the IoU column's flood fill and the triangle
 * comparison are not timed; one run, so ratios only), triangles, dense's triangles the scheme's mesh
 * lacks (`trianglesMissed`) and whether the triangles are exactly dense's; `analytic` adds the voxel
 * IoU of the inside corners against dense (ours: the evaluated corners, the rest filled from them).
 * The analytic fields are cheap JS functions, so their wall time is mostly the schemes' own
 * bookkeeping; on a GPU the evaluations and rounds dominate, and on the decoders the evaluations do.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { extractSurface, marchGrid, type OccupancyFunction, type SurfaceMesh } from '../../src/extract/index.js';
import { CornerValueMap } from '../../src/extract/cornerValueMap.js';
import { ImNetDecoder } from '../../src/ImNetDecoder.js';
import { ImplicitShape } from '../../src/ImplicitShape.js';
import { resolveWeightsSource, SHIPPED_CATEGORIES } from '../../src/shippedWeights.js';
import type { LatentCode } from '../../src/LatentCode.js';
import {
  binaryOccupancyOfSdf,
  FIELDS,
  insideFlags,
  occupancyOfSdf,
  recordingOccupancy,
  sphereSdf,
  thinChairSdf,
  THIN_TILTED_VARIANTS,
  tiltedPlateSdf,
  triangleSet,
  voxelIoU,
  type Sdf,
} from '../support/fields.js';
import { emit, round } from './timing.js';

const RESOLUTION = 256;
const ISO = 0.5;
/** Occupancy Networks' `resolution0`: MISE's first grid. */
const MISE_START = 32;

const VARIANTS = ['analytic', 'binary', 'decoders'] as const;
type Variant = (typeof VARIANTS)[number];

/** What one scheme returns: its mesh, and the values it evaluated or filled in (for the IoU). */
interface SchemeResult {
  mesh: SurfaceMesh;
  /** Values on the (resolution+1)^3 grid as the scheme knows them (NaN where it never asked), or null. */
  values: Float32Array | null;
  /** Set when the result came from the dense cache: the wall time measured when it was filled. */
  cachedWallMs?: number;
}

type Scheme = (occupancy: OccupancyFunction, resolution: number) => Promise<SchemeResult>;

export interface ExtractBenchOptions {
  variants: Variant[];
  /** Resolutions of the `decoders` variant. */
  decoderResolutions: number[];
  /** Categories of the `decoders` variant (default: every shipped one). */
  categories: string[];
  /** Latents of the `decoders` variant, by name (default: all four). */
  latents: string[];
}

/**
 * `--variant=a,b`, and for decoders `--resolution=128`, `--categories=chair,table` and
 * `--latents=test0,sample2` (dense at 256^3 costs minutes per latent on two cores: a subset first,
 * the rest later, from the cache).
 */
export function parseExtractBenchOptions(argv: readonly string[]): ExtractBenchOptions {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const variants = (flag('variant') ?? 'analytic,binary').split(',');
  for (const v of variants) {
    if (!VARIANTS.includes(v as Variant)) throw new RangeError(`--variant=${v}: expected one or more of ${VARIANTS.join(', ')}`);
  }
  const resolutions = (flag('resolution') ?? '128,256').split(',').map(Number);
  for (const r of resolutions) {
    if (!(Number.isInteger(r) && r >= 2 * MISE_START && r % MISE_START === 0)) {
      throw new RangeError(`--resolution=${r}: expected multiples of ${MISE_START}, at least ${2 * MISE_START}`);
    }
  }
  const pick = (name: string, known: readonly string[]) => {
    const wanted = flag(name)?.split(',') ?? [...known];
    for (const w of wanted) if (!known.includes(w)) throw new RangeError(`--${name}=${w}: expected one or more of ${known.join(', ')}`);
    return wanted;
  };
  return {
    variants: variants as Variant[], decoderResolutions: resolutions,
    categories: pick('categories', SHIPPED_CATEGORIES), latents: pick('latents', DECODER_LATENTS.map(([name]) => name)),
  };
}

export async function extractBench(options = parseExtractBenchOptions(process.argv.slice(2))): Promise<void> {
  await warmUp();
  for (const variant of options.variants) {
    if (variant === 'analytic') await analyticBench();
    if (variant === 'binary') await binaryBench();
    if (variant === 'decoders') await decodersBench(options);
  }
}

/** Every scheme once on a small field, so no timed run pays for compiling its code. */
async function warmUp(): Promise<void> {
  const occupancy = occupancyOfSdf(sphereSdf);
  for (const run of [runDense, runImNet, runMise, runOurs]) await run(occupancy, 128);
}

/** Runs `schemes` on one field; emits a line per scheme, compared with the first (dense). */
async function compareSchemes(
  schemes: [string, Scheme][],
  occupancy: OccupancyFunction,
  resolution: number,
  line: Record<string, unknown>,
  withIoU: boolean,
): Promise<void> {
  const denseEvaluations = (resolution + 1) ** 3;
  let dense: { triangles: string[]; set: Set<string>; inside: Uint8Array | null } | null = null;
  for (const [scheme, run] of schemes) {
    const t0 = performance.now();
    const result = await run(occupancy, resolution);
    const wallMs = result.cachedWallMs ?? performance.now() - t0;
    const triangles = triangleSet(result.mesh);
    const inside = withIoU && result.values ? insideFlags(result.values, resolution, ISO) : null;
    dense ??= { triangles, set: new Set(triangles), inside };
    const mine = new Set(triangles);
    let missed = 0;
    for (const t of dense.triangles) if (!mine.has(t)) missed++;
    const { evaluations, rounds, calls } = result.mesh.stats;
    emit({
      case: 'extract', ...line, scheme, resolution, evaluations,
      percentOfDense: round((100 * evaluations) / denseEvaluations),
      rounds, calls, wallMs: Math.round(wallMs), ...(result.cachedWallMs !== undefined ? { cached: true } : {}),
      ...(inside && dense.inside ? { iouVsDense: round(voxelIoU(inside, dense.inside), 6) } : {}),
      triangles: triangles.length,
      trianglesMissed: missed,
      identicalToDense: triangles.length === dense.triangles.length && missed === 0,
    });
  }
}

async function analyticBench(resolution = RESOLUTION): Promise<void> {
  for (const [field, sdf] of Object.entries(FIELDS)) {
    await compareSchemes(
      [['dense', runDense], ['imnet', runImNet], ['mise', runMise], ['ours', runOurs]],
      occupancyOfSdf(sdf), resolution, { variant: 'analytic', field }, true,
    );
  }
}

async function binaryBench(resolution = RESOLUTION): Promise<void> {
  const fields: Record<string, Sdf> = {
    ...FIELDS,
    tiltedPlate: tiltedPlateSdf,
    thinChair: thinChairSdf,
    ...THIN_TILTED_VARIANTS,
  };
  for (const [field, sdf] of Object.entries(fields)) {
    await compareSchemes(
      [['dense', runDense], ['mise', runMise], ['ours', runOurs]],
      binaryOccupancyOfSdf(sdf), resolution, { variant: 'binary', field }, false,
    );
  }
}

/** The four latents of each category: a training one, a held-out one, two GAN samples. */
const DECODER_LATENTS: [string, (decoder: ImNetDecoder) => LatentCode][] = [
  ['train0', (d) => d.latents[0]],
  ['test0', (d) => d.testLatents[0]],
  ['sample1', (d) => d.sample(1)],
  ['sample2', (d) => d.sample(2)],
];

async function decodersBench({ decoderResolutions: resolutions, categories, latents }: ExtractBenchOptions): Promise<void> {
  tf.env().set('IS_TEST', true);
  await tf.setBackend('wasm');
  await tf.ready();
  for (const resolution of resolutions) {
    for (const category of categories) {
      const decoder = await ImNetDecoder.load(category);
      const ours: Scheme = async (occupancy, r) => ({
        mesh: await extractSurface(occupancy, {
          ...ImplicitShape.DefaultExtraction,
          resolution: r,
          isoLevel: decoder.isoLevel,
          outputActivation: decoder.architecture.outputActivation,
        }),
        values: null,
      });
      for (const [latent, pick] of DECODER_LATENTS.filter(([name]) => latents.includes(name))) {
        const code = pick(decoder);
        const evaluator = decoder.createOccupancy(code, { backend: 'wasm' });
        const cacheFile = denseCachePath(category, latent, code, resolution);
        try {
          // Warm this evaluator (folded biases, kernels) outside the timed runs.
          await evaluator.evaluate(new Float32Array(3 * 4096));
          await compareSchemes(
            [['dense', (occupancy, r) => cachedDense(cacheFile, occupancy, r)], ['mise', runMise], ['ours', ours]],
            evaluator.evaluate, resolution, { variant: 'decoders', category, latent }, false,
          );
        } finally {
          evaluator.dispose();
        }
      }
      decoder.dispose();
    }
  }
}

/**
 * Where the `decoders` variant keeps dense grids (git-ignored): dense evaluation of a trained decoder
 * is the bench's whole cost (30-190 s per latent at 128^3 on two cores, 8x that at 256^3), and the
 * grid depends only on the weights, the latent and the resolution, so a rerun evaluates only MISE
 * and ours. Delete the folder to time dense again.
 */
const DENSE_CACHE = process.env.IMNET_BENCH_CACHE ?? join(process.cwd(), '.cache', 'extract-decoders');

/** SHA-256 of a shipped category's manifest and weight file. */
function weightsHash(category: string): string {
  const manifest = resolveWeightsSource(category);
  const hash = createHash('sha256').update(readFileSync(manifest));
  hash.update(readFileSync(join(dirname(manifest), 'weights.bin')));
  return hash.digest('hex');
}

/**
 * The cached dense grid of a shipped category's latent at `resolution`, without extension: named by
 * category, latent and resolution, keyed by the weights, the latent's values and the resolution.
 */
export function denseCachePath(category: string, latentName: string, latent: LatentCode, resolution: number): string {
  const values = latent.values;
  const key = createHash('sha256')
    .update(weightsHash(category))
    .update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
    .update(String(resolution))
    .digest('hex')
    .slice(0, 16);
  return join(DENSE_CACHE, `${category}-${latentName}-${resolution}-${key}`);
}

/**
 * Dense from `file.f32` (values) and `file.json` (its stats and wall time when it was filled), or
 * dense evaluated and written there (atomically: a killed run leaves no partial grid).
 */
async function cachedDense(file: string, occupancy: OccupancyFunction, resolution: number): Promise<SchemeResult> {
  const n = resolution + 1;
  if (existsSync(`${file}.json`) && existsSync(`${file}.f32`)) {
    const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { wallMs: number; stats: SurfaceMesh['stats'] };
    const bytes = readFileSync(`${file}.f32`);
    if (bytes.byteLength === 4 * n ** 3) {
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      return { ...finish(values, resolution, meta.stats), cachedWallMs: meta.wallMs };
    }
  }
  const t0 = performance.now();
  const result = await runDense(occupancy, resolution);
  const wallMs = performance.now() - t0;
  mkdirSync(dirname(file), { recursive: true });
  const values = result.values!;
  writeFileSync(`${file}.f32.tmp`, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  renameSync(`${file}.f32.tmp`, `${file}.f32`);
  writeFileSync(`${file}.json.tmp`, JSON.stringify({ wallMs: Math.round(wallMs), stats: result.mesh.stats }));
  renameSync(`${file}.json.tmp`, `${file}.json`);
  return result;
}

async function runDense(occupancy: OccupancyFunction, resolution: number): Promise<SchemeResult> {
  const recorder = recordingOccupancy(occupancy, resolution);
  const mesh = await extractSurface(recorder.occupancy, { resolution, adaptive: false });
  return { mesh, values: recorder.values };
}

async function runOurs(occupancy: OccupancyFunction, resolution: number): Promise<SchemeResult> {
  const recorder = recordingOccupancy(occupancy, resolution);
  const mesh = await extractSurface(recorder.occupancy, { resolution });
  return { mesh, values: recorder.values };
}

/** Evaluates `points` in calls of `batchSize`; returns the values and the number of calls. */
async function evaluateAll(
  occupancy: OccupancyFunction,
  points: Float32Array,
  batchSize: number,
): Promise<{ values: Float32Array; calls: number }> {
  const count = points.length / 3;
  const values = new Float32Array(count);
  let calls = 0;
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    values.set(await occupancy(points.slice(3 * start, 3 * end)), start);
    calls++;
  }
  return { values, calls };
}

/** xyz of corner indices (x + n * (y + n * z)) of the resolution grid. */
function pointsOfCorners(corners: ArrayLike<number>, count: number, resolution: number): Float32Array {
  const n = resolution + 1;
  const points = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) {
    const key = corners[i];
    points[3 * i] = -0.5 + (key % n) / resolution;
    points[3 * i + 1] = -0.5 + (Math.floor(key / n) % n) / resolution;
    points[3 * i + 2] = -0.5 + Math.floor(key / (n * n)) / resolution;
  }
  return points;
}

/** Marches a full value grid and reports the work. */
function finish(values: Float32Array, resolution: number, stats: SurfaceMesh['stats']): SchemeResult {
  return { mesh: { ...marchGrid(values, resolution, ISO), stats }, values };
}

/**
 * MISE from a 32^3 grid (Occupancy Networks' `resolution0`), upsampling up to `resolution`, in the
 * corner convention of this package. Batches of 100000 points, as Occupancy Networks' generator
 * (`points_batch_size`).
 */
export async function runMise(occupancy: OccupancyFunction, resolution: number): Promise<SchemeResult> {
  const steps = Math.round(Math.log2(resolution / MISE_START));
  const batchSize = 100000;
  const n = resolution + 1;
  const known = new CornerValueMap(1 << 16);
  const stats = { evaluations: 0, rounds: 0, calls: 0 };
  const evaluate = async (corners: number[]): Promise<void> => {
    const { values, calls } = await evaluateAll(occupancy, pointsOfCorners(corners, corners.length, resolution), batchSize);
    for (let i = 0; i < corners.length; i++) known.set(corners[i], values[i]);
    stats.evaluations += corners.length;
    stats.calls += calls;
    stats.rounds++;
  };

  const res0 = resolution >> steps;
  let stride = resolution / res0;
  const first: number[] = [];
  for (let z = 0; z <= res0; z++) {
    for (let y = 0; y <= res0; y++) {
      for (let x = 0; x <= res0; x++) first.push(stride * (x + n * (y + n * z)));
    }
  }
  await evaluate(first);
  // Voxels as their lowest corner's index; leaves per level for the fill.
  let voxels: number[] = [];
  for (let z = 0; z < res0; z++) {
    for (let y = 0; y < res0; y++) {
      for (let x = 0; x < res0; x++) voxels.push(stride * (x + n * (y + n * z)));
    }
  }
  const leaves: { voxels: number[]; stride: number }[] = [];
  for (let step = 0; step < steps; step++) {
    const active: number[] = [];
    const passive: number[] = [];
    for (const voxel of voxels) {
      let insideCount = 0;
      for (let c = 0; c < 8; c++) {
        insideCount += known.get(voxel + stride * ((c & 1) + n * (((c >> 1) & 1) + n * (c >> 2)))) >= ISO ? 1 : 0;
      }
      (insideCount > 0 && insideCount < 8 ? active : passive).push(voxel);
    }
    leaves.push({ voxels: passive, stride });
    const half = stride / 2;
    const children: number[] = [];
    const fresh: number[] = [];
    for (const voxel of active) {
      for (let c = 0; c < 27; c++) {
        const corner = voxel + half * ((c % 3) + n * ((Math.floor(c / 3) % 3) + n * Math.floor(c / 9)));
        if (known.addIfAbsent(corner)) fresh.push(corner);
      }
      for (let c = 0; c < 8; c++) children.push(voxel + half * ((c & 1) + n * (((c >> 1) & 1) + n * (c >> 2))));
    }
    await evaluate(fresh);
    voxels = children;
    stride = half;
  }

  // to_dense: evaluated corners keep their values; the rest take their leaf voxel's corner value.
  const values = new Float32Array(n * n * n).fill(Number.NaN);
  for (let z = 0; z < n; z++) {
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const index = x + n * (y + n * z);
        values[index] = known.get(index);
      }
    }
  }
  for (const level of leaves) {
    const s = level.stride;
    for (const voxel of level.voxels) {
      const fill = known.get(voxel);
      for (let dz = 0; dz <= s; dz++) {
        for (let dy = 0; dy <= s; dy++) {
          for (let dx = 0; dx <= s; dx++) {
            const index = voxel + dx + n * (dy + n * dz);
            if (Number.isNaN(values[index])) values[index] = fill;
          }
        }
      }
    }
  }
  return finish(values, resolution, stats);
}

/**
 * IM-NET's z2voxel with frame grid resolution / 4 and 4^3 cells, in the corner convention of this
 * package: frame cell F owns fine corners 4F..4F+3 per axis (the last one also corner `resolution`)
 * and is sampled at its centre.
 */
async function runImNet(occupancy: OccupancyFunction, resolution: number, cellSize = 4): Promise<SchemeResult> {
  const batchSize = 32768; // IM-NET-pytorch's test_point_batch_size = 32^3
  const frames = resolution / cellSize;
  const n = resolution + 1;
  const stats = { evaluations: 0, rounds: 0, calls: 0 };

  const framePoints = new Float32Array(3 * frames ** 3);
  for (let i = 0; i < frames ** 3; i++) {
    const fx = i % frames;
    const fy = Math.floor(i / frames) % frames;
    const fz = Math.floor(i / (frames * frames));
    framePoints[3 * i] = -0.5 + (cellSize * fx + (cellSize - 1) / 2) / resolution;
    framePoints[3 * i + 1] = -0.5 + (cellSize * fy + (cellSize - 1) / 2) / resolution;
    framePoints[3 * i + 2] = -0.5 + (cellSize * fz + (cellSize - 1) / 2) / resolution;
  }
  const frame = await evaluateAll(occupancy, framePoints, batchSize);
  stats.evaluations += frames ** 3;
  stats.calls += frame.calls;
  stats.rounds++;

  // Flags with a border of 0, as IM-NET's (dimf+2)^3 frame_flag.
  const p = frames + 2;
  const flag = new Uint8Array(p * p * p);
  const flagIndex = (x: number, y: number, z: number): number => x + 1 + p * (y + 1 + p * (z + 1));
  for (let i = 0; i < frames ** 3; i++) {
    const fx = i % frames;
    const fy = Math.floor(i / frames) % frames;
    const fz = Math.floor(i / (frames * frames));
    flag[flagIndex(fx, fy, fz)] = frame.values[i] >= ISO ? 1 : 0;
  }

  const values = new Float32Array(n * n * n); // 0 = outside unless filled or evaluated
  const frameCorners = (f: number): [number, number] => [cellSize * f, f === frames - 1 ? resolution : cellSize * f + cellSize - 1];
  const fillFrame = (fx: number, fy: number, fz: number, out: number[] | null, value = 1): void => {
    const [x0, x1] = frameCorners(fx);
    const [y0, y1] = frameCorners(fy);
    const [z0, z1] = frameCorners(fz);
    for (let z = z0; z <= z1; z++) {
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          if (out) out.push(x + n * (y + n * z));
          else values[x + n * (y + n * z)] = value;
        }
      }
    }
  };

  const queue: number[] = [];
  for (let fz = 0; fz < frames; fz++) {
    for (let fy = 0; fy < frames; fy++) {
      for (let fx = 0; fx < frames; fx++) {
        let max = 0;
        let min = 1;
        for (let d = 0; d < 27; d++) {
          const v = flag[flagIndex(fx + (d % 3) - 1, fy + (Math.floor(d / 3) % 3) - 1, fz + Math.floor(d / 9) - 1)];
          if (v > max) max = v;
          if (v < min) min = v;
        }
        if (max !== min) queue.push(fx + frames * (fy + frames * fz));
        else if (max === 1) fillFrame(fx, fy, fz, null);
      }
    }
  }

  let head = 0;
  while (head < queue.length) {
    // One batch: frame cells until 32^3 points.
    const cells: number[] = [];
    const corners: number[] = [];
    const bounds: number[] = [];
    while (head < queue.length && corners.length + 125 <= batchSize) {
      const cell = queue[head++];
      bounds.push(corners.length);
      fillFrame(cell % frames, Math.floor(cell / frames) % frames, Math.floor(cell / (frames * frames)), corners);
      cells.push(cell);
    }
    bounds.push(corners.length);
    const { values: result, calls } = await evaluateAll(occupancy, pointsOfCorners(corners, corners.length, resolution), batchSize);
    stats.evaluations += corners.length;
    stats.calls += calls;
    stats.rounds++;
    for (let c = 0; c < cells.length; c++) {
      let anyInside = false;
      for (let i = bounds[c]; i < bounds[c + 1]; i++) {
        values[corners[i]] = result[i];
        if (result[i] >= ISO) anyInside = true;
      }
      if (!anyInside) continue;
      const fx = cells[c] % frames;
      const fy = Math.floor(cells[c] / frames) % frames;
      const fz = Math.floor(cells[c] / (frames * frames));
      for (let d = 0; d < 27; d++) {
        const gx = fx + (d % 3) - 1;
        const gy = fy + (Math.floor(d / 3) % 3) - 1;
        const gz = fz + Math.floor(d / 9) - 1;
        // IM-NET also queues border cells and reads wrapped coordinates for them; inside the grid only here.
        if (gx < 0 || gy < 0 || gz < 0 || gx >= frames || gy >= frames || gz >= frames) continue;
        if (flag[flagIndex(gx, gy, gz)] !== 0) continue;
        flag[flagIndex(gx, gy, gz)] = 1;
        queue.push(gx + frames * (gy + frames * gz));
      }
    }
  }
  return finish(values, resolution, stats);
}
