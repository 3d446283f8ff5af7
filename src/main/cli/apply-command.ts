import path from 'node:path';
import { BatchError } from '../batch/batch-error';
import { loadConfig } from '../config/load-config';
import { applyReport, readReport } from '../processor/apply-edits';
import { writeReports } from '../processor/report';
import type { CommandIo } from './batch-command';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';

/**
 * `altgen apply <deck> <edited .alt-text.json> --output <file>`: writes reviewed alt text back
 * into one deck. (`altgen apply --output-dir …` applies a batch's review: review-command.ts.)
 */
export async function runApplyCommand(
  deck: string | undefined,
  report: string | undefined,
  options: { readonly output?: string; readonly config?: string },
  io: CommandIo,
): Promise<ExitCode> {
  if (deck === undefined || report === undefined || options.output === undefined) {
    throw new BatchError('EUSAGE', 'Give a deck, its edited .alt-text.json and --output <file>, or --output-dir <folder> to apply the review of a batch.');
  }
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
