/** `npx tsx training/cli/imnet.ts <command> ...`: the CLI without the bin launcher (see main.ts). */
import { main } from './main.js';

// stdout carries results (tables, --json); the runtime's notices (its backend line) go to stderr with the logs.
console.info = console.error;
process.exitCode = await main(process.argv.slice(2));
