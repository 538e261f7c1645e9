/** What every category generator provides; the registry is in categories.ts. */
import type { MeshBuilder } from './mesh.js';
import type { ShapeRandom } from './shapeRandom.js';

/** A shape's structural choices (base type, back style, engine count, ...), so tests and tools can see its variety. */
export type Variant = Record<string, string | number | boolean>;

/**
 * A procedural category: `build` adds closed parts for one shape to the builder, drawing every
 * choice from `random`, and returns the structural choices it made. Shapes are built y up with
 * their front toward +z, in roughly unit size; `generateShape` centres and scales them.
 */
export interface CategoryGenerator {
  /** One line for help texts. */
  summary: string;
  build(builder: MeshBuilder, random: ShapeRandom): Variant;
}
