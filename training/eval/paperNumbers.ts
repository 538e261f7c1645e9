/**
 * IM-NET's published auto-encoding numbers (Chen & Zhang, CVPR 2019, Table 2: ShapeNet, test split),
 * as issue 10 quotes them: MSE x10^3, IoU %, CD x10^3, LFD. Shown beside ours in docs/results.md.
 */

/** Our categories in the paper's column order (the paper's "Plane" is our airplane). */
export const PAPER_CATEGORIES = ['airplane', 'car', 'chair', 'rifle', 'table'] as const;
export type PaperCategory = (typeof PAPER_CATEGORIES)[number];

/** The table's rows in the paper's order: method and metric. */
export const PAPER_ROWS = [
  { method: 'CNN64', metric: 'MSE' }, { method: 'IM64', metric: 'MSE' },
  { method: 'CNN64', metric: 'IoU' }, { method: 'IM64', metric: 'IoU' },
  { method: 'CNN64', metric: 'CD' }, { method: 'IM64', metric: 'CD' }, { method: 'IM256', metric: 'CD' },
  { method: 'CNN64', metric: 'LFD' }, { method: 'IM64', metric: 'LFD' }, { method: 'IM256', metric: 'LFD' },
] as const;

export type PaperMethod = (typeof PAPER_ROWS)[number]['method'];
export type PaperMetric = (typeof PAPER_ROWS)[number]['metric'];

/** `PAPER_TABLE['CNN64-MSE'].airplane`: the paper's value in the table's units. */
export const PAPER_TABLE: Readonly<Record<string, Readonly<Record<PaperCategory, number>>>> = {
  'CNN64-MSE': { airplane: 1.47, car: 4.37, chair: 7.76, rifle: 1.62, table: 5.8 },
  'IM64-MSE': { airplane: 2.14, car: 4.99, chair: 11.43, rifle: 1.91, table: 10.67 },
  'CNN64-IoU': { airplane: 86.07, car: 90.73, chair: 74.22, rifle: 78.37, table: 84.67 },
  'IM64-IoU': { airplane: 78.77, car: 89.26, chair: 65.65, rifle: 72.88, table: 71.44 },
  'CNN64-CD': { airplane: 3.51, car: 5.31, chair: 7.34, rifle: 3.48, table: 7.45 },
  'IM64-CD': { airplane: 4.22, car: 5.28, chair: 8.96, rifle: 3.78, table: 12.05 },
  'IM256-CD': { airplane: 4.23, car: 5.44, chair: 9.05, rifle: 3.77, table: 11.54 },
  'CNN64-LFD': { airplane: 3375, car: 1323, chair: 2555, rifle: 3515, table: 1824 },
  'IM64-LFD': { airplane: 3371, car: 1190, chair: 2515, rifle: 3714, table: 2370 },
  'IM256-LFD': { airplane: 3236, car: 1147, chair: 2453, rifle: 3602, table: 2201 },
};

/** Whether a larger value is better (IoU) or a smaller one (the distances and errors). */
export const HIGHER_IS_BETTER: Readonly<Record<PaperMetric, boolean>> = { MSE: false, IoU: true, CD: false, LFD: false };
