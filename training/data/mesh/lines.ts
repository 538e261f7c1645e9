/** Line-by-line reading of text mesh formats without splitting a large file into one big array. */

/** Calls `visit(line, lineNumber)` for each line (1-based), without its end-of-line characters. */
export function forEachLine(text: string, visit: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    visit(line, lineNumber++);
    start = end + 1;
  }
}

const WHITESPACE = /\s+/;

/** The whitespace-separated tokens of a line, comments (`#` to the end) removed. */
export function tokens(line: string): string[] {
  const hash = line.indexOf('#');
  const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
  return content.length ? content.split(WHITESPACE) : [];
}

/** A token as a finite number, or NaN (never the 0 that `Number('')` gives). */
export function toNumber(token: string | undefined): number {
  return token === undefined || token === '' ? NaN : Number(token);
}
