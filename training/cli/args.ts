/**
 * Typed flags for the `imnet` subcommands, on top of node's `util.parseArgs`: each command declares
 * its flags once, and the same declaration parses, validates, fills defaults and prints `--help`.
 * Every mistake is a `UsageError` (exit code 2) saying what was expected and what came.
 */
import { parseArgs } from 'node:util';

/** A parsed flag's value. */
export type FlagValue = string | number | boolean;

/** One `--flag` of a command. */
export interface FlagSpec {
  /** Kebab-case name without the dashes: `test-fraction` is `--test-fraction`. */
  name: string;
  /** `integer` and `number` are parsed and range-checked; `boolean` takes no value. */
  type: 'string' | 'integer' | 'number' | 'boolean';
  /** One line for `--help`. */
  description: string;
  /** Used when the flag is absent (and shown in `--help`). */
  default?: FlagValue;
  /** The flag must be given. */
  required?: boolean;
  /** Allowed values (strings, or numbers written as strings). */
  choices?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** Placeholder in `--help`, e.g. `dir` in `--out <dir>`. */
  valueName?: string;
}

/** A positional argument of a command. */
export interface PositionalSpec {
  name: string;
  description: string;
  /** Default true. */
  required?: boolean;
}

/** What a command's `run` receives: flags by name (defaults filled in), positionals in order. */
export interface ParsedArgs {
  flags: Record<string, FlagValue | undefined>;
  positionals: string[];
}

/** A subcommand of `imnet`. */
export interface Command {
  /** One line for `imnet --help`. */
  summary: string;
  /** The synopsis, e.g. `imnet prepare <meshes-dir> --out <dataset-dir> [flags]`, plus any notes. */
  usage: string;
  flags: FlagSpec[];
  positionals?: PositionalSpec[];
  /** Does the work; resolves to the process exit code. May throw `UsageError` (exit 2). */
  run(args: ParsedArgs): Promise<number>;
}

/** A command line that does not match the command's flags: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses `argv` (after the subcommand) against `command`'s flags; throws `UsageError` when it does not fit. */
export function parseCommandArgs(argv: string[], command: Command): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const flag of command.flags) options[flag.name] = { type: flag.type === 'boolean' ? 'boolean' : 'string' };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    throw new UsageError(describeParseError(error as NodeJS.ErrnoException, command));
  }
  const flags: Record<string, FlagValue | undefined> = {};
  for (const flag of command.flags) {
    const raw = parsed.values[flag.name];
    if (raw === undefined) {
      if (flag.required) throw new UsageError(`missing --${flag.name} <${flag.valueName ?? flag.type}>: ${flag.description}`);
      flags[flag.name] = flag.default;
      continue;
    }
    flags[flag.name] = typeof raw === 'boolean' ? raw : convert(flag, raw);
  }
  const specs = command.positionals ?? [];
  const required = specs.filter((p) => p.required !== false).length;
  if (parsed.positionals.length < required) {
    const missing = specs.slice(parsed.positionals.length).filter((p) => p.required !== false);
    throw new UsageError(`missing <${missing[0].name}>: ${missing[0].description}`);
  }
  if (parsed.positionals.length > specs.length) {
    const extra = parsed.positionals.slice(specs.length).map((p) => `'${p}'`).join(' ');
    throw new UsageError(`unexpected argument ${extra}; expected ${specs.length ? specs.map((p) => `<${p.name}>`).join(' ') : 'no positional arguments'} and flags`);
  }
  return { flags, positionals: parsed.positionals };
}

function convert(flag: FlagSpec, raw: string): FlagValue {
  if (flag.choices && !flag.choices.includes(raw)) {
    throw new UsageError(`--${flag.name} ${JSON.stringify(raw)}: expected one of ${flag.choices.join(', ')}`);
  }
  if (flag.type === 'string') return raw;
  const value = flag.type === 'integer' ? (/^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN) : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${flag.name} ${JSON.stringify(raw)}: expected ${flag.type === 'integer' ? 'an integer' : 'a number'}`);
  if ((flag.min !== undefined && value < flag.min) || (flag.max !== undefined && value > flag.max)) {
    throw new UsageError(`--${flag.name} ${raw}: expected ${flag.type === 'integer' ? 'an integer' : 'a number'} in [${flag.min ?? '-inf'}, ${flag.max ?? 'inf'}]`);
  }
  return value;
}

function describeParseError(error: NodeJS.ErrnoException, command: Command): string {
  const known = command.flags.map((f) => `--${f.name}`).join(', ');
  const flag = /'(-[^']*)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown flag ${flag ?? ''}; expected one of: ${known}, --help`;
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const spec = command.flags.find((f) => flag?.includes(`--${f.name}`));
    if (spec?.type === 'boolean') return `--${spec.name} takes no value`;
    return spec ? `--${spec.name} needs a value: <${spec.valueName ?? spec.type}>` : `${flag ?? 'a flag'} needs a value`;
  }
  return error.message;
}

/** `--help` text of a command. */
export function formatCommandHelp(name: string, command: Command): string {
  const lines = [`${command.summary}`, '', `Usage: ${command.usage}`, ''];
  if (command.positionals?.length) {
    lines.push('Arguments:');
    for (const p of command.positionals) lines.push(`  <${p.name}>`.padEnd(30) + p.description);
    lines.push('');
  }
  lines.push('Flags:');
  for (const flag of [...command.flags, { name: 'help', type: 'boolean', description: `this help for 'imnet ${name}'` } as FlagSpec]) {
    const value = flag.type === 'boolean' ? '' : ` <${flag.valueName ?? (flag.choices ? flag.choices.join('|') : flag.type)}>`;
    const notes: string[] = [];
    if (flag.required) notes.push('required');
    if (flag.default !== undefined && flag.default !== false) notes.push(`default ${flag.default}`);
    const head = `  --${flag.name}${value}`;
    lines.push(head.length < 30 ? head.padEnd(30) + flag.description + (notes.length ? ` (${notes.join('; ')})` : '') :
      `${head}\n${' '.repeat(30)}${flag.description}${notes.length ? ` (${notes.join('; ')})` : ''}`);
  }
  return lines.join('\n');
}
