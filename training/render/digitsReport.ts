/**
 * `imnet digits sheet`: every finished digit model's pictures (`digitModelSheets.ts`), the
 * auto-encoders' held-out reconstructions, and the numbers of our scoring protocol
 * (`eval/digits/scoreDigits.ts`) for each model and for real digits (the ceiling), in `scores.json`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import { DIGIT_PIXELS, DIGIT_SIZE, loadMnist } from '../data/mnist/mnistDigits.js';
import { CLASSIFIER_TRAINING, trainDigitClassifier } from '../eval/digits/DigitClassifier.js';
import { binarizedPixelSets } from '../eval/digits/pixelChamfer.js';
import { scoreDigits, type DigitScores } from '../eval/digits/scoreDigits.js';
import { digitRunPaths, isDigitRunFinished, openAutoEncoder, openDigitSampler, readDigitRunInfo } from '../models/digits/digitRuns.js';
import { DIGIT_MODEL_TITLES, GENERATIVE_DIGIT_MODELS, type DigitModelName, type DigitTrainConfig } from '../models/digits/digitsConfig.js';
import { ImplicitDigitDecoder } from '../models/digits/ImplicitDigitDecoder.js';
import { readCheckpointState } from '../trainer/checkpoint.js';
import type { TrainerState } from '../trainer/Trainer.js';
import { SHEET_SAMPLES, SUPER_RESOLUTION, writeDigitModelSheets } from './digitModelSheets.js';
import { digitsTablesMarkdown } from './digitsTables.js';
import { renderDigitSheet } from './digitSheets.js';

/** Held-out digits the samples are compared with (COV/MMD): as many as there are samples. */
const REFERENCE_COUNT = SHEET_SAMPLES;
/** Held-out digits the auto-encoders reconstruct in their sheet and in their MSE. */
const RECONSTRUCTIONS = 1000;
const RECONSTRUCTIONS_SHOWN = 48;

/** One model's entry in scores.json. */
export interface DigitModelReport {
  model: DigitModelName;
  title: string;
  /** Settings of the run (sizes, learning rate, epochs...). */
  config: DigitTrainConfig;
  /** Optimizer steps and wall-clock seconds the run took (latent GANs: the GAN's alone). */
  steps: number;
  trainSeconds: number;
  /** CPU seconds of the training process, where the run recorded them (`cpu.json`). */
  cpuSeconds?: number;
  /** Generative models: the protocol's numbers on the 1,024 sheet samples. */
  scores?: DigitScores;
  /** Auto-encoders: mean squared error on 1,000 held-out digits. */
  heldOutMse?: number;
  files: string[];
}

/** What `scores.json` holds. */
export interface DigitsReport {
  protocol: string;
  classifier: { training: typeof CLASSIFIER_TRAINING; trainedOn: string; accuracyOnTrainingDigits: number };
  /** Real training digits scored like samples: what a perfect generator would get. */
  realDigits: DigitScores;
  models: DigitModelReport[];
  scoresFile: string;
}

/** Options of {@link writeDigitsReport}. */
export interface DigitsReportArgs {
  runsDir: string;
  outDir: string;
  /** Only these models (default: every finished one). */
  models?: DigitModelName[];
  log?: (line: string) => void;
}

function runInfo(runsDir: string, model: DigitModelName): { steps: number; trainSeconds: number; cpuSeconds?: number } {
  const { checkpoint, dir } = digitRunPaths(runsDir, model);
  const state = readCheckpointState<TrainerState>(checkpoint);
  const cpuFile = join(dir, 'cpu.json');
  const cpu = existsSync(cpuFile) ? (JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number }).cpuSeconds : undefined;
  return { steps: state.globalStep, trainSeconds: Math.round(state.elapsedSeconds), ...(cpu !== undefined ? { cpuSeconds: cpu } : {}) };
}

/** Held-out reconstructions of an auto-encoder: a sheet (original | reconstruction, and 112 x 112 for IM-AE) and the MSE. */
async function reconstructions(runsDir: string, model: 'cnn-ae' | 'im-ae', outDir: string): Promise<{ mse: number; file: string }> {
  const autoEncoder = openAutoEncoder(runsDir, model);
  try {
    const held = loadMnist().heldOut.images.subarray(0, RECONSTRUCTIONS * DIGIT_PIXELS);
    const codes = await autoEncoder.encode(held);
    const decoded = await autoEncoder.generate(codes);
    let sum = 0;
    for (let i = 0; i < held.length; i++) sum += (decoded[i] - held[i]) ** 2;
    const shown = RECONSTRUCTIONS_SHOWN * DIGIT_PIXELS;
    const panels = [
      { images: held.subarray(0, shown), size: DIGIT_SIZE, columns: 8, scale: 2, caption: 'held-out digits' },
      { images: decoded.subarray(0, shown), size: DIGIT_SIZE, columns: 8, scale: 2, caption: 'reconstructed' },
    ];
    if (autoEncoder.decoder instanceof ImplicitDigitDecoder) {
      // 112 x 112 at half the panel's width per image would need downsampling; show the first 16 at full size instead.
      const fine = await autoEncoder.generate(codes.subarray(0, 16 * autoEncoder.config.networks.codeSize), { size: SUPER_RESOLUTION, batchSize: 4 });
      panels.push({ images: fine, size: SUPER_RESOLUTION, columns: 4, scale: 1, caption: 'first 16 at 112 x 112' });
    }
    const file = join(outDir, `${model}-reconstructions.png`);
    renderDigitSheet(panels, { title: `${DIGIT_MODEL_TITLES[model]}: held-out digits and their reconstructions`, out: file });
    return { mse: sum / held.length, file };
  } finally {
    autoEncoder.dispose();
  }
}

