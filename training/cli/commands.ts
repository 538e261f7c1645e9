/** The `imnet` subcommands, by name. Each lives with the stage it runs. */
import type { Command } from './args.js';
import { prepareCommand } from '../prepare/prepareCommand.js';
import { trainCommand } from '../train/trainCommand.js';
import { ganCommand } from '../gan/ganCommand.js';
import { exportCommand } from '../export/exportCommand.js';
import { evalCommand } from '../eval/evalCommand.js';
import { generateCommand } from '../procedural/generateCommand.js';
import { sheetCommand } from '../eval/sheetCommand.js';

export type { Command, FlagSpec, ParsedArgs, PositionalSpec } from './args.js';

export const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  prepare: prepareCommand,
  train: trainCommand,
  gan: ganCommand,
  export: exportCommand,
  eval: evalCommand,
  sheet: sheetCommand,
};
