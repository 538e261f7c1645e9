/**
 * `imnet report`'s work for one category: find its two runs (`<runs-dir>/<category>/im` and `/cnn`,
 * written by `imnet train` and `imnet train --decoder cnn`, each with `imnet gan` after it), run the
 * auto-encoding and generation comparisons on the test split of the dataset they trained on, and
 * write what they measured beside the runs (`<runs-dir>/<category>/eval/*.json`) and the figure.
 * Each part is skipped when its file exists (the LFD descriptors are cached on disk too), so a report
 * over categories that finish at different times only measures what is new.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ImNetDecoder } from '#core';
import { openDataset } from '../data/dataset/dataset.js';
import { readCnnModel, cnnModelPath, type CnnModel } from '../models/cnn/cnnModelFile.js';
import { isCnnConfig, type CnnTrainConfig } from '../models/cnn/config.js';
import type { TrainConfig } from '../models/imnet/config.js';
import { readCheckpointState } from '../trainer/checkpoint.js';
import type { LossRow } from '../trainer/lossLog.js';
import { readRunInfo, runPaths, type RunInfo } from '../trainer/runDir.js';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import { compareAutoencoders, type AutoencoderComparison, type FigureRow } from './compareAutoencoders.js';
import { cnnGanShapes, compareGenerators, imGanShapes, type GenerationComparison } from './compareGenerators.js';
import { LfdDescriptorCache } from './lfd/index.js';
import { loadCnnDecoder } from './reconstructionSources.js';

/** A category's two runs. */
export interface CategoryRuns {
  category: string;
  /** `<runs-dir>/<category>`. */
  dir: string;
  im: string;
  cnn: string;
}

/** The categories of a runs folder: subfolders holding both an `im` and a `cnn` run (run.json). */
export function findCategoryRuns(runsDir: string): CategoryRuns[] {
  if (!existsSync(runsDir)) throw new Error(`${runsDir}: no such folder; expected <runs-dir>/<category>/{im,cnn} written by training/categories/paperComparison.sh`);
  return readdirSync(runsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({ category: e.name, dir: join(runsDir, e.name), im: join(runsDir, e.name, 'im'), cnn: join(runsDir, e.name, 'cnn') }))
    .filter((c) => existsSync(runPaths(c.im).info) && existsSync(runPaths(c.cnn).info))
    .sort((a, b) => a.category.localeCompare(b.category));
}

/** Where a category's measurements go. */
export const reportPaths = (runs: CategoryRuns) => ({
  autoencoding: join(runs.dir, 'eval', 'autoencoding.json'),
  generation: join(runs.dir, 'eval', 'generation.json'),
  lfdCache: join(runs.dir, 'eval', 'lfd'),
});

/** What one run was (for the report's "how each run was made"). */
export interface RunSummary {
  dir: string;
  /** The `imnet` command line that makes this run (from its run.json / GAN checkpoint: the settings that decide it). */
  command: string;
  steps: number;
  epochs: number;
  finalLoss: number | null;
  /** Wall-clock seconds of training, across resumes (the loss log's last row). */
  seconds: number | null;
  finished: boolean;
}

function lossRows(file: string): LossRow[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LossRow[]) : [];
}

/** The train command that reproduces a run from its run.json. */
export function trainCommandOf(runDir: string, info: RunInfo<TrainConfig | CnnTrainConfig>): string {
  const c = info.config;
  const common = (x: { encoderWidth: number; shapesPerStep: number; learningRate: number; beta1: number; seed: number }) =>
    `--encoder-width ${x.encoderWidth} --batch-size ${x.shapesPerStep} --lr ${x.learningRate} --beta1 ${x.beta1} --seed ${x.seed}`;
  if (isCnnConfig(c)) {
    const width = c.matchedPreset ? `--preset ${c.matchedPreset}` : `--decoder-width ${c.decoderWidth}`;
    return `npx imnet train ${c.datasetDir} --out ${runDir} --decoder cnn ${width} ${common(c)} --epochs ${c.epochs}`;
  }
  const t = c as TrainConfig;
  const epochs = [16, 32, 64].map((level) => `--epochs-${level} ${t.stages.find((s) => s.level === level)?.epochs ?? 0}`).join(' ');
  return `npx imnet train ${t.datasetDir} --out ${runDir} --preset ${t.preset}${t.mode === 'autoencoder' ? '' : ` --mode ${t.mode}`} ${common(t)} ${epochs} --points ${t.pointsPerStep}`;
}

/** A training run's summary. */
export function summarizeRun(runDir: string): RunSummary {
  const info = readRunInfo<TrainConfig | CnnTrainConfig>(runDir);
  const rows = lossRows(join(runDir, 'loss.json'));
  const finished = isCnnConfig(info.config) ? existsSync(cnnModelPath(runDir)) : existsSync(runPaths(runDir).model);
  return { dir: runDir, command: trainCommandOf(runDir, info), steps: rows.at(-1)?.step ?? 0, epochs: rows.length, finalLoss: rows.at(-1)?.loss ?? null, seconds: rows.at(-1)?.seconds ?? null, finished };
}

/** A GAN run's summary (null when `imnet gan` has not run). */
export function summarizeGan(runDir: string): RunSummary | null {
  const { ganCheckpoint, ganDir } = runPaths(runDir);
  if (!existsSync(ganCheckpoint)) return null;
  const state = readCheckpointState<{ config: { generatorHidden: number[]; criticHidden: number[]; epochs: number; noiseSize: number; seed: number } }>(ganCheckpoint);
  const c = state.config;
  const rows = lossRows(join(ganDir, 'loss.json'));
  const critic = c.criticHidden[0] !== c.generatorHidden[0] ? ` --critic-width ${c.criticHidden[0]}` : '';
  return {
    dir: ganDir, command: `npx imnet gan ${runDir} --width ${c.generatorHidden[0]}${critic} --epochs ${c.epochs} --noise-size ${c.noiseSize} --seed ${c.seed}`,
    steps: rows.at(-1)?.step ?? 0, epochs: rows.length, finalLoss: rows.at(-1)?.loss ?? null, seconds: rows.at(-1)?.seconds ?? null, finished: rows.length === c.epochs,
  };
}

