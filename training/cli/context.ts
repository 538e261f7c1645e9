/**
 * Where a command's output goes. `main` gets `{ stdout, stderr }` injected (the process's by default,
 * buffers in tests), and every command writes through the context built on them: results on stdout,
 * progress and diagnostics on stderr.
 */
import { ProgressBar, type ProgressOptions } from './progress.js';

/** A text sink: a process stream, or anything with `write` (tests collect into strings). */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The two streams a command writes to. */
export interface CommandIO {
  stdout: OutputStream;
  stderr: OutputStream;
}

/** What `run` writes through. */
export interface CommandContext {
  readonly io: CommandIO;
  /** A line on stderr: progress, choices made, where files went. */
  log(line: string): void;
  /** A line on stdout: the command's result (e.g. `imnet eval`'s table). */
  print(line: string): void;
  /** A progress bar on stderr. */
  progress(options: Omit<ProgressOptions, 'stream'>): ProgressBar;
}

/** The process's own streams. */
export const processIO = (): CommandIO => ({ stdout: process.stdout, stderr: process.stderr });

export function commandContext(io: CommandIO): CommandContext {
  return {
    io,
    log: (line) => void io.stderr.write(line + '\n'),
    print: (line) => void io.stdout.write(line + '\n'),
    progress: (options) => new ProgressBar({ ...options, stream: io.stderr }),
  };
}
