/** Named float32 arrays <-> a manifest's weight entries and their concatenated bytes. */
import { fromFloat16Bits, toFloat16Bits } from './float16.js';
import { bytesPerValue, elementCount, WeightsFormatError, type WeightEntry, type WeightsGroup } from './format.js';

/** A tensor by name: its shape and values. */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Bytes each group's files must hold together, from the manifest alone. */
export function expectedGroupBytes(group: WeightsGroup): number {
  return group.weights.reduce((sum, w) => sum + elementCount(w.shape) * bytesPerValue(w), 0);
}

/**
 * Decodes one group's bytes. `bytes` must already have been checked against `expectedGroupBytes`
 * so no allocation happens for a file that disagrees with its manifest.
 */
export function decodeGroup(group: WeightsGroup, bytes: Uint8Array, file: string): NamedArray[] {
  const expected = expectedGroupBytes(group);
  if (bytes.byteLength !== expected) {
    throw new WeightsFormatError(file, 'byteLength', `holds ${bytes.byteLength} bytes; the manifest's ${group.weights.length} weights need ${expected}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  return group.weights.map((entry: WeightEntry) => {
    const count = elementCount(entry.shape);
    const values = new Float32Array(count);
    if (bytesPerValue(entry) === 2) {
      for (let i = 0; i < count; i++, offset += 2) values[i] = fromFloat16Bits(view.getUint16(offset, true));
    } else {
      for (let i = 0; i < count; i++, offset += 4) values[i] = view.getFloat32(offset, true);
    }
    for (let i = 0; i < count; i++) {
      if (!Number.isFinite(values[i])) throw new WeightsFormatError(file, entry.name, `value ${i} is ${values[i]}; weights must be finite`);
    }
    return { name: entry.name, shape: entry.shape, values };
  });
}

/** Encodes arrays into one group (one binary file), optionally as float16. */
export function encodeGroup(arrays: NamedArray[], path: string, float16 = false): { group: WeightsGroup; bytes: Uint8Array } {
  const weights: WeightEntry[] = arrays.map((a) => {
    if (a.values.length !== elementCount(a.shape)) {
      throw new RangeError(`${a.name}: ${a.values.length} values do not fill shape [${a.shape.join(', ')}]`);
    }
    return float16 ? { name: a.name, shape: a.shape, dtype: 'float32', quantization: { dtype: 'float16' } } : { name: a.name, shape: a.shape, dtype: 'float32' };
  });
  const group: WeightsGroup = { paths: [path], weights };
  const bytes = new Uint8Array(expectedGroupBytes(group));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const a of arrays) {
    if (float16) {
      for (let i = 0; i < a.values.length; i++, offset += 2) view.setUint16(offset, toFloat16Bits(a.values[i]), true);
    } else {
      for (let i = 0; i < a.values.length; i++, offset += 4) view.setFloat32(offset, a.values[i], true);
    }
  }
  return { group, bytes };
}
