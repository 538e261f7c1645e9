/**
 * docs/results.md from what the runs and their evaluations wrote (categoryReport.ts): the paper's
 * auto-encoding table with its numbers beside ours, where our orderings agree with the paper's and
 * where not, the generation table, the figures, and how every run was made. A pure function of its
 * input, so the page changes only when a measurement does.
 */
import type { AutoencoderComparison, AutoencoderMethod } from './compareAutoencoders.js';
import type { GenerationComparison, GeneratorName } from './compareGenerators.js';
import { GENERATORS } from './compareGenerators.js';
import { HIGHER_IS_BETTER, PAPER_CATEGORIES, PAPER_ROWS, PAPER_TABLE, type PaperMethod, type PaperMetric } from './paperNumbers.js';
import type { RunSummary } from './categoryReport.js';

/** One category's part of the page. */
export interface CategorySection {
  category: string;
  autoencoding: AutoencoderComparison | null;
  generation: GenerationComparison | null;
  /** The figure, relative to the page. */
  figure: string | null;
  runs: { im: RunSummary; cnn: RunSummary; imGan: RunSummary | null; cnnGan: RunSummary | null };
  /** Dataset: shapes in each split. */
  trainShapes: number;
  testShapes: number;
  missing: string[];
}

/** What the page says about the models' sizes (from the runs' configs). */
export interface ModelSizes {
  imPreset: string;
  imParameters: number;
  cnnWidth: number;
  cnnParameters: number;
  encoderWidth: number;
}

export interface ResultsPage {
  sections: CategorySection[];
  sizes: ModelSizes | null;
  /** The command that wrote the page. */
  command: string;
  /** The recipe that made the runs. */
  recipe: string;
}

/** A mean that may be absent (no 64^3 grid) as a number. */
const num = (v: number | null | undefined): number => v ?? NaN;

/** Our value of a table cell, in the paper's units (MSE x10^3, IoU %, CD x10^3 as stored, LFD). */
export function ourValue(comparison: AutoencoderComparison, method: PaperMethod, metric: PaperMetric): number {
  const mean = comparison.mean[method as AutoencoderMethod];
  switch (metric) {
    case 'MSE': return 1000 * num(mean.mse);
    case 'IoU': return 100 * num(mean.iou);
    case 'CD': return num(mean.cd);
    case 'LFD': return num(mean.lfd);
  }
}

