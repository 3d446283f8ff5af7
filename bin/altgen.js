#!/usr/bin/env node
// Runs the built CLI (`npm install` builds it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('altgen: the CLI is not built yet; run `npm run build` in the project folder.\n');
  process.exit(70);
}
await import(entry.href);
