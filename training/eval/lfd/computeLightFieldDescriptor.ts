/**
 * From a mesh to its light field descriptor: normalize, render 10 x 10 silhouettes, measure each, quantize.
 */
import { ContourScratch } from './contour.js';
import { IMAGE_SIZE, LFD_CONSTANTS, LIGHT_FIELDS, VIEWS, VIEWS_PER_MODEL } from './lfdConstants.js';
import { LightFieldDescriptor } from './LightFieldDescriptor.js';
import { ART_COEFFICIENTS, ART_LUT_RADIUS, regionShapeValues } from './regionShape.js';
import { normalizeForLightField, renderSilhouette, type LfdMesh } from './renderSilhouette.js';
import { circularity, eccentricity, FOURIER_COEFFICIENTS, fourierValues, silhouetteCentre, silhouetteRadius, type SilhouetteCentre } from './silhouetteShape.js';

/** The unquantized measures of the 10 views of one light field (what the C keeps in doubles). */
export interface LightFieldValues {
  /** Silhouette pixels per view. */
  pixels: Int32Array;
  /** Bounding-box centre per view (x at 2v, y at 2v+1; -1 for an empty view). */
  centres: Float64Array;
  /** The largest centre-to-pixel distance over the 10 views (`m_radius`). */
  radius: number;
  /** 35 region values per view. */
  region: Float64Array;
  /** 10 Fourier values per view. */
  fourier: Float64Array;
  circularity: Float64Array;
  eccentricity: Float64Array;
}

interface Scratch {
  images: Uint8Array[];
  contour: ContourScratch;
}
let _scratch: Scratch | null = null;
function scratch(): Scratch {
  _scratch ??= {
    images: Array.from({ length: VIEWS }, () => new Uint8Array(IMAGE_SIZE * IMAGE_SIZE)),
    contour: new ContourScratch(IMAGE_SIZE),
  };
  return _scratch;
}

/** Renders and measures light field `lightField` (0..9) of an already normalized model. */
export function lightFieldValues(normalized: Float64Array, indices: ArrayLike<number>, lightField: number): LightFieldValues {
  const { images, contour } = scratch();
  const { cameras, delTab } = LFD_CONSTANTS;
  const centres: SilhouetteCentre[] = [];
  let radius = 0;
  for (let v = 0; v < VIEWS; v++) {
    renderSilhouette(images[v], normalized, indices, cameras, 3 * (lightField * VIEWS + v));
    centres.push(silhouetteCentre(images[v], IMAGE_SIZE));
    radius = Math.max(radius, silhouetteRadius(images[v], IMAGE_SIZE, centres[v]));
  }
  const values: LightFieldValues = {
    pixels: Int32Array.from(centres, (c) => c.pixels),
    centres: Float64Array.from(centres.flatMap((c) => [c.x, c.y])),
    radius,
    region: new Float64Array(VIEWS * ART_COEFFICIENTS),
    fourier: new Float64Array(VIEWS * FOURIER_COEFFICIENTS),
    circularity: new Float64Array(VIEWS),
    eccentricity: new Float64Array(VIEWS),
  };
  // A light field whose every silhouette is one pixel has radius 0 (the C divides by it); map it to the table centre.
  const scale = radius > 0 ? ART_LUT_RADIUS / radius : 0;
  for (let v = 0; v < VIEWS; v++) {
    const image = images[v], centre = centres[v];
    regionShapeValues(values.region, v * ART_COEFFICIENTS, image, IMAGE_SIZE, centre, scale);
    fourierValues(values.fourier, v * FOURIER_COEFFICIENTS, image, centre, contour, delTab);
    values.circularity[v] = circularity(image, IMAGE_SIZE, centre);
    values.eccentricity[v] = eccentricity(image, IMAGE_SIZE, centre);
  }
  return values;
}

/** The C's quantization: (int)(factor * value), at most 255. */
function quantize(value: number, factor: number): number {
  return Math.min(255, Math.trunc(factor * value));
}

/**
 * The light field descriptor of a mesh (any scale and position; triangles of either winding; an empty
 * mesh gives all zeros). About 0.1-1 s per mesh; cache it (`LfdDescriptorCache`).
 */
export function computeLightFieldDescriptor(mesh: LfdMesh): LightFieldDescriptor {
  const normalized = normalizeForLightField(mesh);
  const art = new Uint8Array(VIEWS_PER_MODEL * ART_COEFFICIENTS);
  const fourier = new Uint8Array(VIEWS_PER_MODEL * FOURIER_COEFFICIENTS);
  const circ = new Uint8Array(VIEWS_PER_MODEL);
  const ecc = new Uint8Array(VIEWS_PER_MODEL);
  for (let k = 0; k < LIGHT_FIELDS; k++) {
    const values = lightFieldValues(normalized, mesh.indices, k);
    const first = k * VIEWS;
    for (let i = 0; i < VIEWS * ART_COEFFICIENTS; i++) art[first * ART_COEFFICIENTS + i] = quantize(values.region[i], 256);
    for (let i = 0; i < VIEWS * FOURIER_COEFFICIENTS; i++) fourier[first * FOURIER_COEFFICIENTS + i] = quantize(values.fourier[i], 512);
    for (let v = 0; v < VIEWS; v++) {
      circ[first + v] = quantize(values.circularity[v], 256);
      ecc[first + v] = quantize(values.eccentricity[v], 256);
    }
  }
  return new LightFieldDescriptor(art, fourier, circ, ecc);
}
