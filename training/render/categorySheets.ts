/**
 * Renders a contact sheet of 16 shapes (seeds 1..16) per procedural category into docs/categories/.
 *
 *   npx tsx training/render/categorySheets.ts [category ...] [--out docs/categories] [--count 16]
 */
import { join } from 'node:path';
import { renderContactSheet } from './contactSheet.js';
import { CATEGORY_NAMES, generateShape, isCategory } from '../data/procedural/categories.js';

function main(argv: string[]): number {
  let out = 'docs/categories';
  let count = 16;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i];
    else if (argv[i] === '--count') count = Number(argv[++i]);
    else names.push(argv[i]);
  }
  for (const name of names) if (!isCategory(name)) throw new RangeError(`unknown category '${name}'; expected one of ${CATEGORY_NAMES.join(', ')}`);
  for (const category of names.length > 0 ? names : CATEGORY_NAMES) {
    const meshes = [];
    for (let seed = 1; seed <= count; seed++) {
      const shape = generateShape(category, seed);
      meshes.push({ positions: shape.positions, indices: shape.indices, label: `${category} ${seed}` });
    }
    const file = join(out, `${category}.png`);
    const sheet = renderContactSheet(meshes, { columns: 4, cellSize: 256, out: file, title: `${category}: seeds 1-${count}` });
    console.log(`${file}: ${sheet.width}x${sheet.height}`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
