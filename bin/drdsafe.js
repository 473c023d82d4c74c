#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` produces dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('drdsafe is not built: run `npm run build` in the project folder first.\n');
  process.exit(2);
}
const { runCli } = await import(entry.href);
await runCli();