function format(value: number, metric: PaperMetric): string {
  if (!Number.isFinite(value)) return '-';
  if (metric === 'LFD') return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

const title = (category: string): string => category[0].toUpperCase() + category.slice(1);

function autoencodingTable(sections: CategorySection[]): string[] {
  const byCategory = new Map(sections.map((s) => [s.category, s]));
  const lines = [
    `| | ${PAPER_CATEGORIES.map(title).join(' | ')} |`,
    `|---|${PAPER_CATEGORIES.map(() => '---').join('|')}|`,
  ];
  for (const { method, metric } of PAPER_ROWS) {
    const key = `${method}-${metric}`;
    const cells = PAPER_CATEGORIES.map((category) => {
      const paper = format(PAPER_TABLE[key][category], metric);
      const comparison = byCategory.get(category)?.autoencoding;
      return comparison ? `**${format(ourValue(comparison, method, metric), metric)}** (${paper})` : `- (${paper})`;
    });
    lines.push(`| ${key} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Sentences on each ordering the paper's table shows (CNN64 vs IM64 per metric, IM256 vs IM64), ours beside it. */
export function agreementNotes(sections: CategorySection[]): string[] {
  const measured = sections.filter((s) => s.autoencoding && (PAPER_CATEGORIES as readonly string[]).includes(s.category));
  if (measured.length === 0) return [];
  const pairs: { a: PaperMethod; b: PaperMethod; metric: PaperMetric }[] = [
    { a: 'CNN64', b: 'IM64', metric: 'MSE' }, { a: 'CNN64', b: 'IM64', metric: 'IoU' },
    { a: 'CNN64', b: 'IM64', metric: 'CD' }, { a: 'CNN64', b: 'IM64', metric: 'LFD' },
    { a: 'IM256', b: 'IM64', metric: 'CD' }, { a: 'IM256', b: 'IM64', metric: 'LFD' },
  ];
  const notes: string[] = [];
  for (const { a, b, metric } of pairs) {
    const better = (x: number, y: number): boolean => (HIGHER_IS_BETTER[metric] ? x > y : x < y);
    const paperWins = measured.filter((s) => better(PAPER_TABLE[`${a}-${metric}`][s.category as never], PAPER_TABLE[`${b}-${metric}`][s.category as never])).map((s) => s.category);
    const ourWins = measured.filter((s) => better(ourValue(s.autoencoding!, a, metric), ourValue(s.autoencoding!, b, metric))).map((s) => s.category);
    const same = measured.filter((s) => paperWins.includes(s.category) === ourWins.includes(s.category)).length;
    const list = (cats: string[]): string => (cats.length ? cats.join(', ') : 'none');
    notes.push(`- **${a} vs ${b}, ${metric}**: the paper has ${a} better in ${paperWins.length} of these ${measured.length} categories (${list(paperWins)}); ` +
      `we have ${a} better in ${ourWins.length} (${list(ourWins)}). ${same === measured.length ? 'We agree in every category.' : `We disagree in ${measured.length - same} of ${measured.length}.`}`);
  }
  return notes;
}

function generationTable(sections: CategorySection[]): string[] {
  const lines = ['| category | model | COV-LFD (%) | MMD-LFD | COV-CD (%) | MMD-CD (x10^3) | generated (empty) |', '|---|---|---|---|---|---|---|'];
  for (const s of sections) {
    for (const name of GENERATORS) {
      const g = s.generation?.scores[name as GeneratorName];
      lines.push(g
        ? `| ${s.category} | ${name} | ${(100 * num(g.lfd.coverage)).toFixed(1)} | ${Math.round(num(g.lfd.mmd)).toLocaleString('en-US')} | ${(100 * num(g.cd.coverage)).toFixed(1)} | ${num(g.cd.mmd).toFixed(2)} | ${g.generated} (${g.empty}) |`
        : `| ${s.category} | ${name} | - | - | - | - | - |`);
    }
  }
  return lines;
}

const minutes = (seconds: number | null): string => (seconds === null ? '-' : `${(seconds / 60).toFixed(1)} min`);

function runLines(label: string, run: RunSummary | null): string[] {
  if (!run) return [`- ${label}: not run yet`];
  return [
    `- ${label}: ${run.steps} steps in ${run.epochs} epochs, ${minutes(run.seconds)} wall clock, final loss ${run.finalLoss === null ? '-' : run.finalLoss.toPrecision(4)}${run.finished ? '' : ' (unfinished)'}`,
    `  \`${run.command}\``,
  ];
}

/** The whole page. */
export function resultsMarkdown(page: ResultsPage): string {
  const { sections, sizes } = page;
  const measured = sections.filter((s) => s.autoencoding);
  const out: string[] = [
    '# IM-NET\'s evaluation on our categories',
    '',
    `Written by \`${page.command}\` from the files the runs and their evaluations wrote; the runs were made by`,
    `\`${page.recipe}\` (commands per run below). IM-NET (Chen & Zhang, CVPR 2019) compares its implicit decoder`,
    'with a voxel CNN decoder on ShapeNet; here the same comparison runs on this repository\'s procedural',
    'categories (`imnet generate`), at a size a shared 2-core CPU affords. **Our numbers are not comparable to',
    'the paper\'s in absolute terms** (other shapes, far smaller models and budgets); the orderings are what',
    'can be compared, and they are listed below the table.',
    '',
    '## Setup',
    '',
  ];
  if (sections.length) {
    const s = sections[0];
    out.push(`- **Data**: per category ${s.trainShapes + s.testShapes} procedural shapes (${s.trainShapes} train, ${s.testShapes} test), voxelized at 256^3 by \`imnet prepare\`.`);
  }
  if (sizes) {
    out.push(
      `- **IM-AE**: IM-NET's 3D CNN encoder (first width ${sizes.encoderWidth}; IM-NET: 32) and the \`${sizes.imPreset}\` IM decoder (${sizes.imParameters.toLocaleString('en-US')} parameters), progressive 16^3 -> 32^3 -> 64^3.`,
      `- **CNN-AE**: the same encoder and a 3D transposed-convolution decoder to a 64^3 grid, width ${sizes.cnnWidth}, ` +
        `${sizes.cnnParameters.toLocaleString('en-US')} parameters: the width whose count is nearest the IM decoder's (${(100 * (sizes.cnnParameters / sizes.imParameters - 1)).toFixed(1)}% more).`,
    );
  }
  out.push(
    '- **Measured on** each category\'s test split. MSE and IoU on the 64^3 grid against the dataset\'s 64^3 voxels',
    '  (max-pooled from 256^3, as IM-NET\'s 64^3 data; what both decoders learn);',
    '  CD x10^3 between 4,096 points on each surface (squared distances, each direction averaged, summed),',
    '  the truth\'s points on its solid\'s boundary at 256^3; LFD (3DRetrieval_v1.8, `imnet lfd`) against the',
    '  source mesh. CNN64 and IM64 are meshed by marching cubes on their 64^3 grids; IM256 by the runtime\'s',
    '  adaptive extractor at 256^3.',
    '- **Generation**: a latent WGAN-GP on each auto-encoder\'s training codes (IM-GAN, CNN-GAN); reference set',
    '  = the test split, generated set = 5x its size (seeds 1..n); COV and MMD (Achlioptas et al. 2018) with LFD',
    '  and with CD (2,048 points). Generated shapes are meshed at 64^3.',
    '- **Budget**: CPU only (tfjs-wasm, one core per job, jobs queued one at a time on a machine shared with other',
    '  work, so wall-clock times below are several times the CPU time). The commands are the paper\'s schedule with',
    '  its size flags turned down; without them (200 epochs per level, lr 5e-5, beta1 0.5, encoder width 32, 2,048-wide GAN) they run IM-NET\'s.',
    '',
    '## Auto-encoding (the paper\'s Table 2)',
    '',
    '**Ours** (paper\'s ShapeNet value). MSE x10^3, IoU %, CD x10^3, LFD. Lower is better except IoU.',
    '',
    ...autoencodingTable(sections),
    '',
  );
  const notes = agreementNotes(sections);
  if (notes.length) out.push('### Where our orderings agree with the paper\'s', '', ...notes, '');
  const empties = measured.flatMap((s) => (['CNN64', 'IM64', 'IM256'] as const).filter((m) => s.autoencoding!.mean[m].empty > 0)
    .map((m) => `${s.category} ${m}: ${s.autoencoding!.mean[m].empty} of ${s.autoencoding!.shapes}`));
  if (empties.length) out.push(`Reconstructions with no surface (left out of CD and LFD means): ${empties.join('; ')}.`, '');
  out.push('## Generation: CNN-GAN vs IM-GAN', '', 'COV: share of test shapes that are the nearest test shape of some generated shape (higher is better); MMD: mean over test shapes of the distance to the nearest generated shape (lower is better).', '', ...generationTable(sections), '');
  const figures = sections.filter((s) => s.figure);
  if (figures.length) {
    out.push('## Figures', '', 'Test shapes: ground truth | CNN-AE | IM-AE at 64^3 | IM-AE at 256^3.', '');
    for (const s of figures) out.push(`![${s.category}](${s.figure})`, '');
  }
  out.push('## How each run was made', '');
  for (const s of sections) {
    out.push(`### ${s.category}`, '', ...runLines('IM-AE', s.runs.im), ...runLines('CNN-AE', s.runs.cnn), ...runLines('IM-GAN', s.runs.imGan), ...runLines('CNN-GAN', s.runs.cnnGan));
    if (s.autoencoding) {
      const evaluations = s.autoencoding.rows.map((r) => r.im256Evaluations);
      out.push(`- IM256: the adaptive extractor evaluated the decoder at ${Math.round(evaluations.reduce((a, b) => a + b, 0) / evaluations.length).toLocaleString('en-US')} points per shape on average (dense 256^3: 16,777,216).`);
    }
    if (s.missing.length) out.push(`- Not measured yet: ${s.missing.join('; ')}.`);
    out.push('');
  }
  return out.join('\n');
}
