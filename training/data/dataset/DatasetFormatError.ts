/** A dataset folder or file that is missing or does not match FORMAT.md; names the path. */
export class DatasetFormatError extends Error {
  override readonly name = 'DatasetFormatError';
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
  }
}
