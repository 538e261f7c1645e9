/**
 * `imnet train --decoder cnn`: the CNN-AE baseline's part of the train command (its flags to a
 * CnnTrainConfig, the progress bar); the training is models/cnn/trainCnn.ts.
 */
import { resolveArchitecture, type PresetName } from '#core';
import { UsageError } from '../args.js';
import type { CommandContext } from '../context.js';
import type { Dataset } from '../../data/dataset/dataset.js';
import { imDecoderParameterCount, type CnnTrainConfig } from '../../models/cnn/config.js';
import { TRAIN_DEFAULTS } from '../../models/imnet/config.js';
import { trainCnn, trainingOccupancy } from '../../models/cnn/trainCnn.js';
import { voxelDecoderParameterCount, voxelDecoderWidthFor } from '../../models/cnn/VoxelDecoder.js';
import { readRunInfo } from '../../trainer/runDir.js';

/** What `imnet train --decoder cnn` was told (the train command's flags that apply). */
export interface CnnRunSettings {
  preset: PresetName;
  epochs: number;
  decoderWidth: number | undefined;
  encoderWidth: number;
  shapesPerStep: number;
  learningRate: number;
  beta1: number;
  seed: number;
}

/** Trains (or resumes) a CNN-AE run as `imnet train --decoder cnn` does; resolves to the exit code. */
export async function trainCnnRun(args: {
  dataset: Dataset; datasetDir: string; runDir: string; resume: boolean; backend: string; checkpointMinutes: number;
  settings: CnnRunSettings; log: CommandContext['log']; progress: CommandContext['progress'];
}): Promise<number> {
  const { dataset, datasetDir, runDir, resume, log, settings } = args;
  let config: CnnTrainConfig;
  if (resume) {
    config = readRunInfo<CnnTrainConfig>(runDir).config;
  } else {
    const architecture = resolveArchitecture(settings.preset);
    const target = imDecoderParameterCount(settings.preset);
    if (settings.epochs <= 0) throw new UsageError('--decoder cnn: give --epochs (or --epochs-64) > 0');
    config = {
      decoder: 'cnn', datasetDir, latentSize: architecture.latentSize,
      encoderWidth: settings.encoderWidth,
      decoderWidth: settings.decoderWidth ?? voxelDecoderWidthFor(architecture.latentSize, target),
      leakySlope: architecture.leakySlope,
      epochs: settings.epochs,
      shapesPerStep: settings.shapesPerStep,
      learningRate: settings.learningRate,
      beta1: settings.beta1,
      // IM-AE's optimizer (only lr and beta1 are flags).
      beta2: TRAIN_DEFAULTS.beta2,
      seed: settings.seed,
      initialOccupancy: await trainingOccupancy(dataset, dataset.ids('train')),
      matchedPreset: settings.decoderWidth === undefined ? settings.preset : null,
    };
    log(`train: CNN-AE decoder width ${config.decoderWidth}: ${voxelDecoderParameterCount(config.latentSize, config.decoderWidth)} parameters ` +
      `(the ${settings.preset} IM decoder has ${target}); starting occupancy ${config.initialOccupancy.toFixed(4)} (the training grids' mean)`);
  }
  const trainCount = dataset.ids('train').length;
  const stepsPerEpoch = Math.ceil(trainCount / config.shapesPerStep);
  const total = config.epochs * stepsPerEpoch;
  log(`train: CNN-AE, ${trainCount} training shapes, ${dataset.ids('test').length} test; ${config.epochs} epochs of ${stepsPerEpoch} steps ` +
    `(${config.shapesPerStep} shapes each), ${total} steps; encoder width ${config.encoderWidth}; backend ${args.backend}`);
  const bar = args.progress({ label: 'train', total, unit: 'steps' });
  let first = true;
  const result = await trainCnn({
    dataset, runDir, config, resume,
    checkpointMinutes: args.checkpointMinutes,
    log: (line) => bar.log(line),
    callbacks: [{
      onStepEnd: (s) => {
        // A resumed run starts the bar where the checkpoint left off.
        if (first) { bar.skip(s.globalStep - 1); first = false; }
        bar.tick(1, `epoch ${s.epoch}/${s.epochs} loss ${s.metrics.loss.toPrecision(3)}`);
      },
    }],
  });
  bar.finish();
  log(`train: done, ${result.steps} steps, last epoch loss ${result.rows.at(-1)?.loss.toPrecision(4) ?? '-'}; model ${result.modelFile}, loss plot ${runDir}/loss.svg`);
  return 0;
}
