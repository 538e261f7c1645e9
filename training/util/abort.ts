/**
 * The one abort error: a run stopped through an AbortSignal throws the runtime's `AbortError`
 * (the same class `ImNetDecoder` and `ImplicitShape` reject with), so callers test for one thing.
 */
import { AbortError } from '#core';

export { AbortError };

/** Throws an `AbortError` saying `what` stopped, when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new AbortError(what);
}
