/**
 * The `imnet` command line's logic: `imnet <command> [flags]`, `imnet <command> --help`.
 * Exit codes: 0 done, 1 failed, 2 the command line was wrong (with what was expected).
 * Entry points: `imnet.mjs` (the package bin) and `imnet.ts` (`npx tsx training/cli/imnet.ts`).
 */
import { readFileSync } from 'node:fs';
import { formatCommandHelp, parseCommandArgs, UsageError } from './args.js';
import { COMMANDS } from './commands/index.js';
import { commandContext, processIO, type CommandIO } from './context.js';

function generalHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 4;
  return [
    'imnet: train IM-NET implicit shape models for babylon-imnet',
    '',
    'Usage: imnet <command> [flags]        imnet <command> --help',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`),
    '',
    'A typical run: imnet prepare meshes/ --out data/ && imnet train data/ --out run/ && imnet export run/ --out weights/mine',
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs the command line `argv` (without `node` and the script) and resolves to the exit code. All
 * output goes to `io` (the process's streams by default).
 */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  const context = commandContext(io);
  const out = context.print;
  const err = context.log;
  const [name, ...rest] = argv;
  if (name === undefined) {
    err(generalHelp());
    err('\nerror: missing <command>; expected one of ' + Object.keys(COMMANDS).join(', '));
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = rest[0];
    if (topic && COMMANDS[topic]) out(formatCommandHelp(topic, COMMANDS[topic]));
    else out(generalHelp());
    return 0;
  }
  if (name === '--version' || name === '-v') {
    out(version());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    err(`error: unknown command '${name}'; expected one of ${Object.keys(COMMANDS).join(', ')} (imnet --help lists them)`);
    return 2;
  }
  const helpAt = rest.findIndex((a) => a === '--help' || a === '-h');
  const dashDash = rest.indexOf('--');
  if (helpAt >= 0 && (dashDash < 0 || helpAt < dashDash)) {
    out(formatCommandHelp(name, command));
    return 0;
  }
  try {
    return await command.run(parseCommandArgs(rest, command), context);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`error: ${error.message}`);
      err(`usage: ${command.usage}   (imnet ${name} --help for all flags)`);
      return 2;
    }
    err(`imnet ${name} failed: ${(error as Error).message ?? String(error)}`);
    if (process.env.IMNET_DEBUG) err((error as Error).stack ?? '');
    return 1;
  }
}
