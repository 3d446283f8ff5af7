#!/usr/bin/env node
// `npm test`: every suite runs, whatever the one before it did, so that one failure never
// hides the others' results (a `&&` chain stops at the first). The exit code is 1 if any
// suite failed, and the last lines say which.
import { spawnSync } from 'node:child_process';

const SUITES = [
  { name: 'typecheck (every environment of tsconfig.json)', command: 'node', args: ['scripts/typecheck.mjs'] },
  { name: 'unit and suite tests (vitest)', command: 'vitest', args: ['run'] },
  { name: 'end-to-end tests (Playwright)', command: 'playwright', args: ['test'] },
];

const results = SUITES.map((suite) => {
  process.stdout.write(`\n=== ${suite.name}: ${suite.command} ${suite.args.join(' ')}\n`);
  // npm puts node_modules/.bin on PATH for its scripts; Windows needs a shell to run the .cmd shims.
  const run = spawnSync(suite.command, suite.args, { stdio: 'inherit', shell: process.platform === 'win32' });
  const failed = run.error !== undefined || run.status !== 0;
  const how = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  return { name: suite.name, failed, how };
});

process.stdout.write('\n=== Suites\n');
for (const result of results) process.stdout.write(`${result.failed ? 'FAILED' : 'ok    '}  ${result.name}${result.failed ? ` (${result.how})` : ''}\n`);
process.exit(results.some((result) => result.failed) ? 1 : 0);
