/** `imnet generate <category> --out <dir>`: procedural ShapeNet-like meshes of a category, as OBJ files. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeObj } from '../../data/mesh/writeObj.js';
import { CATEGORIES, CATEGORY_NAMES, generateShape, isCategory, SHAPE_EXTENT } from '../../data/procedural/categories.js';
import { writeFileAtomic } from '../../util/atomicWrite.js';
import { defineCommand, UsageError } from '../args.js';

const MAX_SEED = 2 ** 32 - 1;

export const generateCommand = defineCommand({
  summary: `Generate procedural meshes of a category (${CATEGORY_NAMES.join(', ')}) as OBJ files.`,
  usage: 'imnet generate <category> --out <dir> [--count 16] [--seed 1]',
  about: [
    'Shape i (from 0) uses seed S + i, and a seed always gives the same mesh. Files are <category>-<seed>.obj:',
    `y up, front toward +z, bounding box centred with its longest side ${SHAPE_EXTENT}; closed parts that may`,
    'overlap (imnet prepare voxelizes their union). generate.json in <dir> lists each file\'s seed and',
    'structural choices (base type, engine count, ...). Categories:',
    ...CATEGORY_NAMES.map((name) => `  ${name.padEnd(10)}${CATEGORIES[name].summary}`),
  ].join('\n'),
  positionals: [{ name: 'category', description: `what to generate: ${CATEGORY_NAMES.join(', ')}` }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'dir', description: 'folder to write the meshes into (created if missing)' },
    { name: 'count', type: 'integer', min: 1, max: 1_000_000, default: 16, valueName: 'n', description: 'number of shapes' },
    { name: 'seed', type: 'integer', min: 0, max: MAX_SEED, default: 1, valueName: 's', description: 'seed of the first shape; shape i uses seed s + i' },
    { name: 'format', type: 'string', choices: ['obj'], default: 'obj', description: 'mesh file format' },
  ],
  async run({ flags, positionals: [category] }, { log }) {
    if (!isCategory(category)) throw new UsageError(`<category> '${category}': expected one of ${CATEGORY_NAMES.join(', ')}`);
    const { count, seed: firstSeed, out } = flags;
    const lastSeed = firstSeed + count - 1;
    if (lastSeed > MAX_SEED) throw new UsageError(`--seed ${firstSeed} --count ${count}: the last seed would be ${lastSeed}; seeds go up to ${MAX_SEED}`);
    await mkdir(out, { recursive: true });

    const digits = String(lastSeed).length;
    const shapes: { file: string; seed: number; vertices: number; triangles: number; variant: Record<string, unknown> }[] = [];
    const tally = new Map<string, number>();
    let firstKey = '';
    for (let i = 0; i < count; i++) {
      const seed = firstSeed + i;
      const shape = generateShape(category, seed);
      const file = `${category}-${String(seed).padStart(digits, '0')}.obj`;
      await writeObj(join(out, file), shape, [
        `babylon-imnet procedural ${category}, seed ${seed}: y up, front toward +z`,
        `variant ${JSON.stringify(shape.variant)}`,
      ]);
      shapes.push({ file, seed, vertices: shape.positions.length / 3, triangles: shape.indices.length / 3, variant: shape.variant });
      firstKey ||= Object.keys(shape.variant)[0];
      const key = String(shape.variant[firstKey]);
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
    const manifest = { generator: 'babylon-imnet procedural', category, firstSeed, count, format: 'obj', upAxis: 'y', front: '+z', extent: SHAPE_EXTENT, shapes };
    await writeFileAtomic(join(out, 'generate.json'), JSON.stringify(manifest, null, 1) + '\n');
    const mix = [...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    log(`generate: wrote ${count} ${category} mesh${count > 1 ? 'es' : ''} (seeds ${firstSeed}-${lastSeed}) to ${out}; ${firstKey}: ${mix}`);
    return 0;
  },
});