/** Options of {@link evaluateCategory}. */
export interface EvaluateCategoryArgs {
  /** Receives the meshes of the figure's test shapes (truth and the three reconstructions) once they are measured. */
  onFigure?: (rows: FigureRow[]) => void;
  /** Test shapes in the figure. Default 4. */
  figureShapes?: number;
  /** Measure again even where a result file exists. */
  force?: boolean;
  /** Only the first n test shapes in the auto-encoding table (a quick look; the generation table always uses all). */
  limit?: number;
  /** Smaller measurements than the paper's, for tests: points per surface, truth and IM256 resolutions, generated per reference. */
  measure?: { surfacePoints?: number; truthResolution?: number; im256Resolution?: number; generatedPerReference?: number };
  log?: (line: string) => void;
}

/** What a category's evaluation left on disk (null where a part could not run yet). */
export interface CategoryResults {
  runs: CategoryRuns;
  autoencoding: AutoencoderComparison | null;
  generation: GenerationComparison | null;
  /** Why a part is missing. */
  missing: string[];
}

/** JSON has no NaN or Infinity: they are written as strings and read back as numbers. */
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8'), (_, v) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v)) as T) : null;
}

const writeJson = (file: string, value: unknown): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomicSync(file, JSON.stringify(value, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1) + '\n');
};

/** Measures what is missing for one category and returns everything measured so far. */
export async function evaluateCategory(runs: CategoryRuns, args: EvaluateCategoryArgs): Promise<CategoryResults> {
  const log = args.log ?? (() => {});
  const paths = reportPaths(runs);
  const missing: string[] = [];
  const imModel = runPaths(runs.im).model, cnnFile = cnnModelPath(runs.cnn);
  if (!existsSync(imModel)) missing.push(`${runs.im} has no trained model yet`);
  if (!existsSync(cnnFile)) missing.push(`${runs.cnn} has no trained model yet`);
  let autoencoding = args.force ? null : readJson<AutoencoderComparison>(paths.autoencoding);
  let generation = args.force ? null : readJson<GenerationComparison>(paths.generation);
  if (missing.length || (autoencoding && generation)) return { runs, autoencoding, generation, missing };

  const info = readRunInfo(runs.im);
  const datasetDir = (info.config as TrainConfig).datasetDir;
  const dataset = await openDataset(datasetDir);
  const cnnInfo = readRunInfo(runs.cnn);
  if (!isCnnConfig(cnnInfo.config)) throw new Error(`${runs.cnn}: expected a CNN-AE run (imnet train --decoder cnn)`);
  if (cnnInfo.config.datasetDir !== datasetDir) throw new Error(`${runs.im} and ${runs.cnn} trained on different datasets (${datasetDir}, ${cnnInfo.config.datasetDir})`);
  const im = await ImNetDecoder.load(imModel);
  const cnn: CnnModel = readCnnModel(cnnFile);
  const cnnDecoder = loadCnnDecoder(cnn, cnnFile);
  const lfdCache = new LfdDescriptorCache({ dir: paths.lfdCache });
  try {
    if (!autoencoding) {
      const figureRows: FigureRow[] = [];
      const started = performance.now();
      autoencoding = await compareAutoencoders({
        category: runs.category, dataset, im, lfdCache, limit: args.limit,
        surfacePoints: args.measure?.surfacePoints, truthResolution: args.measure?.truthResolution, im256Resolution: args.measure?.im256Resolution,
        cnn: { decoder: cnnDecoder, testLatents: new Map(cnn.testIds.map((id, i) => [id, cnn.testLatents[i]])) },
        keepMeshes: args.figureShapes ?? 4,
        onMeshes: (id, meshes) => figureRows.push({ id, ...meshes }),
        onShape: (row, i, n) => log(`${runs.category} ${i + 1}/${n} ${row.id}: IoU CNN ${row.scores.CNN64.iou?.toFixed(3)} IM ${row.scores.IM64.iou?.toFixed(3)}, ` +
          `LFD CNN ${row.scores.CNN64.lfd} IM64 ${row.scores.IM64.lfd} IM256 ${row.scores.IM256.lfd} (${((performance.now() - started) / 1000).toFixed(0)} s)`),
      });
      args.onFigure?.(figureRows);
      writeJson(paths.autoencoding, autoencoding);
      log(`wrote ${paths.autoencoding}`);
    }
    if (!generation) {
      if (!im.hasGenerator || !cnn.generator) {
        missing.push(`run \`imnet gan\` on ${!im.hasGenerator ? runs.im : runs.cnn} for the generation table`);
      } else {
        generation = await compareGenerators({
          category: runs.category, dataset, lfdCache, log,
          truthResolution: args.measure?.truthResolution, generatedPerReference: args.measure?.generatedPerReference,
          generators: { 'CNN-GAN': cnnGanShapes(cnn.generator, cnnDecoder), 'IM-GAN': imGanShapes(im) },
        });
        writeJson(paths.generation, generation);
        log(`wrote ${paths.generation}`);
      }
    }
  } finally {
    im.dispose();
    cnnDecoder.dispose();
  }
  return { runs, autoencoding, generation, missing };
}
