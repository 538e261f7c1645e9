/**
 * `imnet gan <run-dir>`: IM-GAN's latent WGAN-GP on a trained run's training latents (latentGan.ts).
 * The generator is added to the run's model (`<run-dir>/model/`), so `imnet export` ships it and
 * `decoder.sample(seed)` works. tfjs loads inside `run`.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';
import type { GanConfig } from '../../models/gan/latentGan.js';

export const ganCommand: Command = {
  summary: "Train IM-GAN's latent generator (WGAN-GP) on the latent codes of a trained run.",
  usage: [
    'imnet gan <run-dir> [flags]',
    '',
    'Generator: noise -> width -> width -> latent (sigmoid); critic: latent -> width -> width -> 1; gradient',
    'penalty lambda 10; Adam lr 1e-4, betas (0, 0.9); 5 critic updates per generator update (WGAN-GP\'s defaults).',
    'Writes <run-dir>/gan/ (checkpoint, loss.csv/json/svg) and adds the generator to <run-dir>/model/.',
  ].join('\n'),
  positionals: [{ name: 'run-dir', description: "a run folder written by 'imnet train'" }],
  flags: [
    { name: 'epochs', type: 'integer', min: 1, default: 200, description: 'epochs; one is ceil(latents / batch-size) generator updates' },
    { name: 'noise-size', type: 'integer', min: 1, default: 128, description: "length of the generator's noise input (IM-GAN: 128)" },
    { name: 'width', type: 'integer', min: 1, default: 2048, description: 'hidden width of the generator (IM-GAN: 2048)' },
    { name: 'critic-width', type: 'integer', min: 1, description: 'hidden width of the critic (default: --width)' },
    { name: 'batch-size', type: 'integer', min: 1, default: 64, description: 'latents per batch (drawn with replacement)' },
    { name: 'critic-steps', type: 'integer', min: 1, default: 5, description: 'critic updates per generator update' },
    { name: 'lambda', type: 'number', min: 0, default: 10, description: 'gradient-penalty weight' },
    { name: 'lr', type: 'number', min: 0, default: 1e-4, description: 'Adam learning rate' },
    { name: 'seed', type: 'integer', min: 0, default: 0, description: 'initialisation and noise seed' },
    { name: 'resume', type: 'boolean', default: false, description: 'continue from <run-dir>/gan/checkpoint.bin' },
    { name: 'checkpoint-minutes', type: 'number', min: 0, default: 5, description: 'minutes between checkpoints' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const runDir = positionals[0];
    if (!existsSync(`${runDir}/run.json`)) throw new UsageError(`<run-dir> '${runDir}': expected the --out folder of 'imnet train' (no run.json there)`);
    const resume = flags.resume as boolean;
    if (resume && !existsSync(`${runDir}/gan/checkpoint.bin`)) throw new UsageError(`--resume: ${runDir}/gan holds no checkpoint.bin`);

    const { mkdirSync } = await import('node:fs');
    const { selectBackend } = await import('../../nn/backend.js');
    const { ProgressBar } = await import('../progress.js');
    const { readRunModel, runPaths, writeModelFiles } = await import('../../trainer/runDir.js');
    const { DEFAULT_GAN_CONFIG, trainLatentGan } = await import('../../models/gan/latentGan.js');
    const { readCheckpointState } = await import('../../trainer/checkpoint.js');

    const choice = await selectBackend(flags.backend as BackendPreference, log);
    const model = await readRunModel(runDir);
    const width = flags.width as number;
    const criticWidth = (flags['critic-width'] as number | undefined) ?? width;
    const dir = runPaths(runDir).ganDir;
    // A resumed run keeps the settings it started with.
    const config = resume ? readCheckpointState<{ config: GanConfig }>(`${dir}/checkpoint.bin`).config : {
      ...DEFAULT_GAN_CONFIG,
      noiseSize: flags['noise-size'] as number,
      generatorHidden: [width, width],
      criticHidden: [criticWidth, criticWidth],
      leakySlope: model.architecture.leakySlope,
      lambda: flags.lambda as number,
      criticSteps: flags['critic-steps'] as number,
      batchSize: flags['batch-size'] as number,
      learningRate: flags.lr as number,
      epochs: flags.epochs as number,
      seed: flags.seed as number,
    };
    mkdirSync(dir, { recursive: true });
    const updates = config.epochs * Math.max(1, Math.ceil(model.trainLatents.length / config.batchSize));
    log(`gan: WGAN-GP on ${model.trainLatents.length} latents of size ${model.architecture.latentSize}; noise ${config.noiseSize}, widths ${config.generatorHidden.join('x')}/${config.criticHidden.join('x')}, ` +
      `${updates} generator updates x ${config.criticSteps} critic updates; backend ${choice.backend}`);
    const bar = new ProgressBar({ label: 'gan', total: updates, unit: 'updates' });
    let first = true;
    const { generator, rows } = await trainLatentGan({
      latents: model.trainLatents, config, dir, resume,
      checkpointMinutes: flags['checkpoint-minutes'] as number,
      log: (line) => bar.log(line),
      onProgress: (p) => {
        if (first) { bar.tick(p.iteration - 1); first = false; }
        bar.tick(1, `epoch ${p.epoch}/${p.epochs} critic ${p.criticLoss.toPrecision(3)} generator ${p.generatorLoss.toPrecision(3)}`);
      },
    });
    bar.finish();
    writeModelFiles(runPaths(runDir).modelDir, { ...model, generator, provenance: { ...model.provenance, gan: { ...config, updates, finalCriticLoss: rows.at(-1)?.loss ?? null } } });
    log(`gan: done; generator added to ${runPaths(runDir).model}, loss plot ${dir}/loss.svg`);
    return 0;
  },
};
