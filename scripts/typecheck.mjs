#!/usr/bin/env node
// `npm run typecheck`: every TypeScript project that tsconfig.json references (one per
// environment: shared, node, web, web-test), each with its own types, and all of them whatever
// the one before found, so one environment's errors never hide another's. The exit code is 1
// if any project has errors.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const solution = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
if (solution.error) {
  process.stderr.write(`${ts.flattenDiagnosticMessageText(solution.error.messageText, ' ')}\n`);
  process.exit(1);
}
const projects = (solution.config.references ?? []).map((reference) => reference.path);

const failed = [];
for (const project of projects) {
  process.stdout.write(`tsc --noEmit -p ${project}\n`);
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: root, stdio: 'inherit' });
  if (run.error !== undefined || run.status !== 0) failed.push(project);
}
if (failed.length > 0) process.stdout.write(`Type errors in ${failed.join(', ')}.\n`);
process.exit(failed.length > 0 ? 1 : 0);
