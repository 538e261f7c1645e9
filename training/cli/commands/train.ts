/**
 * `imnet train <dataset-dir> --out <run-dir>`: IM-AE or auto-decoder training (see trainImNet.ts).
 * tfjs and the training modules load inside `run`, so `imnet --help` stays fast.
 */
import { existsSync } from 'node:fs';
import type { TrainConfig } from '../../models/imnet/config.js';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';

export const trainCommand: Command = {
  summary: 'Train an IM-NET decoder (IM-AE with a voxel encoder, or an auto-decoder) on a prepared dataset, coarse to fine (16^3, 32^3, 64^3).',
  usage: [
    'imnet train <dataset-dir> --out <run-dir> [--preset web32|web64|imnet] [flags]',
    '',
    'IM-AE (default): IM-NET\'s 3D CNN encoder (64^3 voxels -> latent, sigmoid) and decoder, MSE, Adam (lr 5e-5,',
    'beta1 0.5), trained on the 16^3, then 32^3, then 64^3 point samples (--epochs-16/32/64; 0 skips a level).',
    'Auto-decoder (--mode autodecoder): no encoder; each training shape has a learned latent, and test shapes',
    'are encoded by optimising a latent against the trained decoder (cheaper per step on CPUs).',
    'The run folder gets run.json, checkpoint.bin (atomic, every --checkpoint-minutes and at each level\'s end),',
    'loss.csv/json/svg and, at the end, model/ in the runtime\'s weights format. --resume continues a killed run;',
    'the same --seed gives the same weights.',
  ].join('\n'),
  positionals: [{ name: 'dataset-dir', description: "a dataset written by 'imnet prepare'" }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'run-dir', description: 'run folder: checkpoints, loss log, trained model' },
    { name: 'preset', type: 'string', choices: ['web32', 'web64', 'imnet'], default: 'web32', description: 'decoder architecture (src/decoder/architecture.ts)' },
    { name: 'mode', type: 'string', choices: ['autoencoder', 'autodecoder'], default: 'autoencoder', description: 'IM-AE with a voxel encoder, or learned per-shape latents' },
    { name: 'epochs', type: 'integer', min: 0, description: 'epochs at each level (sets --epochs-16/32/64 together)' },
    { name: 'epochs-16', type: 'integer', min: 0, default: 200, description: 'epochs on the 16^3 samples (IM-NET: 200)' },
    { name: 'epochs-32', type: 'integer', min: 0, default: 200, description: 'epochs on the 32^3 samples (IM-NET: 200)' },
    { name: 'epochs-64', type: 'integer', min: 0, default: 200, description: 'epochs on the 64^3 samples (IM-NET: 200)' },
    { name: 'batch-size', type: 'integer', min: 1, default: 8, valueName: 'shapes', description: 'shapes per optimizer step' },
    { name: 'points', type: 'integer', min: 1, default: 4096, description: 'points per shape per step (IM-NET: 4096)' },
    { name: 'lr', type: 'number', min: 0, default: 5e-5, description: 'Adam learning rate (IM-NET: 5e-5)' },
    { name: 'beta1', type: 'number', min: 0, max: 1, default: 0.5, description: 'Adam beta1 (IM-NET: 0.5)' },
    { name: 'encoder-width', type: 'integer', min: 1, default: 32, description: 'channels of the encoder\'s first convolution, doubling per layer (IM-NET ef_dim: 32)' },
    { name: 'latent-lr', type: 'number', min: 0, default: 1e-3, description: 'auto-decoder: learning rate of the latent table' },
    { name: 'latent-init', type: 'string', choices: ['pca', 'noise'], default: 'pca', description: 'auto-decoder: starting codes, the voxel grids\' principal components (fast to converge) or noise around 0.5 (DeepSDF)' },
    { name: 'encode-steps', type: 'integer', min: 0, default: 300, description: 'auto-decoder: optimisation steps per test shape\'s latent' },
    { name: 'seed', type: 'integer', min: 0, default: 0, description: 'initialisation and shuffling seed' },
    { name: 'resume', type: 'boolean', default: false, description: 'continue the run in --out from its checkpoint (its run.json settings win)' },
    { name: 'checkpoint-minutes', type: 'number', min: 0, default: 5, description: 'minutes between checkpoints (besides each level\'s end)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const datasetDir = positionals[0];
    const runDir = flags.out as string;
    if (!existsSync(datasetDir)) throw new UsageError(`<dataset-dir> '${datasetDir}' does not exist; expected a folder written by 'imnet prepare'`);
    const resume = flags.resume as boolean;
    if (resume && !existsSync(`${runDir}/checkpoint.bin`)) throw new UsageError(`--resume: ${runDir} holds no checkpoint.bin to continue from`);
    if (!resume && existsSync(`${runDir}/checkpoint.bin`)) throw new UsageError(`--out ${runDir} already holds a run; pass --resume to continue it or choose another folder`);

    const { selectBackend } = await import('../../nn/backend.js');
    const { ProgressBar } = await import('../progress.js');
    const { openDataset } = await import('../../data/dataset/dataset.js');
    const { resolveArchitecture } = await import('#core');
    const { trainImNet } = await import('../../models/imnet/trainImNet.js');
    const { defaultTrainConfig } = await import('../../models/imnet/config.js');
    const { readRunInfo } = await import('../../trainer/runDir.js');
    const { epochPlan } = await import('../../models/imnet/schedule.js');

    const choice = await selectBackend(flags.backend as BackendPreference, log);
    const dataset = await openDataset(datasetDir);
    if (resume) log(`train: resuming ${runDir} with the settings in its run.json (training flags other than --backend and --checkpoint-minutes are not used)`);
    const all = flags.epochs as number | undefined;
    const preset = flags.preset as 'web32' | 'web64' | 'imnet';
    const config = resume ? readRunInfo<TrainConfig>(runDir).config : defaultTrainConfig({
      datasetDir,
      preset,
      architecture: resolveArchitecture(preset),
      mode: flags.mode as 'autoencoder' | 'autodecoder',
      stages: ([16, 32, 64] as const).map((level) => ({ level, epochs: all ?? (flags[`epochs-${level}`] as number) })).filter((s) => s.epochs > 0),
      shapesPerStep: flags['batch-size'] as number,
      pointsPerStep: flags.points as number,
      learningRate: flags.lr as number,
      beta1: flags.beta1 as number,
      encoderWidth: flags['encoder-width'] as number,
      latentLearningRate: flags['latent-lr'] as number,
      encodeSteps: flags['encode-steps'] as number,
      latentInit: flags['latent-init'] as 'pca' | 'noise',
      seed: flags.seed as number,
    });
    if (config.stages.length === 0) throw new UsageError('every level has 0 epochs; give --epochs or --epochs-16/32/64');
    const trainCount = dataset.ids('train').length;
    const totalSteps = config.stages.reduce((sum, s, i) =>
      sum + s.epochs * epochPlan(config.seed, i, 0, trainCount, config.shapesPerStep, dataset.manifest.sampleCounts[s.level], config.pointsPerStep).length, 0);
    log(`train: ${config.mode} ${config.preset}, ${trainCount} training shapes, ${dataset.ids('test').length} test; levels ${config.stages.map((s) => `${s.level}^3 x ${s.epochs}`).join(', ')}; ` +
      `${config.shapesPerStep} shapes x ${config.pointsPerStep} points per step, ${totalSteps} steps${resume ? ' in all (resuming)' : ''}; backend ${choice.backend}`);
    const bar = new ProgressBar({ label: 'train', total: totalSteps, unit: 'steps' });
    let first = true;
    const result = await trainImNet({
      dataset, runDir, config, resume,
      checkpointMinutes: flags['checkpoint-minutes'] as number,
      log: (line) => bar.log(line),
      onProgress: (p) => {
        // A resumed run starts the bar where the checkpoint left off.
        if (first) { bar.tick(p.globalStep - 1); first = false; }
        bar.tick(1, `${p.level}^3 epoch ${p.epoch}/${p.epochs} loss ${p.loss.toPrecision(3)} ${Math.round(p.pointsPerSecond)} points/s`);
      },
    });
    bar.finish();
    log(`train: done, ${result.steps} steps, last epoch loss ${result.rows.at(-1)?.loss.toPrecision(4) ?? '-'}; model in ${runDir}/model/, loss plot ${runDir}/loss.svg`);
    return 0;
  },
};
