import { fileURLToPath } from 'node:url';
import { runCli } from './cli-program';

// In the build, the processor entry sits beside this file (see built-in-processor.ts).
process.env['ALTGEN_PROCESSOR_ENTRY'] ??= fileURLToPath(new URL('./processor.js', import.meta.url));

/** The `altgen` entry point (bin/altgen.js loads the built copy of this file). */
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
process.exitCode = code;
