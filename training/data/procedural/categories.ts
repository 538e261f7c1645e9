/**
 * The procedural categories (ShapeNet-like stand-ins when no ShapeNet is at hand) and
 * `generateShape`, which builds one seeded shape centred in the canonical box.
 */
import type { CategoryGenerator, Variant } from './generator.js';
import { fitToExtent, MeshBuilder, type TriangleMesh } from './mesh.js';
import { ShapeRandom } from './shapeRandom.js';
import { airplane } from './airplane.js';
import { car } from './car.js';
import { chair } from './chair.js';
import { lamp } from './lamp.js';
import { rifle } from './rifle.js';
import { rock } from './rock.js';
import { table } from './table.js';
import { tree } from './tree.js';
import { vase } from './vase.js';

/** Every category by name. */
export const CATEGORIES = {
  airplane,
  car,
  chair,
  lamp,
  rifle,
  rock,
  table,
  tree,
  vase,
} as const satisfies Record<string, CategoryGenerator>;

export type CategoryName = keyof typeof CATEGORIES;

/** Names of all categories, in registry order. */
export const CATEGORY_NAMES = Object.keys(CATEGORIES) as CategoryName[];

/** Longest side of a generated shape's bounding box: inside [-0.5, 0.5]^3 with a margin. */
export const SHAPE_EXTENT = 0.9;

/** A generated shape: the mesh (y up, front toward +z, bounding box centred, longest side SHAPE_EXTENT) and its choices. */
export interface ProceduralShape extends TriangleMesh {
  category: CategoryName;
  seed: number;
  /** The structural choices the generator made (base type, engine count, ...). */
  variant: Variant;
}

/** True when `name` is a registered category. */
export function isCategory(name: string): name is CategoryName {
  return Object.prototype.hasOwnProperty.call(CATEGORIES, name);
}

/** Builds shape `seed` of `category`: the same seed always gives the same arrays. */
export function generateShape(category: string, seed: number): ProceduralShape {
  if (!isCategory(category)) throw new RangeError(`unknown category '${category}'; expected one of ${CATEGORY_NAMES.join(', ')}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer; got ${seed}`);
  const builder = new MeshBuilder();
  const variant = CATEGORIES[category].build(builder, new ShapeRandom(seed));
  const mesh = fitToExtent(builder.build(), SHAPE_EXTENT);
  return { ...mesh, category, seed, variant };
}
