/**
 * `imnet curves <run-dir>... --out <png>`: the training curves (`imnet train --curve-every`) of several
 * runs in one PNG line plot (render/trainingCurves.ts), and a Markdown table of them on stdout.
 */
import { basename, dirname, resolve } from 'node:path';
import { CURVE_AXES_X, CURVE_AXES_Y } from '../../render/trainingCurves.js';
import { defineCommand, UsageError } from '../args.js';
import { requireExists } from '../commonFlags.js';

export const curvesCommand = defineCommand({
  summary: 'Plot the training curves of runs trained with --curve-every (held-out IoU per CPU minute) in one PNG, with a Markdown summary.',
  usage: 'imnet curves <run-dir>... --out <file.png> [--x cpu-minutes|wall-minutes|steps] [--y iou|loss|mse|train-iou] [--labels a,b,...]',
  about: `
One series per run, in the order given, from its curve.json ('imnet train --curve-every'): by default held-out
IoU against training's CPU minutes (all workers; the curve's own measurements are not on the axis). The legend
names each run by its folder (--labels overrides, comma-separated, one per run). stdout gets a Markdown table:
per run the last and best held-out IoU, the last training IoU, CPU minutes and steps, and what the
measurements cost.`,
  positionals: [{ name: 'run-dir', description: "run folders of 'imnet train --curve-every'", variadic: true }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'file.png', description: 'the PNG to write (folders are created)' },
    { name: 'x', type: 'string', choices: CURVE_AXES_X, default: 'cpu-minutes', description: 'x axis' },
    { name: 'y', type: 'string', choices: CURVE_AXES_Y, default: 'iou', description: 'y axis: held-out IoU, training loss, held-out MSE or training IoU' },
    { name: 'labels', type: 'string', valueName: 'a,b,...', description: 'legend labels, comma-separated, one per run (default: the run folders\' names)' },
    { name: 'title', type: 'string', description: 'title above the plot' },
  ],
  async run({ flags, positionals: runDirs }, { log, print }) {
    const labels = flags.labels === undefined ? runDirs.map((dir) => basename(resolve(dir))) : flags.labels.split(',').map((l) => l.trim());
    if (labels.length !== runDirs.length) throw new UsageError(`--labels: ${labels.length} labels for ${runDirs.length} runs; give one per run, comma-separated`);
    for (const dir of runDirs) requireExists('run-dir', dir, "a run folder of 'imnet train --curve-every'");
    if (!flags.out.toLowerCase().endsWith('.png')) throw new UsageError(`--out ${flags.out}: expected a .png file`);
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { readCurve, CurveFileError } = await import('../../eval/trainingCurve.js');
    const { renderTrainingCurves, curvesMarkdown } = await import('../../render/trainingCurves.js');
    const { encodePng } = await import('../../render/png.js');
    const curves = runDirs.map((dir, i) => {
      try {
        const { rows } = readCurve(dir);
        if (rows.length === 0) throw new CurveFileError(`${dir}: its curve has no rows yet`);
        return { label: labels[i], rows };
      } catch (error) {
        if (error instanceof CurveFileError) throw new UsageError(`<run-dir> ${error.message}`);
        throw error;
      }
    });
    const plot = renderTrainingCurves(curves, { x: flags.x, y: flags.y, title: flags.title });
    mkdirSync(dirname(resolve(flags.out)), { recursive: true });
    writeFileSync(flags.out, encodePng(plot.width, plot.height, plot.rgb));
    log(`curves: ${curves.length} run${curves.length > 1 ? 's' : ''}, ${flags.y} against ${flags.x}, wrote ${flags.out}`);
    print(curvesMarkdown(curves));
    return 0;
  },
});
