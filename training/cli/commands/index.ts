/** The `imnet` subcommands, by name: one file per command in this folder. */
import type { Command } from '../args.js';
import { prepareCommand } from './prepare.js';
import { trainCommand } from './train.js';
import { ganCommand } from './gan.js';
import { exportCommand } from './export.js';
import { evalCommand } from './eval.js';
import { generateCommand } from './generate.js';
import { sheetCommand } from './sheet.js';
import { lfdCommand } from './lfd.js';
import { reportCommand } from './report.js';
import { digitsCommand } from './digits.js';
import { curvesCommand } from './curves.js';

export type { Command, FlagSpec, ParsedArgs, PositionalSpec } from '../args.js';

export const COMMANDS: Record<string, Command> = {
  generate: generateCommand,
  prepare: prepareCommand,
  train: trainCommand,
  gan: ganCommand,
  export: exportCommand,
  eval: evalCommand,
  curves: curvesCommand,
  sheet: sheetCommand,
  lfd: lfdCommand,
  report: reportCommand,
  digits: digitsCommand,
};
