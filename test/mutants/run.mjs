#!/usr/bin/env node
/**
 * `npm run test:mutants [-- <id> ...]`: plants known bugs, one at a time, and checks that the tests
 * written for them fail. A test earns its place by failing when the behaviour it is named for breaks;
 * this keeps that true for the bugs issue 16 found the suite blind to.
 *
 * Each mutant is a literal search/replace in one source file, applied to a scratch copy of the
 * repository (src, test, training, package.json, tsconfig.json; node_modules and weights linked), so
 * the working tree is never touched and an interrupted run leaves nothing behind. A replacement whose
 * search text is gone (the code moved on) is reported as stale and fails the run: update the mutant.
 *
 * Options: `--list` prints the mutants; `--clean` also runs each mutant's tests on the unmutated copy
 * first (they must pass there). Exit status: 0 when every mutant was caught, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** id, what the bug is, file, search text, replacement, the tests that must fail. */
export const MUTANTS = [
  {
    id: 'mc-midpoint',
    bug: 'marching cubes puts every edge vertex at the edge midpoint (t = 0.5)',
    file: 'src/extract/marchingCubes.ts',
    find: 'let t = (iso - va) / (vb - va);',
    replace: 'let t = 0.5 + 0 * ((iso - va) / (vb - va));',
    tests: ['test/extract/vertexAccuracy.test.ts'],
  },
  {
    id: 'normals-edge-typo',
    bug: 'one component of a triangle edge is taken from the wrong vertex (c - b instead of c - a): 99.8% of normals still face out',
    file: 'src/extract/vertexNormals.ts',
    find: 'const acz = positions[c + 2] - positions[a + 2];',
    replace: 'const acz = positions[c + 2] - positions[b + 2];',
    tests: ['test/extract/vertexAccuracy.test.ts'],
  },
  {
    id: 'shape-dispose-leak',
    bug: 'ImplicitShape.dispose() forgets its occupancy handle (its folded latent tensors leak until the decoder goes)',
    file: 'src/ImplicitShape.ts',
    find: '    this.renderObserver = null;\n    this.occupancy?.dispose();',
    replace: '    this.renderObserver = null;',
    tests: ['test/ImplicitShape.test.ts', 'test/lod/lodStreaming.test.ts'],
  },
  {
    id: 'scheduler-split-offset',
    bug: 'the scheduler writes a split request\'s later parts at offset 0 instead of where they belong',
    file: 'src/lod/ExtractionScheduler.ts',
    find: 'r.result.set(values.subarray(offset, offset + b.count), b.from);',
    replace: 'r.result.set(values.subarray(offset, offset + b.count), 0);',
    tests: ['test/lod/scheduler.test.ts'],
  },
  {
    id: 'missing-file-plain-error',
    bug: 'a missing weights file is a plain Error, not a WeightsFormatError naming file and field',
    file: 'src/weights/io.ts',
    find: "throw new WeightsFormatError(source, field, code === 'ENOENT' ? 'file not found' : (error as Error).message);",
    replace: "throw new Error(`${source}: ${field}: ${code === 'ENOENT' ? 'file not found' : (error as Error).message}`);",
    tests: ['test/weights/weightsFormat.test.ts'],
  },
  {
    id: 'foreign-latent-plain-error',
    bug: 'a latent of another decoder is a plain Error',
    file: 'src/ImNetDecoder.ts',
    find: 'throw new ForeignLatentError(latent.label, latent.decoder.category, this.category,',
    replace: 'throw new Error(',
    tests: ['test/weights/weightsFormat.test.ts'],
  },
  {
    id: 'time-slice-one-chunk',
    bug: 'chunked kernels run all their items in one go (no checkpoint between chunks)',
    file: 'src/extract/checkpoints.ts',
    find: 'kernel(from, Math.min(count, from + chunk));',
    replace: 'kernel(from, count); from = count;',
    tests: ['test/extract/timeSlice.test.ts'],
  },
  {
    id: 'skip-layers-off-by-one',
    bug: 'skip connections feed hidden layers 3-6 instead of 2-5 (shared by the reference and the evaluators)',
    file: 'src/decoder/architecture.ts',
    find: 'return architecture.skipConnections && layerIndex >= 1 && layerIndex <= 4;',
    replace: 'return architecture.skipConnections && layerIndex >= 2 && layerIndex <= 5;',
    tests: ['test/decoder/reference.test.ts'],
  },
  {
    id: 'reference-row-order',
    bug: 'the reference reads kernel rows as [xyz; latent; previous] (the layout the weights format does not have)',
    file: 'src/decoder/reference.ts',
    find: 'for (let i = 0; i < shape.previousRows; i++, row++) sum += current[i] * kernel[row * shape.units + j];\n' +
      '        for (let i = 0; i < shape.pointRows; i++, row++) sum += points[p * POINT_SIZE + i] * kernel[row * shape.units + j];\n' +
      '        for (let i = 0; i < shape.latentRows; i++, row++) sum += latent[i] * kernel[row * shape.units + j];',
    replace: 'for (let i = 0; i < shape.pointRows; i++, row++) sum += points[p * POINT_SIZE + i] * kernel[row * shape.units + j];\n' +
      '        for (let i = 0; i < shape.latentRows; i++, row++) sum += latent[i] * kernel[row * shape.units + j];\n' +
      '        for (let i = 0; i < shape.previousRows; i++, row++) sum += current[i] * kernel[row * shape.units + j];',
    tests: ['test/decoder/reference.test.ts'],
  },
  {
    id: 'reference-plain-clip',
    bug: 'the scalar leaky clip clips hard (the reference and the float64 tools use it)',
    file: 'src/decoder/activations.ts',
    find: 'return Math.max(Math.min(h, 0.01 * h + 0.99), 0.01 * h);',
    replace: 'return Math.max(Math.min(h, 1), 0);',
    tests: ['test/decoder/reference.test.ts'],
  },
  {
    id: 'float16-truncates',
    bug: 'float32 -> float16 truncates instead of rounding to nearest',
    file: 'src/weights/float16.ts',
    find: '  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;',
    replace: '',
    tests: ['test/weights/weightsFormat.test.ts'],
  },
  {
    id: 'float16-ties-away',
    bug: 'float32 -> float16 rounds ties away from zero instead of to even',
    file: 'src/weights/float16.ts',
    find: '  if (rest > 0x1000 || (rest === 0x1000 && (half & 1))) half++;',
    replace: '  if (rest >= 0x1000) half++;',
    tests: ['test/weights/weightsFormat.test.ts'],
  },
  {
    id: 'decode-after-dispose',
    bug: 'TfDecoder.decode runs on disposed weight tensors',
    file: 'src/evaluate/tfDecoder.ts',
    find: '  decode(points: tf.Tensor2D, folded: FoldedLatent): tf.Tensor1D {\n    this.assertAlive();',
    replace: '  decode(points: tf.Tensor2D, folded: FoldedLatent): tf.Tensor1D {',
    tests: ['test/decoder/tfDecoder.test.ts'],
  },
  {
    id: 'projection-small-angle',
    bug: 'projected size uses radius / distance for the half-angle (no asin): too small up close',
    file: 'src/lod/lodPolicy.ts',
    find: 'const angular = 2 * Math.asin(Math.min(1, radius / distance));',
    replace: 'const angular = 2 * (radius / distance);',
    tests: ['test/lod/lodPolicy.test.ts'],
  },
];

