/**
 * The weights/README.md table of the shipped categories, from what trainCategory.sh left behind:
 *   npx tsx training/categories/summarize.ts [work-dir] [categories...] [--fresh <dir>]
 * Reads <work-dir>/runs/<category>/{run.json, loss.json, eval-test.json, eval-train.json} and
 * docs/categories/<category>-sheet.json; prints Markdown (measured numbers only, none typed in).
 * With --fresh, a second table from <dir>/<category>.json: `imnet eval weights/<category> <data>
 * --encode --json` on shapes the decoder never saw.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const freshAt = args.indexOf('--fresh');
const freshDir = freshAt >= 0 ? args.splice(freshAt, 2)[1] : null;
const [work = '/tmp/imnet-categories', ...named] = args;
const categories = named.length ? named : ['airplane', 'car', 'chair', 'rifle', 'table', 'vase'];
/** Issue 14's targets: held-out IoU at 64^3 of the paper's IM64 row (IM-NET, Table 1/2; vase: ours). */
const IM64_TARGET: Record<string, number> = { airplane: 0.788, car: 0.893, chair: 0.657, rifle: 0.729, table: 0.714, vase: 0.75 };
/** Issue 14's floater target: at least this share of held-out shapes with no floating component. */
const FLOATER_FREE_TARGET = 0.95;
/** A share of shapes without floaters, in the decoder's field and as ImplicitShape shows them ('-' when not measured). */
const floaterShares = (report: any): string => {
  const share = (v: unknown) => (Number.isFinite(Number(v)) ? `${(100 * Number(v)).toFixed(0)}%` : '-');
  return `${share(report.floaterFree)}; ${share(report.floaterFreeShown)}`;
};

const readJson = (file: string): any => JSON.parse(readFileSync(file, 'utf8'));
const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const minutes = (seconds: number): string => `${(seconds / 60).toFixed(1)} min`;

const table: string[] = [
  '| category | train IoU | test IoU | test IoU strd | test MSE | test CD x1000 | test shapes without floaters (field; shown) | train shapes without floaters (field; shown) | target (IM64 IoU; floaters) | epochs 16/32/64 | loss | train time (wall; CPU) | weights | GAN nearest d (min / median; train median) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const category of categories) {
  const run = join(work, 'runs', category);
  if (!existsSync(join(run, 'eval-test.json'))) {
    table.push(`| ${category} | not finished |${' |'.repeat(12)}`);
    continue;
  }
  const info = readJson(join(run, 'run.json'));
  const loss = readJson(join(run, 'loss.json')) as { seconds: number; cpuSeconds?: number }[];
  const test = readJson(join(run, 'eval-test.json'));
  const train = readJson(join(run, 'eval-train.json'));
  const sheetFile = join('docs', 'categories', `${category}-sheet.json`);
  const sheet = existsSync(sheetFile) ? readJson(sheetFile) : null;
  const epochs = [16, 32, 64].map((level) => info.config.stages.find((s: { level: number }) => s.level === level)?.epochs ?? 0).join('/');
  const bytes = ['model.json', 'weights.bin'].reduce((sum, f) => sum + statSync(join('weights', category, f)).size, 0);
  const target = IM64_TARGET[category];
  const floaterVerdict = (where: string, share: number) =>
    !Number.isFinite(share) ? `${where} not measured` : share >= FLOATER_FREE_TARGET ? `${where} met` : `**${where} missed**`;
  const verdicts = [
    target === undefined ? 'no target' : test.mean.iou >= target ? `IoU met (${target})` : `**IoU missed** (${target})`,
    `floaters: ${floaterVerdict('field', Number(test.floaterFree))}, ${floaterVerdict('shown', Number(test.floaterFreeShown))}`,
  ];
  const cpuSeconds = Number(loss.at(-1)!.cpuSeconds);
  table.push(`| ${category} | ${fmt(train.mean.iou)} (${train.rows.length} shapes) | ${fmt(test.mean.iou)} | ${fmt(Number(test.mean.iouUndilated))} | ${fmt(test.mean.mse, 4)} | ${fmt(Number(test.mean.chamfer), 2)} | ` +
    `${floaterShares(test)} | ${floaterShares(train)} | ` +
    `${verdicts.join('; ')} | ${epochs} | ${info.config.loss ?? 'mse'}${info.config.farFraction ? `, far ${info.config.farFraction}` : ''} | ` +
    `${minutes(loss.at(-1)!.seconds)}; ${Number.isFinite(cpuSeconds) ? minutes(cpuSeconds) : '-'} | ${(bytes / 1024).toFixed(0)} KB | ` +
    `${sheet ? `${fmt(sheet.gan.minDistance, 2)} / ${fmt(sheet.gan.medianDistance, 2)}; ${fmt(sheet.gan.trainMedianNearest, 2)}` : '-'} |`);
}
process.stdout.write(table.join('\n') + '\n');

if (freshDir) {
  const fresh: string[] = [
    '',
    '| category | new shapes | IoU | MSE | CD x1000 | without floaters (field; shown) | fit steps (mean) | IM64 IoU target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const category of categories) {
    const file = join(freshDir, `${category}.json`);
    if (!existsSync(file)) continue;
    const r = readJson(file) as { iou: number; mse: number; cd: number; floaterFree: number; floaterFreeShown?: number; shapes: number; rows: { steps: number }[] };
    const steps = r.rows.reduce((sum, row) => sum + row.steps, 0) / r.rows.length;
    const target = IM64_TARGET[category];
    fresh.push(`| ${category} | ${r.shapes} | ${fmt(r.iou)} | ${fmt(r.mse, 4)} | ${fmt(r.cd, 2)} | ${floaterShares(r)} | ${steps.toFixed(0)} | ` +
      `${target === undefined ? '-' : r.iou >= target ? `met (${target})` : `**missed** (${target})`} |`);
  }
  process.stdout.write(fresh.join('\n') + '\n');
}
