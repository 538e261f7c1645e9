#!/usr/bin/env node
// `imnet` from a clone, without a build: runs the TypeScript CLI through tsx's loader (a devDependency).
// The package's bin is the built dist/training/imnet.js, which needs neither tsx nor TypeScript.
import { register } from 'tsx/esm/api';

register();
// stdout carries results (tables, --json); the runtime's notices (its backend line) go to stderr with the logs.
console.info = console.error;
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
