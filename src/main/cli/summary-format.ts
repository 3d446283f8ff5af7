import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { PictureCounts, QueueItem, StatusCounts } from '../../shared/batch-types';
import { hasModelFailures } from '../../shared/batch-types';
import { formatDuration } from '../../shared/time-format';
import { filesToResume } from '../batch/batch-catalog';
import type { BatchSummary } from '../batch/batch-runner';
import { auditTotalsLine, deckAuditNote } from './audit-format';
import { hasUnprintable, printable } from './printable';

const RULE = '='.repeat(60);

/**
 * Quotes one argument so a POSIX shell or cmd.exe reads it back unchanged, on one line: an
 * argument with control characters (a newline in a folder name) is written `$'…'` with escapes,
 * which bash and zsh read back as the same characters.
 */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
  // A backslash is safe unquoted only for cmd.exe: a POSIX shell takes it as an escape.
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (hasUnprintable(arg)) return `$'${printable(arg.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Whether a command called `altgen` is on PATH for good (a global install: `npm install -g .`
 * or `npm link`). A `node_modules/.bin` folder is not: npm and npx put those on PATH only while
 * they run a command (npx links this project into one under ~/.npm/_npx).
 */
function altgenOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const names = platform === 'win32' ? ['altgen.cmd', 'altgen.exe', 'altgen'] : ['altgen'];
  const pathApi = platform === 'win32' ? path.win32 : path.posix;
  const transient = (dir: string) => pathApi.basename(dir) === '.bin' && pathApi.basename(pathApi.dirname(dir)) === 'node_modules';
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(pathApi.delimiter).filter((dir) => pathApi.isAbsolute(dir) && !transient(dir));
  return dirs.some((dir) => names.some((name) => existsSync(path.join(dir, name))));
}

/**
 * How to run this altgen again from any folder, so a printed command works wherever it is
 * pasted: `altgen` when that name is on PATH; otherwise this program's own `bin/altgen.js` by
 * its full path (`npx altgen` works only inside the project folder: elsewhere npx asks the
 * registry for a package called altgen). Run from the sources (the tests), `altgen`.
 */
export function commandName(env: NodeJS.ProcessEnv = process.env, script: string | undefined = process.argv[1], platform: NodeJS.Platform = process.platform): string {
  if (altgenOnPath(env, platform) || !script) return 'altgen';
  let program: string;
  try {
    program = realpathSync(script);
  } catch {
    return 'altgen';
  }
  const isOurBin = path.basename(program) === 'altgen.js' && path.basename(path.dirname(program)) === 'bin';
  return isOurBin ? `node ${shellQuote(program, platform)}` : 'altgen';
}

/**
 * The seed's resume command, with the --output-dir it forgot (and --config when one was used);
 * with `retryFailed`, the one that also processes the batch's failed files again; with
 * `retryNeedsReview`, the one that also asks the model again about the pictures it failed on.
 */
export function resumeCommand(
  summary: Pick<BatchSummary, 'batch_id' | 'output_dir'>,
  configPath: string | null,
  { retryFailed = false, retryNeedsReview = false }: { readonly retryFailed?: boolean; readonly retryNeedsReview?: boolean } = {},
): string {
  const retries = [...(retryFailed ? ['--retry-failed'] : []), ...(retryNeedsReview ? ['--retry-needs-review'] : [])];
  const args = ['batch', '--resume', ...retries, '--batch-id', summary.batch_id, '--output-dir', summary.output_dir];
  if (configPath) args.push('--config', configPath);
  return `${commandName()} ${args.map((a) => shellQuote(a)).join(' ')}`;
}

/**
 * The commands that take up what a batch left: `resume` when files are pending or were skipped
 * for a lock or PowerPoint (their reason says "resume"), `retry` when files failed,
 * `retryNeedsReview` when the model could not describe some pictures (after a stop because of
 * that, the resume command already asks again, so it is not repeated).
 */
export function nextCommands(
  summary: Pick<BatchSummary, 'batch_id' | 'output_dir' | 'dry_run'> & Partial<Pick<BatchSummary, 'stop_reason'>>,
  items: readonly QueueItem[],
  configPath: string | null,
): { readonly resume: string | null; readonly retry: string | null; readonly retryNeedsReview: string | null } {
  if (summary.dry_run) return { resume: null, retry: null, retryNeedsReview: null };
  const failed = items.some((item) => item.status === 'failed');
  const resume = filesToResume(items) > 0 ? resumeCommand(summary, configPath) : null;
  const modelFailed = items.some(hasModelFailures) && !(summary.stop_reason === 'model-unusable' && resume !== null);
  return {
    resume,
    retry: failed ? resumeCommand(summary, configPath, { retryFailed: true }) : null,
    retryNeedsReview: modelFailed ? resumeCommand(summary, configPath, { retryNeedsReview: true }) : null,
  };
}

/**
 * What happened to the pictures. Files can all be complete while the model described none of
 * their pictures: this says so, where a success rate of files would not.
 */
export function pictureLines(pictures: PictureCounts): string[] {
  const failed = pictures.model_failed > 0 ? ` (the model could not describe ${pictures.model_failed}; nothing was written for them)` : '';
  return [
    'Pictures:',
    `  Described:   ${pictures.described}`,
    `  Need review: ${pictures.needs_review}${pictures.needs_review > 0 ? ' ⚠️' : ''}${failed}`,
    `  Drafted:     ${pictures.drafted}${pictures.drafted > 0 ? ' (written without a model: check them)' : ''}`,
  ];
}

/** The stop message under its label, said once: some messages already begin "Stopped …". */
function stopLine(message: string): string {
  const line = printable(message);
  return /^Stopped\b/.test(line) ? line : `Stopped: ${line}`;
}

/**
 * The share of the files AltGen could work on that it completed. A skipped file (a 97–2003
 * .ppt, a template, a deck locked or open in PowerPoint) is not a failure: it is left out of
 * the rate and said beside it, so a folder whose only miss is an old .ppt reads 100.0%.
 */
export function successLine(counts: StatusCounts): string {
  const attempted = counts.complete + counts.failed;
  if (attempted === 0) return `  Success:   – (no file could be processed${counts.skipped > 0 ? `; ${counts.skipped} skipped` : ''})`;
  const rate = `${((counts.complete / attempted) * 100).toFixed(1)}%`;
  const files = attempted === 1 ? '1 file' : `${attempted} files`;
  return counts.skipped > 0 ? `  Success:   ${rate} (of the ${files} that could be processed; ${counts.skipped} skipped)` : `  Success:   ${rate}`;
}

export function formatSummary(summary: BatchSummary, configPath: string | null, items: readonly QueueItem[]): string {
  const { counts } = summary;
  const lines = [
    RULE,
    summary.dry_run ? 'BATCH DRY RUN SUMMARY' : 'BATCH PROCESSING SUMMARY',
    RULE,
    `Batch ID: ${summary.batch_id}`,
    '',
    'Results:',
    `  Total:     ${counts.total}`,
    `  Completed: ${counts.complete} ✅`,
    `  Failed:    ${counts.failed} ❌`,
    `  Skipped:   ${counts.skipped} ⏭️`,
  ];
  if (counts.pending + counts.processing > 0) lines.push(`  Pending:   ${counts.pending + counts.processing}`);
  // A success rate of files says nothing true while pictures wait for a person.
  const review = summary.pictures.needs_review + summary.pictures.drafted;
  if (summary.dry_run || review === 0) lines.push(successLine(counts));
  lines.push('');
  if (!summary.dry_run) lines.push(...pictureLines(summary.pictures), '');
  if (summary.dry_run_totals) {
    const t = summary.dry_run_totals;
    lines.push(`Dry run: ${t.decks} decks, ${t.pictures} pictures, ${t.pictures_missing_alt} to describe`, auditTotalsLine(t.decks, t.audit), '');
  }
  const long = summary.duration_ms >= 60_000 ? ` (${formatDuration(summary.duration_ms)})` : '';
  lines.push(`Duration: ${(summary.duration_ms / 1000).toFixed(1)}s${long}`, '');
  if (summary.stop_message) lines.push(stopLine(summary.stop_message), '');
  for (const warning of summary.warnings) lines.push(`Warning: ${printable(warning)}`);
  if (summary.warnings.length > 0) lines.push('');
  lines.push(`Manifest: ${printable(summary.manifest_path)}`);
  const next = nextCommands(summary, items, configPath);
  if (next.resume) lines.push(`Resume command: ${next.resume}`);
  if (next.retry) lines.push(`Retry command: ${next.retry}`);
  if (next.retryNeedsReview) lines.push(`Ask the model again: ${next.retryNeedsReview}`);
  lines.push(RULE);
  return lines.join('\n');
}

/** The dry run's verdict for every file, capped so a huge batch does not flood the terminal. */
export function dryRunLines(items: readonly QueueItem[], inputRoot: string | null, limit = 200): string[] {
  const name = (item: QueueItem) => printable(inputRoot ? path.relative(inputRoot, item.path) : item.path);
  const lines = items.slice(0, limit).map((item) => {
    const inspection = item.result?.inspection;
    switch (item.status) {
      case 'complete':
        return inspection
          ? `  ✅ ok      ${name(item)}: ${inspection.slides} slides, ${inspection.pictures} pictures, ${inspection.pictures_missing_alt} to describe${deckAuditNote(inspection.audit)}`
          : `  ✅ ok      ${name(item)}`;
      case 'failed':
        return `  ❌ failed  ${name(item)}: ${printable(item.error ?? '')}`;
      case 'skipped':
        return `  ⏭️ skipped ${name(item)}: ${printable(item.skip_reason ?? '')}`;
      default:
        return `  … ${item.status.padEnd(7)} ${name(item)}`;
    }
  });
  if (items.length > limit) lines.push(`  … and ${items.length - limit} more (see the manifest)`);
  return lines;
}
