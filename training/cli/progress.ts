/**
 * A progress bar with rate and ETA on stderr. On a terminal it redraws one line (at most 10 times a
 * second); elsewhere (CI logs, pipes) it prints a plain line every 10% or 30 s, so logs stay readable.
 * `log()` prints a message without tearing the bar. Hand-written: the behaviour above is a screenful,
 * and the npm bars print their bar characters into non-TTY logs.
 */

/** Options of `ProgressBar`. */
export interface ProgressOptions {
  /** Shown before the bar, e.g. `prepare`. */
  label: string;
  /** Units of work in this run. */
  total: number;
  /** What a unit is, for the rate (`shapes` gives `1.2 shapes/s`). Default `items`. */
  unit?: string;
  /** Where to draw. Default process.stderr. */
  stream?: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** Override terminal detection (tests). */
  tty?: boolean;
  /** Clock in ms (tests). Default performance.now. */
  now?: () => number;
}

export class ProgressBar {
  private done = 0;
  /** Units done before this run started (a resume's), in the count but not in the rate. */
  private skipped = 0;
  private readonly start: number;
  private lastDraw = -Infinity;
  private lastPlainDecile = 0;
  private lastPlainDone = -1;
  private lastPlainTime: number;
  private detail = '';
  private readonly tty: boolean;
  private readonly stream: NonNullable<ProgressOptions['stream']>;
  private readonly now: () => number;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean((this.stream as { isTTY?: boolean }).isTTY);
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.lastPlainTime = this.start;
  }

  /** Units finished so far. */
  get completed(): number {
    return this.done;
  }

  /** Records `count` more finished units; `detail` (e.g. the last file) is shown after the ETA. */
  tick(count = 1, detail = ''): void {
    this.done += count;
    this.detail = detail;
    this.draw(false);
  }

  /**
   * Records `count` units finished before this run (a resumed job's earlier work): they count toward
   * the total, but not toward the rate, so the ETA is this run's.
   */
  skip(count: number): void {
    this.done += count;
    this.skipped += count;
    this.draw(false);
  }

  /** Prints a line above the bar. */
  log(line: string): void {
    if (this.tty) this.stream.write('\r\x1b[K');
    this.stream.write(line + '\n');
    if (this.tty) this.draw(true);
  }

  /** Draws the final state and ends the line. */
  finish(): void {
    this.draw(true);
    if (this.tty) this.stream.write('\n');
  }

  /** `12/30 40% 1.3 shapes/s ETA 0:14` (the text shared by both modes). */
  status(): string {
    const { total, unit = 'items' } = this.options;
    const seconds = (this.now() - this.start) / 1000;
    const rate = seconds > 0 ? (this.done - this.skipped) / seconds : 0;
    const percent = total > 0 ? Math.floor((100 * this.done) / total) : 100;
    const eta = rate > 0 ? formatDuration((total - this.done) / rate) : '?';
    return `${this.done}/${total} ${percent}% ${rate.toFixed(rate < 10 ? 2 : 1)} ${unit}/s ETA ${this.done >= total ? '0:00' : eta} elapsed ${formatDuration(seconds)}`;
  }

  private draw(force: boolean): void {
    const time = this.now();
    const { total, label } = this.options;
    if (this.tty) {
      if (!force && time - this.lastDraw < 100 && this.done < total) return;
      this.lastDraw = time;
      const width = 24;
      const filled = total > 0 ? Math.round((width * Math.min(this.done, total)) / total) : width;
      const line = `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.status()} ${this.detail}`;
      const columns = (this.stream as { columns?: number }).columns ?? 120;
      this.stream.write(`\r\x1b[K${line.slice(0, columns - 1)}`);
      return;
    }
    const decile = total > 0 ? Math.floor((10 * this.done) / total) : 10;
    const due = force ? this.done !== this.lastPlainDone : decile > this.lastPlainDecile || time - this.lastPlainTime > 30_000;
    if (!due) return;
    this.stream.write(`${label} ${this.status()}\n`);
    this.lastPlainDecile = decile;
    this.lastPlainDone = this.done;
    this.lastPlainTime = time;
  }
}

/** Seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}
