/**
 * `imnet train <dataset-dir> --out <run-dir>`: IM-AE or auto-decoder training (models/imnet/trainImNet.ts).
 * tfjs and the training modules load inside `run`, so `imnet --help` stays fast.
 */
import { existsSync } from 'node:fs';
import { LATENT_INITS, PRESET_NAMES, TRAIN_DEFAULTS, TRAIN_MODES, type TrainConfig } from '../../models/imnet/config.js';
import { defineCommand, UsageError } from '../args.js';
import { requireExists, trainingRunFlags } from '../commonFlags.js';
import { POINT_LOSSES } from '../../models/imnet/pointLoss.js';
import { CURVE_DEFAULTS, type CurveSettings } from '../../eval/trainingCurve.js';
import { defaultReplicaCount, MAX_DEFAULT_REPLICAS, MIN_SAMPLES_PER_REPLICA } from '../../trainer/replicaCount.js';

const D = TRAIN_DEFAULTS;
const epochsAt = (level: 16 | 32 | 64): number => D.stages.find((s) => s.level === level)?.epochs ?? 0;

export const trainCommand = defineCommand({
  summary: 'Train an IM-NET decoder (IM-AE with a voxel encoder, or an auto-decoder) on a prepared dataset, coarse to fine (16^3, 32^3, 64^3).',
  usage: 'imnet train <dataset-dir> --out <run-dir> [--preset web32|web64|imnet] [flags]',
  about: `
IM-AE (default): IM-NET's 3D CNN encoder (64^3 voxels -> latent, sigmoid) and decoder, MSE, Adam (lr 5e-5,
beta1 0.5), trained on the 16^3, then 32^3, then 64^3 point samples (--epochs-16/32/64; 0 skips a level).
Auto-decoder (--mode autodecoder): no encoder; each training shape has a learned latent, and test shapes
are encoded by optimising a latent against the trained decoder (cheaper per step on CPUs).
The run folder gets run.json, checkpoint.bin (atomic, every --checkpoint-minutes and at each level's end),
loss.csv/json/svg and, at the end, model/ in the runtime's weights format. --resume continues a killed run;
the same --seed gives the same weights.
--curve-every <cpu-minutes> (or --curve-every-steps) also writes curve.csv/json: at step 0, at that cadence and
at each level's end, the held-out IoU and MSE at --curve-resolution (as imnet eval scores them; auto-decoder:
held-out codes fitted for --curve-fit-steps against the current decoder) against the run's wall and process
CPU seconds (all workers), the measurements' own cost taken off both and reported in its own columns.
'imnet curves' plots runs' curves together. The curve flags apply on --resume too.
--decoder cnn trains IM-NET's CNN-AE baseline instead: the same encoder, and a 3D transposed-convolution decoder
to the 64^3 grid (MSE on the grid) for --epochs (or --epochs-64) epochs, its width chosen so its parameter count
is nearest the --preset IM decoder's (--decoder-width overrides). It writes model/cnn-model.bin, for
'imnet gan' and 'imnet report' (the runtime does not load it).`,
  positionals: [{ name: 'dataset-dir', description: "a dataset written by 'imnet prepare'" }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'run-dir', description: 'run folder: checkpoints, loss log, trained model' },
    { name: 'preset', type: 'string', choices: PRESET_NAMES, default: D.preset, description: 'decoder architecture (src/decoder/architecture.ts)' },
    { name: 'mode', type: 'string', choices: TRAIN_MODES, default: D.mode, description: 'IM-AE with a voxel encoder, or learned per-shape latents' },
    { name: 'decoder', type: 'string', choices: ['im', 'cnn'], default: 'im', description: 'the IM decoder, or the CNN-AE baseline (3D transposed convolutions to a 64^3 grid)' },
    { name: 'decoder-width', type: 'integer', min: 1, description: 'cnn: channels of the last hidden layer (default: the width whose parameter count is nearest the --preset decoder\'s)' },
    { name: 'epochs', type: 'integer', min: 0, description: 'epochs at each level (sets --epochs-16/32/64 together)' },
    { name: 'epochs-16', type: 'integer', min: 0, description: `epochs on the 16^3 samples (default ${epochsAt(16)}, IM-NET's)` },
    { name: 'epochs-32', type: 'integer', min: 0, description: `epochs on the 32^3 samples (default ${epochsAt(32)}, IM-NET's)` },
    { name: 'epochs-64', type: 'integer', min: 0, description: `epochs on the 64^3 samples (default ${epochsAt(64)}, IM-NET's); with --resume, the last level's new total: a finished run trains the added epochs, then re-encodes and rewrites model/` },
    { name: 'batch-size', type: 'integer', min: 1, default: D.shapesPerStep, valueName: 'shapes', description: 'shapes per optimizer step' },
    { name: 'points', type: 'integer', min: 1, default: D.pointsPerStep, description: 'points per shape per step (IM-NET: 4096)' },
    { name: 'lr', type: 'number', min: 0, default: D.learningRate, description: 'Adam learning rate (IM-NET: 5e-5)' },
    { name: 'beta1', type: 'number', min: 0, max: 1, default: D.beta1, description: 'Adam beta1 (IM-NET: 0.5)' },
    { name: 'encoder-width', type: 'integer', min: 1, default: D.encoderWidth, description: 'channels of the encoder\'s first convolution, doubling per layer (IM-NET ef_dim: 32)' },
    { name: 'latent-lr', type: 'number', min: 0, default: D.latentLearningRate, description: 'auto-decoder: learning rate of the latent table' },
    { name: 'latent-init', type: 'string', choices: LATENT_INITS, default: D.latentInit, description: 'auto-decoder: starting codes, the voxel grids\' principal components (fast to converge) or noise around 0.5 (DeepSDF)' },
    { name: 'encode-steps', type: 'integer', min: 0, description: `auto-decoder: at most this many optimisation steps per test shape's latent (default ${D.encodeSteps}); it stops earlier once the fit stops improving (a 25-step round not 1% below the best round, twice). Also applies on --resume` },
    { name: 'loss', type: 'string', choices: POINT_LOSSES, default: D.loss, description: 'mse: IM-NET\'s squared error of the leaky-clip output; bce: cross-entropy on the last layer as a logit (the decoder gets a sigmoid output)' },
    { name: 'far-fraction', type: 'number', min: 0, max: 1, default: D.farFraction, description: 'share of each 32^3/64^3 step\'s points taken from the 16^3 samples, which cover the whole box (IM-NET: 0, near-surface points only)' },
    { name: 'curve-every', type: 'number', min: 0.01, valueName: 'cpu-minutes', description: 'measure a training curve (curve.csv/json): held-out IoU each time training\'s CPU time passes another this many minutes, and at each level\'s end' },
    { name: 'curve-every-steps', type: 'integer', min: 1, valueName: 'steps', description: 'the curve\'s cadence in steps instead (the same rows on every machine)' },
    { name: 'curve-shapes', type: 'integer', min: 1, default: CURVE_DEFAULTS.testShapes, valueName: 'n', description: 'curve: held-out shapes measured (the first n of the split)' },
    { name: 'curve-train-shapes', type: 'integer', min: 0, default: CURVE_DEFAULTS.trainShapes, valueName: 'n', description: 'curve: training shapes measured too' },
    { name: 'curve-resolution', type: 'integer', choices: ['16', '32', '64'], default: CURVE_DEFAULTS.resolution, description: 'curve: voxel grid of IoU and MSE (imnet eval: 64)' },
    { name: 'curve-fit-steps', type: 'integer', min: 1, default: CURVE_DEFAULTS.fitSteps, valueName: 'steps', description: 'curve, auto-decoder: fixed steps fitting each held-out code against the current decoder' },
    { name: 'workers', type: 'integer', min: 1, max: 64, valueName: 'n', description: `data-parallel replicas (worker threads, this one included), each its own tfjs backend (default: the cores, at most ${MAX_DEFAULT_REPLICAS}, at least ${MIN_SAMPLES_PER_REPLICA} points each); a run resumes bit-identically with the count it ran with` },
    ...trainingRunFlags(D.seed, { seed: 'initialisation and shuffling seed', resume: 'continue the run in --out from its checkpoint (its run.json settings win)' }),
  ],
  async run({ flags, positionals: [datasetDir] }, { log, progress }) {
    const runDir = flags.out;
    requireExists('dataset-dir', datasetDir, "a folder written by 'imnet prepare'");
    const { resume } = flags;
    if (resume && !existsSync(`${runDir}/checkpoint.bin`)) throw new UsageError(`--resume: ${runDir} holds no checkpoint.bin to continue from`);
    if (!resume && existsSync(`${runDir}/checkpoint.bin`)) throw new UsageError(`--out ${runDir} already holds a run; pass --resume to continue it or choose another folder`);
    const curve = curveSettings(flags);
    if (curve && !resume && flags.decoder === 'cnn') throw new UsageError('--curve-every and --curve-every-steps measure IM decoders; --decoder cnn has no curve');

    const { readRunInfo } = await import('../../trainer/runDir.js');
    const given = { 16: flags.epochs16 ?? flags.epochs, 32: flags.epochs32 ?? flags.epochs, 64: flags.epochs64 ?? flags.epochs };
    const { isCnnConfig } = await import('../../models/cnn/config.js');
    const resumedConfig = resume ? readRunInfo<TrainConfig>(runDir).config : null;
    // A CNN-AE run has no levels; its resume takes no changes.
    const extend = resumedConfig && !isCnnConfig(resumedConfig) ? resumeChanges(resumedConfig, given, flags.encodeSteps) : undefined;

    const { selectBackend } = await import('../../nn/backend.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { resolveArchitecture } = await import('#core');
    const { extendedTrainConfig, trainImNet } = await import('../../models/imnet/trainImNet.js');
    const { defaultTrainConfig } = await import('../../models/imnet/config.js');
    const { epochPlan } = await import('../../models/imnet/schedule.js');
    const { curveCallback } = await import('../../eval/trainingCurve.js');
    const { imnetCurveScores } = await import('../../eval/imnetCurveScores.js');

    const choice = await selectBackend(flags.backend, log);
    const dataset = await openDataset(datasetDir);
    if (resume) log(`train: resuming ${runDir} with the settings in its run.json (training flags other than --backend, --checkpoint-minutes, --workers, --curve-*, the last level's --epochs-NN and --encode-steps are not used)`);
    if (resumedConfig ? isCnnConfig(resumedConfig) : flags.decoder === 'cnn') {
      const { trainCnnRun } = await import('./trainCnn.js');
      if (!resume && flags.mode !== 'autoencoder') throw new UsageError(`--decoder cnn is an auto-encoder; --mode ${flags.mode} does not apply`);
      if (curve) throw new UsageError('--curve-every and --curve-every-steps measure IM decoders; --decoder cnn has no curve');
      return trainCnnRun({
        dataset, datasetDir, runDir, resume, backend: choice.backend, log, progress, checkpointMinutes: flags.checkpointMinutes,
        settings: {
          preset: flags.preset, epochs: flags.epochs ?? flags.epochs64 ?? epochsAt(64), decoderWidth: flags.decoderWidth, encoderWidth: flags.encoderWidth,
          shapesPerStep: flags.batchSize, learningRate: flags.lr, beta1: flags.beta1, seed: flags.seed,
        },
      });
    }
    const epochs = { 16: given[16] ?? epochsAt(16), 32: given[32] ?? epochsAt(32), 64: given[64] ?? epochsAt(64) };
    const config: TrainConfig = resumedConfig ? extendedTrainConfig(resumedConfig, extend) : defaultTrainConfig({
      datasetDir,
      preset: flags.preset,
      architecture: resolveArchitecture(flags.preset, flags.loss === 'bce' ? { outputActivation: 'sigmoid' } : {}),
      loss: flags.loss,
      farFraction: flags.farFraction,
      mode: flags.mode,
      stages: ([16, 32, 64] as const).map((level) => ({ level, epochs: epochs[level] })).filter((s) => s.epochs > 0),
      shapesPerStep: flags.batchSize,
      pointsPerStep: flags.points,
      learningRate: flags.lr,
      beta1: flags.beta1,
      encoderWidth: flags.encoderWidth,
      latentLearningRate: flags.latentLr,
      encodeSteps: flags.encodeSteps ?? D.encodeSteps,
      latentInit: flags.latentInit,
      seed: flags.seed,
    });
    if (config.stages.length === 0) throw new UsageError('every level has 0 epochs; give --epochs or --epochs-16/32/64');
    if (curve && dataset.ids('test').length === 0) throw new UsageError(`--curve-every: the curve measures held-out shapes, and ${datasetDir} has none (prepare with --test-fraction > 0)`);
    const trainCount = dataset.ids('train').length;
    const totalSteps = config.stages.reduce((sum, s, i) =>
      sum + s.epochs * epochPlan(config.seed, i, 0, trainCount, config.shapesPerStep, dataset.manifest.sampleCounts[s.level], config.pointsPerStep).length, 0);
    log(`train: ${config.mode} ${config.preset}, ${trainCount} training shapes, ${dataset.ids('test').length} test; levels ${config.stages.map((s) => `${s.level}^3 x ${s.epochs}`).join(', ')}; ` +
      `${config.shapesPerStep} shapes x ${config.pointsPerStep} points per step, ${totalSteps} steps${resume ? ' in all (resuming)' : ''}; backend ${choice.backend}`);
    const workers = flags.workers ?? defaultReplicaCount(config.shapesPerStep * config.pointsPerStep);
    const bar = progress({ label: 'train', total: totalSteps, unit: 'steps' });
    let first = true;
    const result = await trainImNet({
      dataset, runDir, config, resume, extend,
      checkpointMinutes: flags.checkpointMinutes,
      workers, backend: choice.key,
      log: (line) => bar.log(line),
      observe: curve ? (view) => [curveCallback({
        runDir, settings: curve, measure: imnetCurveScores(view, curve), log: (line) => bar.log(line),
        stageName: (i) => String(view.info.config.stages[i]?.level ?? 'end'),
      })] : undefined,
      onProgress: (p) => {
        // A resumed run starts the bar where the checkpoint left off.
        if (first) { bar.skip(p.globalStep - 1); first = false; }
        bar.tick(1, `${p.level}^3 epoch ${p.epoch}/${p.epochs} loss ${p.loss.toPrecision(3)} ${Math.round(p.pointsPerSecond)} points/s`);
      },
    });
    bar.finish();
    log(`train: done, ${result.steps} steps, last epoch loss ${result.rows.at(-1)?.loss.toPrecision(4) ?? '-'}; model in ${runDir}/model/, loss plot ${runDir}/loss.svg`);
    return 0;
  },
});

