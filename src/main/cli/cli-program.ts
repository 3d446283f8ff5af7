import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { CommandIo } from './batch-command';
import type { ProcessorExitCode } from '../../shared/processor-protocol';
import type { ReviewExportFormat } from '../../shared/review-types';
import { REVIEW_EXPORT_FORMATS } from '../../shared/review-types';
import type { ExitCode } from './exit-codes';
import { EXIT, exitCodeForError } from './exit-codes';
import { printable } from './printable';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number from 0 (any free port) to 65535');
  return n;
}

function reviewFormat(value: string): ReviewExportFormat {
  if (!(REVIEW_EXPORT_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${REVIEW_EXPORT_FORMATS.join(' or ')}`);
  return value as ReviewExportFormat;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds, 0 or more');
  return n;
}

/**
 * Builds the `altgen` program; `run` resolves to the exit code instead of exiting. Each
 * command's module is loaded only when that command runs, so `altgen process` (once per
 * deck) does not pay for the server or the batch runner.
 */
/** `altgen process` exits with the processor protocol's codes, every other command with `altgen`'s. */
type ProgramExitCode = ExitCode | ProcessorExitCode;

export function buildProgram(io: CommandIo, setExit: (code: ProgramExitCode) => void): Command {
  const program = new Command('altgen')
    .description('Alt text for every picture in your lecture decks, written by a local vision-language model.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run altgen --help for usage)');

  program
    .command('batch')
    .description('Process (or, with --dry-run, validate) a folder or a list of decks')
    .option('--input-dir <dir>', 'folder with decks (searched recursively)')
    .option('--input-files <files...>', 'specific decks')
    .option('--output-dir <dir>', 'output folder (mirrors the input tree)', './batch_output')
    .option('--dry-run', 'validate without processing')
    .option('--resume', 'resume a batch (the most recent unfinished one unless --batch-id)')
    .option('--batch-id <id>', 'the batch to resume')
    .option('--max-workers <n>', 'decks processed at once', positiveInt)
    .option('--max-lock-wait <seconds>', 'how long to wait for a locked deck', nonNegative)
    .option('--config <file>', 'config.yaml to use')
    .option('--retry-failed', 'with --resume: process the failed decks again')
    .option('--retry-needs-review', 'with --resume: process again the decks with pictures the model could not describe')
    .option('--json', 'print the result as JSON on stdout (progress goes to stderr)')
    .action(async (options) => setExit(await (await import('./batch-command')).runBatchCommand(options, io)));

  program
    .command('locks')
    .description('List deck locks and PowerPoint owner files in a folder')
    .option('--directory <dir>', 'folder to look in', '.')
    .option('--clean-stale', 'remove stale locks (never active ones, never PowerPoint files)')
    .option('--json', 'print JSON')
    .action(async (options) => setExit(await (await import('./locks-command')).runLocksCommand(options, io)));

  program
    .command('cleanup')
    .description('Remove manifests of finished batches older than the retention period')
    .option('--output-dir <dir>', 'output folder holding the manifests', './batch_output')
    .option('--max-age-days <n>', 'age in days (default: manifest_retention_days)', positiveInt)
    .option('--dry-run', 'list what would be removed')
    .option('--config <file>', 'config.yaml to use')
    .action(async (options) => setExit(await (await import('./cleanup-command')).runCleanupCommand(options, io)));

  program
    .command('audit')
    .description("Check every deck of a folder for the accessibility problems PowerPoint's Accessibility Checker finds (reads only; writes nothing)")
    .option('--input-dir <dir>', 'folder with decks (searched recursively)')
    .option('--input-files <files...>', 'specific decks')
    .option('--config <file>', 'config.yaml to use')
    .option('--json', 'print the findings as JSON')
    .action(async (options) => setExit(await (await import('./audit-command')).runAuditCommand(options, io)));

  program
    .command('status')
    .description('List the batches in an output folder with their counts')
    .option('--output-dir <dir>', 'output folder holding the manifests', './batch_output')
    .option('--json', 'print JSON')
    .action(async (options) => setExit(await (await import('./status-command')).runStatusCommand(options, io)));

  program
    .command('process')
    .description('Process one deck (the per-file processor a batch runs; prints NDJSON events)')
    .argument('<deck>', 'the deck to make accessible')
    .requiredOption('--output <file>', 'where to write the accessible copy')
    .option('--config <file>', 'config.yaml to use')
    .option('--final-output <file>', 'the name the copy will be renamed to (recorded in the report)')
    .action(async (deck: string, options) => setExit(await (await import('./process-command')).runProcessCommand(deck, options, io)));

  program
    .command('process-decks', { hidden: true })
    .description("A batch's long-lived processor: the decks its runner sends over IPC, one at a time")
    .requiredOption('--config <file>', 'the settings of the batch run')
    .action(async (options: { config: string }) => {
      const { runDeckService } = await import('../processor/deck-service');
      // Once its runner is gone there is nothing left to finish: exit at once.
      process.exit(await runDeckService(options.config, io));
    });

  program
    .command('apply')
    .description("Write a reviewed batch's decisions into its copies (--output-dir), or a reviewed .alt-text.json's descriptions into a copy of one deck")
    .argument('[deck]', 'the deck (original or accessible copy)')
    .argument('[report]', 'the edited <deck>.alt-text.json')
    .option('--output <file>', 'where to write the copy (with <deck> <report>)')
    .option('--output-dir <dir>', "the batch's output folder: apply its review to every copy")
    .option('--batch-id <id>', 'the batch to apply (default: the most recent one with a review)')
    .option('--config <file>', 'config.yaml to use')
    .action(async (deck: string | undefined, report: string | undefined, options) =>
      setExit(
        options.outputDir !== undefined
          ? await (await import('./review-command')).runApplyReviewCommand(deck, options, io)
          : await (await import('./apply-command')).runApplyCommand(deck, report, options, io),
      ),
    );

  program
    .command('review')
    .description("A batch's review: export it for sign-off")
    .command('export')
    .description('Write the review of a batch as a Word document or CSV (per deck and slide: the picture, before, after, decision, reviewed)')
    .requiredOption('--output-dir <dir>', "the batch's output folder")
    .option('--batch-id <id>', 'the batch (default: the most recent one with complete decks)')
    .requiredOption('--format <format>', 'docx or csv', reviewFormat)
    .option('--output <file>', 'where to write it (default: review_<batch id>.<format> in the output folder)')
    .option('--config <file>', 'config.yaml to use')
    .action(async (options) => setExit(await (await import('./review-command')).runReviewExportCommand(options, io)));

  program
    .command('course-report')
    .description("Write a processed batch's accessibility report for the accessibility office: per deck, what was found, fixed, reviewed and left (Word or CSV)")
    .requiredOption('--output-dir <dir>', "the batch's output folder")
    .option('--batch-id <id>', 'the batch (default: the most recent one with complete decks)')
    .requiredOption('--format <format>', 'docx or csv', reviewFormat)
    .option('--output <file>', 'where to write it (default: accessibility_<batch id>.<format> in the output folder)')
    .option('--config <file>', 'config.yaml to use')
    .action(async (options) => setExit(await (await import('./course-report-command')).runCourseReportCommand(options, io)));

  program
    .command('serve')
    .description('Run the app in your browser: serves the UI on 127.0.0.1 and prints its address (with a session token)')
    .option('--port <n>', 'port to listen on (default: any free port)', portNumber)
    .option('--open', 'open the address in the default browser')
    .option('--config <file>', 'config.yaml to use and to save settings into (default: your user config.yaml)')
    .option('--new-token', 'forget the stored session token: old addresses and bookmarks stop working')
    .action(async (options) => setExit(await (await import('./serve-command')).runServeCommand(options, io)));

  return program;
}

/** Runs the CLI with argv (without node and script); never throws. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<ProgramExitCode> {
  let exitCode: ProgramExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`altgen: ${printable(message.replace(/\s+/g, ' ').trim())}\n`);
    const code = exitCodeForError(error);
    if (code === EXIT.internal && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return code;
  }
}