/** A scratch copy of what the tests need; node_modules and weights are links (never written). */
function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'imnet-mutant-'));
  for (const path of ['src', 'test', 'training', 'plugin-examples', 'package.json', 'tsconfig.json']) {
    cpSync(join(REPO, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(REPO, 'weights'), join(dir, 'weights'));
  return dir;
}

function runJest(dir, tests) {
  const result = spawnSync('npx', ['jest', '--ci', '--silent', '--verbose', ...tests], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules' },
    encoding: 'utf8',
    timeout: 600_000,
  });
  const lines = (result.stderr + result.stdout).split('\n');
  const summary = lines.filter((l) => /^Tests:/.test(l)).join(' ').replace(/\s+/g, ' ');
  const failing = lines.filter((l) => /^\s*✕/.test(l)).map((l) => l.trim().replace(/^✕ /, '').replace(/ \(\d+ ms\)$/, ''));
  return { failed: result.status !== 0, summary: summary || `exit ${result.status}`, failing };
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes('--list')) {
    for (const m of MUTANTS) console.log(`${m.id}: ${m.bug} (${m.file}) -> ${m.tests.join(', ')}`);
    return 0;
  }
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((id) => !MUTANTS.some((m) => m.id === id));
  if (unknown.length) {
    console.error(`test:mutants: unknown mutant(s) ${unknown.join(', ')}; --list shows them`);
    return 2;
  }
  const selected = wanted.length ? MUTANTS.filter((m) => wanted.includes(m.id)) : MUTANTS;
  const dir = scratchCopy();
  let survivors = 0;
  try {
    if (args.includes('--clean')) {
      const tests = [...new Set(selected.flatMap((m) => m.tests))];
      const clean = runJest(dir, tests);
      console.log(JSON.stringify({ mutant: null, tests, passes: !clean.failed, summary: clean.summary }));
      if (clean.failed) {
        console.error('test:mutants: the tests fail without any mutant; fix them first');
        return 1;
      }
    }
    for (const m of selected) {
      const path = join(dir, m.file);
      const original = readFileSync(path, 'utf8');
      const at = original.indexOf(m.find);
      if (at < 0 || original.indexOf(m.find, at + 1) >= 0) {
        survivors++;
        console.log(JSON.stringify({ mutant: m.id, caught: false, stale: `${m.file}: the search text is ${at < 0 ? 'gone' : 'not unique'}; update the mutant` }));
        continue;
      }
      writeFileSync(path, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
      try {
        const { failed, summary, failing } = runJest(dir, m.tests);
        if (!failed) survivors++;
        console.log(JSON.stringify({ mutant: m.id, caught: failed, bug: m.bug, tests: m.tests, summary, failing }));
      } finally {
        writeFileSync(path, original);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(survivors === 0 ? `test:mutants: all ${selected.length} mutants caught` : `test:mutants: ${survivors} of ${selected.length} mutants not caught`);
  return survivors === 0 ? 0 : 1;
}

process.exit(main());
