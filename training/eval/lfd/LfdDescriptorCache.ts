/**
 * Light field descriptors keyed by mesh content, so each shape is rendered once per evaluation (in
 * memory) or once ever (in a folder: `<sha256>.lfd`, written atomically).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomicWrite.js';
import { computeLightFieldDescriptor } from './computeLightFieldDescriptor.js';
import { LfdDescriptorFormatError, LightFieldDescriptor } from './LightFieldDescriptor.js';
import type { LfdMesh } from './renderSilhouette.js';

/** Bump when the descriptor's computation changes, so cached files of the old one are not reused. */
const DESCRIPTOR_VERSION = 'lfd-3DRetrieval_v1.8-port-1';

/** Options of an `LfdDescriptorCache`. */
export interface LfdDescriptorCacheOptions {
  /** Folder for descriptor files, created on first write (default: memory only). */
  dir?: string;
  /** How a missing descriptor is made (default `computeLightFieldDescriptor`). */
  compute?: (mesh: LfdMesh) => LightFieldDescriptor;
}

/** The cache key of a mesh: sha256 of the descriptor version, the array types and the bytes of positions and indices. */
export function meshContentHash(mesh: LfdMesh): string {
  const hash = createHash('sha256').update(DESCRIPTOR_VERSION);
  for (const array of [mesh.positions, mesh.indices]) {
    if (ArrayBuffer.isView(array)) {
      hash.update(`|${array.constructor.name}:${array.length}|`);
      hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    } else {
      hash.update(`|Float64Array:${array.length}|`);
      hash.update(new Uint8Array(Float64Array.from(array).buffer));
    }
  }
  return hash.digest('hex');
}

export class LfdDescriptorCache {
  private readonly memory = new Map<string, LightFieldDescriptor>();
  private readonly compute: (mesh: LfdMesh) => LightFieldDescriptor;

  constructor(private readonly options: LfdDescriptorCacheOptions = {}) {
    this.compute = options.compute ?? computeLightFieldDescriptor;
  }

  getClassName(): string {
    return 'LfdDescriptorCache';
  }

  /** Descriptors held in memory. */
  get size(): number {
    return this.memory.size;
  }

  /**
   * The descriptor of `mesh`: from memory, else from the folder, else computed (and stored in both).
   * A damaged file in the folder throws an LfdDescriptorFormatError naming it.
   */
  async get(mesh: LfdMesh): Promise<LightFieldDescriptor> {
    const key = meshContentHash(mesh);
    const known = this.memory.get(key);
    if (known) return known;
    const { dir } = this.options;
    let descriptor: LightFieldDescriptor | null = null;
    if (dir) {
      const file = join(dir, `${key}.lfd`);
      const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (bytes) {
        try {
          descriptor = LightFieldDescriptor.Parse(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        } catch (error) {
          throw new LfdDescriptorFormatError(`${file}: ${(error as Error).message}`);
        }
      }
    }
    if (!descriptor) {
      descriptor = this.compute(mesh);
      if (dir) {
        await mkdir(dir, { recursive: true });
        await writeFileAtomic(join(dir, `${key}.lfd`), descriptor.serialize());
      }
    }
    this.memory.set(key, descriptor);
    return descriptor;
  }

  /** Forgets the descriptors held in memory (files stay). */
  clear(): void {
    this.memory.clear();
  }
}
