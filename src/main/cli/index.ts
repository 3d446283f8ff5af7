import { runCli } from './cli-program';

/** The `altgen` entry point (bin/altgen.js loads the built copy of this file). */
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
