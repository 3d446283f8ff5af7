import path from 'node:path';
import { loadConfig } from '../config/load-config';
import { applyEdits } from '../processor/apply-edits';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';

/** `altgen apply <deck> <edited .alt-text.json> --output <file>`: writes reviewed alt text back. */
export async function runApplyCommand(
  deck: string,
  report: string,
  options: { readonly output: string; readonly config?: string },
  io: CommandIo,
): Promise<ExitCode> {
  const { config } = await loadConfig({ explicit: options.config, cwd: io.cwd, env: io.env });
  const input = path.resolve(io.cwd, deck);
  const output = path.resolve(io.cwd, options.output);
  if (input === output) throw Object.assign(new Error('--output must differ from the deck: inputs are never modified.'), { code: 'EUSAGE' });
  const result = await applyEdits(input, path.resolve(io.cwd, report), output, config.limits);
  io.stdout.write(`Applied ${result.changed} edited description(s) to ${result.output}\nReports: ${result.reports.join(', ')}\n`);
  return EXIT.ok;
}
