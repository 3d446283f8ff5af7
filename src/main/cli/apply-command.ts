import path from 'node:path';
import { BatchError } from '../batch/batch-error';
import { loadConfig } from '../config/load-config';
import { applyReport, readReport } from '../processor/apply-edits';
import { writeReports } from '../processor/report';
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
  if (input === output) throw new BatchError('EUSAGE', '--output must differ from the deck: inputs are never modified.');
  // Only the command touches JSON files: the report read here, the copy's written beside it.
  const applied = await applyReport(input, await readReport(path.resolve(io.cwd, report)), output, config.limits);
  const reports = await writeReports(output, applied.report);
  io.stdout.write(`Applied ${applied.changed} edited description(s) to ${applied.output}\nReports: ${reports.join(', ')}\n`);
  return EXIT.ok;
}
