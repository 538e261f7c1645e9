/**
 * `imnet train --decoder cnn`: the CNN-AE baseline's part of the train command (flags to a
 * CnnTrainConfig, progress bar); the training is models/cnn/trainCnn.ts.
 */
import { resolveArchitecture, type PresetName } from '#core';
import type { FlagValue } from '../args.js';
import { UsageError } from '../args.js';
import type { Dataset } from '../../data/dataset/dataset.js';
import { CNN_TRAIN_DEFAULTS, imDecoderParameterCount, type CnnTrainConfig } from '../../models/cnn/config.js';
import { trainCnn, trainingOccupancy } from '../../models/cnn/trainCnn.js';
import { voxelDecoderParameterCount, voxelDecoderWidthFor } from '../../models/cnn/VoxelDecoder.js';
import { readRunInfo } from '../../trainer/runDir.js';
import { ProgressBar } from '../progress.js';

export async function trainCnnCommand(args: {
  flags: Record<string, FlagValue | undefined>; dataset: Dataset; datasetDir: string; runDir: string; resume: boolean; backend: string; log: (line: string) => void;
}): Promise<number> {
  const { flags, dataset, datasetDir, runDir, resume, log } = args;
  let config: CnnTrainConfig;
  if (resume) {
    config = readRunInfo<CnnTrainConfig>(runDir).config;
  } else {
    if (flags.mode !== 'autoencoder') throw new UsageError(`--decoder cnn is an auto-encoder; --mode ${String(flags.mode)} does not apply`);
    const preset = flags.preset as PresetName;
    const latentSize = resolveArchitecture(preset).latentSize;
    const target = imDecoderParameterCount(preset);
    const epochs = (flags.epochs as number | undefined) ?? (flags['epochs-64'] as number);
    if (epochs <= 0) throw new UsageError('--decoder cnn: give --epochs (or --epochs-64) > 0');
    config = {
      decoder: 'cnn', datasetDir, latentSize,
      encoderWidth: flags['encoder-width'] as number,
      decoderWidth: (flags['decoder-width'] as number | undefined) ?? voxelDecoderWidthFor(latentSize, target),
      leakySlope: resolveArchitecture(preset).leakySlope,
      epochs,
      shapesPerStep: flags['batch-size'] as number,
      learningRate: flags.lr as number,
      beta1: flags.beta1 as number,
      beta2: CNN_TRAIN_DEFAULTS.beta2,
      seed: flags.seed as number,
      initialOccupancy: await trainingOccupancy(dataset, dataset.ids('train')),
      matchedPreset: flags['decoder-width'] === undefined ? preset : null,
    };
    log(`train: CNN-AE decoder width ${config.decoderWidth}: ${voxelDecoderParameterCount(latentSize, config.decoderWidth)} parameters ` +
      `(the ${preset} IM decoder has ${target}); starting occupancy ${config.initialOccupancy.toFixed(4)} (the training grids' mean)`);
  }
  const trainCount = dataset.ids('train').length;
  const stepsPerEpoch = Math.ceil(trainCount / config.shapesPerStep);
  const total = config.epochs * stepsPerEpoch;
  log(`train: CNN-AE, ${trainCount} training shapes, ${dataset.ids('test').length} test; ${config.epochs} epochs of ${stepsPerEpoch} steps ` +
    `(${config.shapesPerStep} shapes each), ${total} steps; encoder width ${config.encoderWidth}; backend ${args.backend}`);
  const bar = new ProgressBar({ label: 'train', total, unit: 'steps' });
  let first = true;
  const result = await trainCnn({
    dataset, runDir, config, resume,
    checkpointMinutes: flags['checkpoint-minutes'] as number,
    log: (line) => bar.log(line),
    callbacks: [{
      onStepEnd: (s) => {
        if (first) { bar.tick(s.globalStep - 1); first = false; }
        bar.tick(1, `epoch ${s.epoch}/${s.epochs} loss ${s.metrics.loss.toPrecision(3)}`);
      },
    }],
  });
  bar.finish();
  log(`train: done, ${result.steps} steps, last epoch loss ${result.rows.at(-1)?.loss.toPrecision(4) ?? '-'}; model ${result.modelFile}, loss plot ${runDir}/loss.svg`);
  return 0;
}
