/**
 * The constant tables of 3DRetrieval_v1.8's light field descriptor (Chen et al. 2003), loaded once from
 * `lfd-constants.json` beside this file. That file is a byte-for-byte copy of issue 10's spec file
 * `../shared/specs/lfd-constants.json`, whose tables were taken from the reference C sources
 * (`12_0.obj`..`12_9.obj` camera sets, `align10.txt`, `Thin.c`'s `DelTab`); see `LFD.md` here.
 */
import { readFileSync } from 'node:fs';

/** Light fields per model (rotated camera sets). */
export const LIGHT_FIELDS = 10;
/** Rendered views per light field (dodecahedron vertices 0..9; 10..19 are their antipodes). */
export const VIEWS = 10;
/** Views per model. */
export const VIEWS_PER_MODEL = LIGHT_FIELDS * VIEWS;
/** Rotations of the dodecahedron searched by the matching (rows of `align10`). */
export const ROTATIONS = 60;
/** Silhouette images are IMAGE_SIZE x IMAGE_SIZE pixels. */
export const IMAGE_SIZE = 256;

/** The tables, as typed arrays. */
export interface LfdConstants {
  /** Eye of view v of light field k at `3 * (k * VIEWS + v)` (xyz; only the 10 rendered vertices of each set). */
  readonly cameras: Float64Array;
  /** Rotation r maps view m of one model to view `align10[r * VIEWS + m]` of the other (columns 0..9 of the spec's rows). */
  readonly align10: Uint8Array;
  /** The 256-entry thinning table of `Thin.c` (1 = the pixel may be deleted), indexed by the 8-neighbourhood bit pattern. */
  readonly delTab: Uint8Array;
}

const FILE = new URL('./lfd-constants.json', import.meta.url);

function table(value: unknown, what: string, shape: number[]): number[] {
  const flat: number[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${FILE.pathname}: ${what}${path} is ${JSON.stringify(v)}; expected a number`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length < shape[depth]) {
      throw new TypeError(`${FILE.pathname}: ${what}${path} has ${Array.isArray(v) ? v.length : 'no'} entries; expected ${shape[depth]}`);
    }
    for (let i = 0; i < shape[depth]; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return flat;
}

/** Reads and checks the JSON tables; throws a TypeError naming the file and the entry that is wrong. */
export function loadLfdConstants(): LfdConstants {
  const json = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  const cameras = Float64Array.from(table(json.cameras, 'cameras', [LIGHT_FIELDS, VIEWS, 3]));
  // Each row lists 20 vertices; the matching only reads the 10 rendered ones.
  const rows = json.align10 as unknown[];
  const align10 = Uint8Array.from(table(Array.isArray(rows) ? rows.map((r) => (Array.isArray(r) ? r.slice(0, VIEWS) : r)) : rows, 'align10', [ROTATIONS, VIEWS]));
  const delTab = Uint8Array.from(table(json.delTab, 'delTab', [256]));
  for (let r = 0; r < ROTATIONS; r++) {
    const seen = new Set(align10.subarray(r * VIEWS, (r + 1) * VIEWS));
    if (seen.size !== VIEWS || [...seen].some((v) => v >= VIEWS)) throw new TypeError(`${FILE.pathname}: align10[${r}] is not a permutation of views 0..9`);
  }
  return { cameras, align10, delTab };
}

/** The tables, loaded when this module is first imported. */
export const LFD_CONSTANTS: LfdConstants = loadLfdConstants();
