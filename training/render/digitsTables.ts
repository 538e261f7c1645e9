/**
 * docs/digits.md's tables from a digits report (what `imnet digits sheet` measured): the scores of
 * every generative model beside real digits, the auto-encoders' held-out MSE, and how each model was
 * trained. Measured numbers only, none typed in.
 */
import type { DigitsReport } from './digitsReport.js';

/** Markdown: the classifier's accuracy, the scores table and the training table. */
export function digitsTablesMarkdown(report: DigitsReport): string {
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
  return [`Classifier: ${pct(report.classifier.accuracyOnTrainingDigits)} accurate on the 5,000 training digits.`, '', ...scores, '', ...training].join('\n') + '\n';
}
