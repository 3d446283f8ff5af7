import path from 'node:path';
import type { QueueItem, StatusCounts } from '../../shared/batch-types';
import { formatDuration } from '../../shared/time-format';
import type { BatchSummary } from '../batch/batch-runner';

const RULE = '='.repeat(60);

/** Quotes one argument so a POSIX shell or cmd.exe reads it back unchanged. */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${arg.replace(/"/g, '""')}"`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** How the user invoked us, so the printed command runs exactly as printed. */
export function commandName(env: NodeJS.ProcessEnv = process.env): string {
  return env['npm_command'] === 'exec' ? 'npx altgen' : 'altgen';
}

/** The seed's resume command, with the --output-dir it forgot (and --config when one was used). */
export function resumeCommand(summary: Pick<BatchSummary, 'batch_id' | 'output_dir'>, configPath: string | null): string {
  const args = ['batch', '--resume', '--batch-id', summary.batch_id, '--output-dir', summary.output_dir];
  if (configPath) args.push('--config', configPath);
  return `${commandName()} ${args.map((a) => shellQuote(a)).join(' ')}`;
}

function successRate(counts: StatusCounts): string {
  return counts.total === 0 ? '0.0%' : `${((counts.complete / counts.total) * 100).toFixed(1)}%`;
}

export function formatSummary(summary: BatchSummary, configPath: string | null): string {
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
  lines.push(`  Success:   ${successRate(counts)}`, '');
  if (summary.dry_run_totals) {
    const t = summary.dry_run_totals;
    lines.push(`Dry run: ${t.decks} decks, ${t.pictures} pictures, ${t.pictures_missing_alt} need alt text`, '');
  }
  const long = summary.duration_ms >= 60_000 ? ` (${formatDuration(summary.duration_ms)})` : '';
  lines.push(`Duration: ${(summary.duration_ms / 1000).toFixed(1)}s${long}`, '');
  if (summary.stop_message) lines.push(`Stopped: ${summary.stop_message}`, '');
  for (const warning of summary.warnings) lines.push(`Warning: ${warning}`);
  if (summary.warnings.length > 0) lines.push('');
  lines.push(`Manifest: ${summary.manifest_path}`);
  if (summary.stop_reason !== 'finished' && !summary.dry_run) lines.push(`Resume command: ${resumeCommand(summary, configPath)}`);
  lines.push(RULE);
  return lines.join('\n');
}

/** The dry run's verdict for every file, capped so a huge batch does not flood the terminal. */
export function dryRunLines(items: readonly QueueItem[], inputRoot: string | null, limit = 200): string[] {
  const name = (item: QueueItem) => (inputRoot ? path.relative(inputRoot, item.path) : item.path);
  const lines = items.slice(0, limit).map((item) => {
    const inspection = item.result?.inspection;
    switch (item.status) {
      case 'complete':
        return inspection
          ? `  ✅ ok      ${name(item)}: ${inspection.slides} slides, ${inspection.pictures} pictures, ${inspection.pictures_missing_alt} need alt text`
          : `  ✅ ok      ${name(item)}`;
      case 'failed':
        return `  ❌ failed  ${name(item)}: ${item.error ?? ''}`;
      case 'skipped':
        return `  ⏭️ skipped ${name(item)}: ${item.skip_reason ?? ''}`;
      default:
        return `  … ${item.status.padEnd(7)} ${name(item)}`;
    }
  });
  if (items.length > limit) lines.push(`  … and ${items.length - limit} more (see the manifest)`);
  return lines;
}
