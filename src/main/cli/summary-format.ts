import path from 'node:path';
import type { PictureCounts, QueueItem, StatusCounts } from '../../shared/batch-types';
import { hasModelFailures } from '../../shared/batch-types';
import { formatDuration } from '../../shared/time-format';
import { filesToResume } from '../batch/batch-catalog';
import type { BatchSummary } from '../batch/batch-runner';
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

/** How the user invoked us, so the printed command runs exactly as printed. */
export function commandName(env: NodeJS.ProcessEnv = process.env): string {
  return env['npm_command'] === 'exec' ? 'npx altgen' : 'altgen';
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

function successRate(counts: StatusCounts): string {
  return counts.total === 0 ? '0.0%' : `${((counts.complete / counts.total) * 100).toFixed(1)}%`;
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
  if (summary.dry_run || review === 0) lines.push(`  Success:   ${successRate(counts)}`);
  lines.push('');
  if (!summary.dry_run) lines.push(...pictureLines(summary.pictures), '');
  if (summary.dry_run_totals) {
    const t = summary.dry_run_totals;
    lines.push(`Dry run: ${t.decks} decks, ${t.pictures} pictures, ${t.pictures_missing_alt} need alt text`, '');
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
          ? `  ✅ ok      ${name(item)}: ${inspection.slides} slides, ${inspection.pictures} pictures, ${inspection.pictures_missing_alt} need alt text`
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