/** The curve's settings from the flags, or null without a cadence. */
function curveSettings(flags: {
  curveEvery?: number; curveEverySteps?: number; curveShapes: number; curveTrainShapes: number; curveResolution: 16 | 32 | 64; curveFitSteps: number;
}): CurveSettings | null {
  if (flags.curveEvery !== undefined && flags.curveEverySteps !== undefined) throw new UsageError('--curve-every and --curve-every-steps: give one cadence, CPU minutes or steps');
  if (flags.curveEvery === undefined && flags.curveEverySteps === undefined) return null;
  return {
    ...(flags.curveEvery !== undefined ? { everyCpuMinutes: flags.curveEvery } : { everySteps: flags.curveEverySteps }),
    testShapes: flags.curveShapes, trainShapes: flags.curveTrainShapes, resolution: flags.curveResolution, fitSteps: flags.curveFitSteps,
  };
}

/**
 * What a resume changes in its run: the last level's epoch count (when its --epochs-NN is given) and
 * the held-out fit's budget. Earlier levels are done or under way, so their counts stay.
 */
function resumeChanges(config: TrainConfig, given: Record<16 | 32 | 64, number | undefined>, encodeSteps: number | undefined): { lastLevelEpochs?: number; encodeSteps?: number } {
  const last = config.stages[config.stages.length - 1].level;
  for (const level of [16, 32, 64] as const) {
    if (level !== last && given[level] !== undefined && given[level] !== config.stages.find((s) => s.level === level)?.epochs) {
      throw new UsageError(`--epochs-${level}: on --resume only the run's last level (${last}^3) can be given more epochs`);
    }
  }
  return { ...(given[last] !== undefined ? { lastLevelEpochs: given[last] } : {}), ...(encodeSteps !== undefined ? { encodeSteps } : {}) };
}

