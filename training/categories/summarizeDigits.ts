/**
 * The docs/digits.md tables, from what `imnet digits sheet` wrote (docs/digits/scores.json):
 *   npx tsx training/categories/summarizeDigits.ts [scores.json]
 * Prints Markdown: the scores of every generative model beside real digits, the auto-encoders'
 * held-out MSE, and how each model was trained (measured numbers only, none typed in).
 */
import { readFileSync } from 'node:fs';
import type { DigitsReport } from '../render/digitsReport.js';

const file = process.argv[2] ?? 'docs/digits/scores.json';
const report = JSON.parse(readFileSync(file, 'utf8')) as DigitsReport;
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const minutes = (seconds: number | undefined): string => (seconds === undefined ? '-' : (seconds / 60).toFixed(1));

const scores = [
  '| model | confidence | classifier score | classes (>= 1%) | largest class | COV | MMD x1000 | empty |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
const row = (name: string, s: NonNullable<DigitsReport['models'][number]['scores']>): string =>
  `| ${name} | ${s.confidence.toFixed(3)} | ${s.classifierScore.toFixed(2)} | ${s.classesCovered} | ${pct(s.largestClassShare)} | ${pct(s.coverage)} | ${s.mmd.toFixed(2)} | ${s.emptySamples} |`;
scores.push(row('real digits (1,024 training digits)', report.realDigits));
for (const m of report.models) if (m.scores) scores.push(row(m.title, m.scores));

const training = [
  '| model | preset | epochs | batch | lr (beta1, beta2) | other | optimizer steps | wall-clock min | CPU min | held-out MSE |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const m of report.models) {
  const c = m.config;
  const other = [
    ['im-ae', 'vae-im'].includes(c.model) ? `${c.pointsPerImage} px/step` : '',
    ['wgan', 'wgan-im', 'cnn-gan', 'im-gan'].includes(c.model) ? `${c.criticSteps} critic steps, GP ${c.penaltyWeight}` : '',
    ['vae', 'vae-im'].includes(c.model) ? `KL weight ${c.klWeight}` : '',
  ].filter(Boolean).join(', ');
  training.push(`| ${m.title} | ${c.preset} | ${c.epochs} | ${c.batchSize} | ${c.learningRate} (${c.beta1}, ${c.beta2}) | ${other || '-'} | ${m.steps} | ` +
    `${minutes(m.trainSeconds)} | ${minutes(m.cpuSeconds)} | ${m.heldOutMse === undefined ? '-' : m.heldOutMse.toFixed(4)} |`);
}
process.stdout.write([`Classifier: ${pct(report.classifier.accuracyOnTrainingDigits)} accurate on the 5,000 training digits.`, '', ...scores, '', ...training].join('\n') + '\n');
