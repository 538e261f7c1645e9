/**
 * `imnet gan <run-dir>`: IM-GAN's latent WGAN-GP on a trained run's training latents (models/gan/latentGan.ts).
 * The generator is added to the run's model (`<run-dir>/model/`), so `imnet export` ships it and
 * `decoder.sample(seed)` works. tfjs loads inside `run`.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_GAN_CONFIG as D, type GanConfig } from '../../models/gan/config.js';
import { defineCommand, UsageError } from '../args.js';
import { RUN_DIR_ARG, requireRunDir, trainingRunFlags } from '../commonFlags.js';

export const ganCommand = defineCommand({
  summary: "Train IM-GAN's latent generator (WGAN-GP) on the latent codes of a trained run.",
  usage: 'imnet gan <run-dir> [flags]',
  about: `
Generator: noise -> width -> width -> latent (sigmoid); critic: latent -> width -> width -> 1; gradient
penalty lambda 10; Adam lr 1e-4, betas (0, 0.9); 5 critic updates per generator update (WGAN-GP's defaults).
Writes <run-dir>/gan/ (checkpoint, loss.csv/json/svg) and adds the generator to <run-dir>/model/ (model.json,
or cnn-model.bin for a CNN-AE run of 'imnet train --decoder cnn').`,
  positionals: [RUN_DIR_ARG],
  flags: [
    { name: 'epochs', type: 'integer', min: 1, default: D.epochs, description: 'epochs; one is ceil(latents / batch-size) generator updates' },
    { name: 'noise-size', type: 'integer', min: 1, default: D.noiseSize, description: "length of the generator's noise input (IM-GAN: 128)" },
    { name: 'width', type: 'integer', min: 1, default: D.generatorHidden[0], description: 'hidden width of the generator (IM-GAN: 2048)' },
    { name: 'critic-width', type: 'integer', min: 1, description: 'hidden width of the critic (default: --width)' },
    { name: 'batch-size', type: 'integer', min: 1, default: D.batchSize, description: 'latents per batch (drawn with replacement)' },
    { name: 'critic-steps', type: 'integer', min: 1, default: D.criticSteps, description: 'critic updates per generator update' },
    { name: 'lambda', type: 'number', min: 0, default: D.lambda, description: 'gradient-penalty weight' },
    { name: 'lr', type: 'number', min: 0, default: D.learningRate, description: 'Adam learning rate' },
    ...trainingRunFlags(D.seed, { seed: 'initialisation and noise seed', resume: 'continue from <run-dir>/gan/checkpoint.bin' }),
  ],
  async run({ flags, positionals: [runDir] }, { log, progress }) {
    requireRunDir(runDir);
    const { resume } = flags;
    if (resume && !existsSync(`${runDir}/gan/checkpoint.bin`)) throw new UsageError(`--resume: ${runDir}/gan holds no checkpoint.bin`);

    const { mkdirSync } = await import('node:fs');
    const { selectBackend } = await import('../../nn/backend.js');
    const { readRunModel, runPaths, writeModelFiles } = await import('../../trainer/runDir.js');
    const { trainLatentGan } = await import('../../models/gan/latentGan.js');
    const { readCheckpointState } = await import('../../trainer/checkpoint.js');

    const { readRunInfo } = await import('../../trainer/runDir.js');
    const { isCnnConfig } = await import('../../models/cnn/config.js');
    const { cnnModelPath, readCnnModel, writeCnnModel } = await import('../../models/cnn/cnnModelFile.js');

    const choice = await selectBackend(flags.backend, log);
    // A CNN-AE run (train --decoder cnn) keeps its codes and generator in model/cnn-model.bin; an IM run in model/model.json.
    const cnnFile = isCnnConfig(readRunInfo(runDir).config) ? cnnModelPath(runDir) : null;
    const cnnModel = cnnFile ? readCnnModel(cnnFile) : null;
    const imModel = cnnFile ? null : await readRunModel(runDir);
    const model = cnnModel
      ? { trainLatents: cnnModel.trainLatents, architecture: { latentSize: cnnModel.latentSize, leakySlope: cnnModel.leakySlope } }
      : { trainLatents: imModel!.trainLatents, architecture: imModel!.architecture };
    const criticWidth = flags.criticWidth ?? flags.width;
    const dir = runPaths(runDir).ganDir;
    // A resumed run keeps the settings it started with.
    const config: GanConfig = resume ? readCheckpointState<{ config: GanConfig }>(`${dir}/checkpoint.bin`).config : {
      ...D,
      noiseSize: flags.noiseSize,
      generatorHidden: [flags.width, flags.width],
      criticHidden: [criticWidth, criticWidth],
      leakySlope: model.architecture.leakySlope,
      lambda: flags.lambda,
      criticSteps: flags.criticSteps,
      batchSize: flags.batchSize,
      learningRate: flags.lr,
      epochs: flags.epochs,
      seed: flags.seed,
    };
    mkdirSync(dir, { recursive: true });
    const updates = config.epochs * Math.max(1, Math.ceil(model.trainLatents.length / config.batchSize));
    log(`gan: WGAN-GP on ${model.trainLatents.length} latents of size ${model.architecture.latentSize}; noise ${config.noiseSize}, widths ${config.generatorHidden.join('x')}/${config.criticHidden.join('x')}, ` +
      `${updates} generator updates x ${config.criticSteps} critic updates; backend ${choice.backend}`);
    const bar = progress({ label: 'gan', total: updates, unit: 'updates' });
    let first = true;
    const { generator, rows } = await trainLatentGan({
      latents: model.trainLatents, config, dir, resume,
      checkpointMinutes: flags.checkpointMinutes,
      log: (line) => bar.log(line),
      onProgress: (p) => {
        if (first) { bar.skip(p.iteration - 1); first = false; }
        bar.tick(1, `epoch ${p.epoch}/${p.epochs} critic ${p.criticLoss.toPrecision(3)} generator ${p.generatorLoss.toPrecision(3)}`);
      },
    });
    bar.finish();
    const gan = { ...config, updates, finalCriticLoss: rows.at(-1)?.loss ?? null };
    if (cnnModel) writeCnnModel(cnnFile!, { ...cnnModel, generator, provenance: { ...cnnModel.provenance, gan } });
    else writeModelFiles(runPaths(runDir).modelDir, { ...imModel!, generator, provenance: { ...imModel!.provenance, gan } });
    log(`gan: done; generator added to ${cnnFile ?? runPaths(runDir).model}, loss plot ${dir}/loss.svg`);
    return 0;
  },
});
