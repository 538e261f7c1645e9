/** The one in-process runner of the `imnet` command line for tests: `main` with in-memory streams. */
import { main } from '../../../training/cli/main.js';

/** What a run printed and its exit code. */
export interface ImnetRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `imnet ...args` in this process and resolves to its exit code and output. */
export async function imnet(...args: string[]): Promise<ImnetRun> {
  const printed = { stdout: '', stderr: '' };
  const status = await main(args, {
    stdout: { write: (text: string) => (printed.stdout += text) },
    stderr: { write: (text: string) => (printed.stderr += text) },
  });
  return { status, ...printed };
}
