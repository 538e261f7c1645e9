/** `npx tsx training/cli/imnet.ts <command> ...`: the CLI without the bin launcher (see main.ts). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
