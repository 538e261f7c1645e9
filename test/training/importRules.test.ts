/**
 * The toolkit's dependency rule (README, "Layout"), checked on every import in training/: the CLI is
 * the top floor and nothing else imports it; the trainer knows only nn (and util, the core); data and
 * util reach the runtime only through the Babylon-free core entry (`#core`), never `../src` paths or
 * the Babylon entry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What each area may import besides itself and `#core`. An area is a folder of training/; data/ and models/ count per subfolder. */
const DATA_BASE = ['util'];
const MODEL_BASE = ['trainer', 'nn', 'data/*', 'util'];
const RULES: Record<string, readonly string[]> = {
  cli: ['*'],
  categories: [],
  render: ['eval', 'export', 'models/*', 'trainer', 'nn', 'data/*', 'util'],
  eval: ['export', 'models/*', 'trainer', 'nn', 'data/*', 'util'],
  export: ['trainer', 'util'],
  'models/imnet': MODEL_BASE,
  // The digit experiments' CNN-GAN and IM-GAN are the latent GAN on their auto-encoders' codes.
  'models/digits': [...MODEL_BASE, 'models/imnet', 'models/gan'],
  'models/*': [...MODEL_BASE, 'models/imnet'],
  trainer: ['nn', 'util'],
  nn: ['util'],
  'data/prepare': ['data/dataset', 'data/mesh', 'data/voxel', ...DATA_BASE],
  'data/dataset': ['data/voxel', ...DATA_BASE],
  'data/procedural': ['data/mesh', ...DATA_BASE],
  'data/*': DATA_BASE,
  util: [],
};

/** The area of a path inside training/ (`cli`, `data/mesh`, `models/gan`, ...). */
function areaOf(path: string): string {
  const [top, sub] = path.split('/');
  return (top === 'data' || top === 'models') && sub && !sub.includes('.') ? `${top}/${sub}` : top;
}

function rulesOf(area: string): readonly string[] | undefined {
  return RULES[area] ?? RULES[`${area.split('/')[0]}/*`];
}

function mayImport(from: string, to: string): boolean {
  if (from === to) return true;
  const allowed = rulesOf(from) ?? [];
  return allowed.some((a) => a === '*' || a === to || (a.endsWith('/*') && to.startsWith(a.slice(0, -1))));
}

/** Module specifiers of a source text: static and dynamic imports, re-exports, `new URL('./x', import.meta.url)`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+|new URL\(\s*)['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** Every violation of the rule in `files` (paths relative to training/, with their text). */
function violations(files: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [file, source] of files) {
    const from = areaOf(file);
    if (!rulesOf(from)) {
      out.push(`${file}: training/${from} has no place in the dependency rule`);
      continue;
    }
    for (const spec of specifiers(source)) {
      if (spec === '#main') out.push(`${file} imports #main (Babylon); the toolkit uses the core entry (#core)`);
      // Packages, and data files read by URL (package.json), are not part of the rule.
      if (!spec.startsWith('.') || spec.endsWith('.json')) continue;
      const target = normalize(join(dirname(file), spec));
      if (target.startsWith('..')) {
        out.push(`${file} imports ${spec}, outside training/; the runtime is reached as #core`);
        continue;
      }
      const to = areaOf(target);
      if (!mayImport(from, to)) out.push(`${file} (${from}) imports ${spec} (${to}); ${from} may import ${[...(rulesOf(from) ?? [])].join(', ') || 'nothing'} and #core`);
    }
  }
  return out;
}

function trainingFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) files.set(relative(join(ROOT, 'training'), path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(join(ROOT, 'training'));
  return files;
}

test('every import in training/ follows the dependency rule', () => {
  const files = trainingFiles();
  expect(files.size).toBeGreaterThan(80);
  expect(violations(files)).toEqual([]);
});

test('nothing outside cli/ imports cli/', () => {
  const offenders = [...trainingFiles()].filter(([file, source]) => areaOf(file) !== 'cli' &&
    specifiers(source).some((spec) => spec.startsWith('.') && areaOf(normalize(join(dirname(file), spec))) === 'cli'));
  expect(offenders.map(([file]) => file)).toEqual([]);
});

test('the check catches what the rule forbids', () => {
  const broken = new Map([
    ['trainer/Trainer.ts', "import { openDataset } from '../data/dataset/dataset.js';\nconst m = await import('../models/imnet/config.js');"],
    ['data/mesh/readObj.ts', "import { createRandom } from '../../../src/decoder/random.js';\nexport { x } from '../procedural/mesh.js';"],
    ['eval/metrics.ts', "import type { X } from '../cli/args.js';\nimport { ImplicitShape } from '#main';"],
    ['newFolder/thing.ts', "import { a } from '../util/seeds.js';"],
  ]);
  const found = violations(broken);
  expect(found).toHaveLength(7);
  expect(found.join('\n')).toMatch(/trainer\/Trainer.ts \(trainer\) imports \.\.\/data\/dataset\/dataset\.js \(data\/dataset\); trainer may import nn, util and #core/);
  expect(found.join('\n')).toMatch(/outside training\/; the runtime is reached as #core/);
  expect(found.join('\n')).toMatch(/training\/newFolder has no place in the dependency rule/);
});
