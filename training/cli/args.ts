/**
 * Typed flags for the `imnet` subcommands, on top of node's `util.parseArgs`: each command declares
 * its flags once, and the same declaration parses, validates, fills defaults, prints `--help` and
 * types what `run` receives (`defineCommand` infers `flags.batchSize: number` from
 * `{ name: 'batch-size', type: 'integer', default: 8 }`). Every mistake is a `UsageError` (exit
 * code 2) saying what was expected and what came.
 */
import { parseArgs } from 'node:util';
import type { CommandContext } from './context.js';

/** A parsed flag's value. */
export type FlagValue = string | number | boolean;

/** How a flag's value is read: `integer` and `number` are parsed and range-checked; `boolean` takes no value. */
export type FlagType = 'string' | 'integer' | 'number' | 'boolean';

/** One `--flag` of a command. */
export interface FlagSpec {
  /** Kebab-case name without the dashes: `test-fraction` is `--test-fraction`, and `flags.testFraction` in `run`. */
  name: string;
  type: FlagType;
  /** One line for `--help`. */
  description: string;
  /** Used when the flag is absent (and shown in `--help`). Take it from the library's defaults object. */
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
  /** The last positional only: it takes this and every further argument (at least one when required). */
  variadic?: boolean;
}

/** `test-fraction` -> `testFraction`. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${CamelCase<Capitalize<Tail>>}` : S;

/** Numbers with choices (`['16', '32', '64']`) are those number literals; strings with choices, those string literals. */
type BaseValue<T extends FlagType, Choices> =
  T extends 'boolean' ? boolean
  : T extends 'integer' | 'number' ? (Choices extends readonly (infer C extends string)[] ? (C extends `${infer N extends number}` ? N : number) : number)
  : Choices extends readonly (infer C extends string)[] ? C : string;

/** A flag's value in `run`: absent only when the flag has no default, is not required and is not a boolean. */
type ValueOf<F extends FlagSpec> = F extends { default: FlagValue } | { required: true } | { type: 'boolean' }
  ? BaseValue<F['type'], F['choices']>
  : BaseValue<F['type'], F['choices']> | undefined;

/** Flags by camel-cased name, typed from their specs. */
export type FlagValues<Flags extends readonly FlagSpec[]> = { [F in Flags[number] as CamelCase<F['name']>]: ValueOf<F> };

/** Positionals in order; optional ones may be undefined; a variadic last one is every argument from there on. */
type FixedPositionalValues<P extends readonly PositionalSpec[]> = { [K in keyof P]: P[K] extends { required: false } ? string | undefined : string };
export type PositionalValues<P extends readonly PositionalSpec[]> = P extends readonly [...infer Head extends readonly PositionalSpec[], { variadic: true }]
  ? [...FixedPositionalValues<Head>, string, ...string[]]
  : FixedPositionalValues<P>;

/** What a command's `run` receives: flags by camel-cased name (defaults filled in), positionals in order. */
export interface ParsedArgs<Flags extends readonly FlagSpec[] = readonly FlagSpec[], P extends readonly PositionalSpec[] = readonly PositionalSpec[]> {
  flags: FlagValues<Flags>;
  positionals: PositionalValues<P>;
}

/** A subcommand of `imnet`. */
export interface Command<Flags extends readonly FlagSpec[] = readonly FlagSpec[], P extends readonly PositionalSpec[] = readonly PositionalSpec[]> {
  /** One line for `imnet --help`. */
  summary: string;
  /** The synopsis, e.g. `imnet prepare <meshes-dir> --out <dataset-dir> [flags]`. */
  usage: string;
  /** What the command does and writes, for `--help` (lines of at most ~110 characters). */
  about?: string;
  flags: Flags;
  positionals?: P;
  /** Does the work; resolves to the process exit code. May throw `UsageError` (exit 2). Output goes through `context`. */
  run(args: ParsedArgs<Flags, P>, context: CommandContext): Promise<number>;
}

/** Declares a command; its flags' and positionals' types flow into `run`. */
export function defineCommand<const Flags extends readonly FlagSpec[], const P extends readonly PositionalSpec[] = readonly []>(command: Command<Flags, P>): Command {
  return command;
}

/** A command line that does not match the command's flags: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const camelCase = (name: string): string => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Parses `argv` (after the subcommand) against `command`'s flags; throws `UsageError` when it does not fit. */
export function parseCommandArgs<Flags extends readonly FlagSpec[], P extends readonly PositionalSpec[]>(argv: string[], command: Command<Flags, P>): ParsedArgs<Flags, P> {
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
      flags[camelCase(flag.name)] = flag.default ?? (flag.type === 'boolean' ? false : undefined);
      continue;
    }
    flags[camelCase(flag.name)] = typeof raw === 'boolean' ? raw : convert(flag, raw);
  }
  const specs: readonly PositionalSpec[] = command.positionals ?? [];
  const required = specs.filter((p) => p.required !== false).length;
  if (parsed.positionals.length < required) {
    const missing = specs.slice(parsed.positionals.length).filter((p) => p.required !== false);
    throw new UsageError(`missing <${missing[0].name}>: ${missing[0].description}`);
  }
  if (parsed.positionals.length > specs.length && !specs.at(-1)?.variadic) {
    const extra = parsed.positionals.slice(specs.length).map((p) => `'${p}'`).join(' ');
    throw new UsageError(`unexpected argument ${extra}; expected ${specs.length ? specs.map((p) => `<${p.name}>`).join(' ') : 'no positional arguments'} and flags`);
  }
  return { flags, positionals: parsed.positionals } as unknown as ParsedArgs<Flags, P>;
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

function describeParseError(error: NodeJS.ErrnoException, command: Command<readonly FlagSpec[], readonly PositionalSpec[]>): string {
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
export function formatCommandHelp(name: string, command: Command<readonly FlagSpec[], readonly PositionalSpec[]>): string {
  const lines = [`${command.summary}`, '', `Usage: ${command.usage}`, ''];
  if (command.about) lines.push(command.about.trim(), '');
  if (command.positionals?.length) {
    lines.push('Arguments:');
    for (const p of command.positionals) lines.push(`  <${p.name}>${p.variadic ? '...' : ''}`.padEnd(30) + p.description);
    lines.push('');
  }
  lines.push('Flags:');
  const help: FlagSpec = { name: 'help', type: 'boolean', description: `this help for 'imnet ${name}'` };
  for (const flag of [...command.flags, help]) {
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