/** Writes every finished model's sheets and `scores.json` into `outDir`. */
export async function writeDigitsReport(args: DigitsReportArgs): Promise<DigitsReport> {
  const { runsDir, outDir } = args;
  const log = args.log ?? (() => {});
  mkdirSync(outDir, { recursive: true });
  const { train, heldOut } = loadMnist();
  log('digits sheet: training the scoring classifier on the held-out digits (or restoring it)');
  const { classifier, accuracy } = await trainDigitClassifier(heldOut, train, join(runsDir, 'classifier', 'checkpoint.bin'));
  try {
    log(`digits sheet: classifier accuracy on the 5,000 training digits ${(100 * accuracy).toFixed(1)}%`);
    const reference = binarizedPixelSets(heldOut.images.subarray(0, REFERENCE_COUNT * DIGIT_PIXELS), DIGIT_SIZE);
    const realSamples = train.images.subarray(0, SHEET_SAMPLES * DIGIT_PIXELS);
    const realDigits = scoreDigits(realSamples, await classifier.probabilities(realSamples), reference);
    const scoresFile = join(outDir, 'scores.json');
    const previous: DigitModelReport[] = existsSync(scoresFile) ? (JSON.parse(readFileSync(scoresFile, 'utf8')) as DigitsReport).models : [];
    const wanted = args.models ?? (['cnn-ae', 'im-ae', ...GENERATIVE_DIGIT_MODELS] as DigitModelName[]);
    const reports = new Map(previous.map((r) => [r.model, r]));
    for (const model of wanted) {
      if (!existsSync(digitRunPaths(runsDir, model).checkpoint) || !isDigitRunFinished(runsDir, model)) {
        log(`digits sheet: ${model}: no finished run in ${digitRunPaths(runsDir, model).dir}; skipped`);
        continue;
      }
      const started = performance.now();
      const entry: DigitModelReport = { model, title: DIGIT_MODEL_TITLES[model], config: readDigitRunInfo(runsDir, model).config, ...runInfo(runsDir, model), files: [] };
      if (model === 'cnn-ae' || model === 'im-ae') {
        const { mse, file } = await reconstructions(runsDir, model, outDir);
        entry.heldOutMse = mse;
        entry.files.push(file);
      } else {
        const { sampler, dispose } = openDigitSampler(runsDir, model);
        try {
          const sheets = await writeDigitModelSheets(sampler, outDir, entry.config.preset);
          entry.files.push(sheets.samples, sheets.strips, ...(sheets.superResolution ? [sheets.superResolution] : []));
          entry.scores = scoreDigits(sheets.images, await classifier.probabilities(sheets.images), reference);
        } finally {
          dispose();
        }
      }
      reports.set(model, entry);
      log(`digits sheet: ${model} in ${((performance.now() - started) / 1000).toFixed(0)} s${entry.scores ? `: confidence ${entry.scores.confidence.toFixed(3)}, ` +
        `score ${entry.scores.classifierScore.toFixed(2)}, classes ${entry.scores.classesCovered}, COV ${(100 * entry.scores.coverage).toFixed(1)}%, MMD ${entry.scores.mmd.toFixed(2)}` : `: held-out MSE ${entry.heldOutMse?.toFixed(4)}`}`);
      if (tf.memory().numTensors > 1000) log(`digits sheet: warning, ${tf.memory().numTensors} tensors alive`);
    }
    const order: DigitModelName[] = ['cnn-ae', 'im-ae', ...GENERATIVE_DIGIT_MODELS];
    const report: DigitsReport = {
      protocol: 'ours, not the paper\'s: a digit classifier trained on the 5,000 held-out digits scores 1,024 samples per model ' +
        '(confidence: mean top-class probability; classifierScore: exp(E KL(p(y|x) || p(y))); classesCovered: classes with >= 1% of the samples); ' +
        'COV and MMD (x1000) with the Chamfer distance between binarized (>= 0.5) pixel-centre sets, 1,024 samples against 1,024 held-out digits',
      classifier: { training: CLASSIFIER_TRAINING, trainedOn: '5,000 held-out digits', accuracyOnTrainingDigits: accuracy },
      realDigits,
      models: order.filter((m) => reports.has(m)).map((m) => reports.get(m)!),
      scoresFile,
    };
    writeFileAtomicSync(scoresFile, JSON.stringify({ ...report, scoresFile: undefined }, (k, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v), 1) + '\n');
    // docs/digits.md's tables, beside the scores they are made from.
    writeFileAtomicSync(join(outDir, 'tables.md'), digitsTablesMarkdown(report));
    return report;
  } finally {
    classifier.dispose();
  }
}
