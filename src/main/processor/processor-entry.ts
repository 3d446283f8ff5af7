import { parseArgs } from 'node:util';
import { runDeckService } from './deck-service';
import { runProcessorProtocol } from './protocol-adapter';

/**
 * The processor as its own entry (out/main/processor.js), for hosts that start it directly
 * (the Electron app, as Node), with the same commands and exit codes as `altgen`:
 * - `processor.js process <deck> --output <file> --config <file> [--final-output <file>]`: one deck;
 * - `processor.js process-decks --config <file>`: a batch's long-lived processor, taking decks
 *   from its runner over IPC (deck-service.ts).
 * Only a batch runner starts it, and a runner always names its settings, so --config is
 * required: this entry never looks for a config.yaml of its own.
 */
const usage = 'usage: processor.js process <deck> --output <file> --config <file> [--final-output <file>] | processor.js process-decks --config <file>';
let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { output: { type: 'string' }, config: { type: 'string' }, 'final-output': { type: 'string' } },
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}\n`);
  process.exit(2);
}
const [command, deck] = parsed.positionals;
const { output, config } = parsed.values;
if (command === 'process-decks' && config) {
  // Once its runner is gone there is nothing left to finish: exit at once.
  process.exit(await runDeckService(config, { stderr: process.stderr, cwd: process.cwd(), env: process.env }));
}
if (command !== 'process' || !deck || !output || !config) {
  process.stderr.write(`${usage}\n`);
  process.exit(2);
}
process.exitCode = await runProcessorProtocol(
  deck,
  { output, settings: { kind: 'file', path: config }, finalOutput: parsed.values['final-output'] },
  { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env },
);
