/**
 * The paper's auto-encoding figure for one category: a row per test shape, columns ground truth |
 * CNN-AE (64^3) | IM-AE at 64^3 | IM-AE at 256^3, drawn with one scale for all cells (the box
 * [-0.5, 0.5]^3) so sizes compare, as a PNG.
 */
import type { FigureRow } from '../eval/compareAutoencoders.js';
import { renderContactSheet, type Rgb, type SheetMesh } from './contactSheet.js';

const TRUTH: Rgb = [170, 176, 186];
const CNN: Rgb = [150, 190, 140];
const IM: Rgb = [222, 170, 110];

/** Writes the figure to `out` (PNG); returns its size. */
export function writeComparisonFigure(rows: readonly FigureRow[], out: string, title: string, cellSize = 160): { width: number; height: number } {
  const meshes: SheetMesh[] = [];
  for (const row of rows) {
    meshes.push({ ...row.truth, label: 'truth' }, { ...row.CNN64, label: 'CNN-AE' }, { ...row.IM64, label: 'IM-AE64' }, { ...row.IM256, label: 'IM-AE256' });
  }
  const sheet = renderContactSheet(meshes, { columns: 4, cellSize, fit: 'unitCube', colors: [TRUTH, CNN, IM, IM], title, out });
  return { width: sheet.width, height: sheet.height };
}
