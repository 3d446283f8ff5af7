import type { QueueRow } from '../../../shared/ipc-contract';
import { formatDuration } from '../../../shared/time-format';
import { errorCodeWords } from './error-code-text';
import { plural } from './plural';

/** The cells of a queue row as text. */

export function picturesText(row: QueueRow, dryRun: boolean): string {
  if (dryRun) {
    if (row.pictures_total === null) return '—';
    return `${row.pictures_total} (${row.pictures_missing_alt ?? 0})`;
  }
  if (row.pictures_total === null) return row.status === 'processing' ? 'starting…' : '—';
  return `${row.pictures_done ?? 0} of ${row.pictures_total}`;
}

export function timeText(row: QueueRow): string {
  return row.duration_ms === null ? '—' : formatDuration(row.duration_ms);
}

/** What went wrong, in words: a failure's code name before its sentence (which may be technical), or the skip reason. */
export function problemText(row: QueueRow): string | null {
  const name = row.error_code ? errorCodeWords(row.error_code) : null;
  if (row.status === 'skipped') return row.skip_reason ?? row.error ?? name;
  if (row.status !== 'failed') return null;
  if (!row.error) return name;
  return name && !row.error.toLowerCase().startsWith(name.toLowerCase()) ? `${name}: ${row.error}` : row.error;
}

/** The dry run's verdict on one file. */
export function dryRunVerdictText(row: QueueRow): string {
  switch (row.status) {
    case 'complete': {
      const pictures = row.pictures_total ?? 0;
      const missing = row.pictures_missing_alt ?? 0;
      if (pictures === 0) return 'Ready: no pictures in this deck.';
      return missing === 0
        ? `Ready: ${plural(pictures, 'picture')}, all already described.`
        : `Ready: ${plural(pictures, 'picture')}, ${missing} need alt text.`;
    }
    case 'failed':
      return `Will fail: ${problemText(row) ?? 'unknown problem'}`;
    case 'skipped':
      return `Will be skipped: ${problemText(row) ?? 'not a deck AltGen processes'}`;
    case 'processing':
      return 'Checking…';
    case 'pending':
      return 'Not checked yet.';
    default:
      return row.status satisfies never;
  }
}

/** The "details" cell: the verdict in a dry run, else the problem, a note from a previous attempt, or warnings. */
export function detailText(row: QueueRow, dryRun: boolean): string {
  if (dryRun) return dryRunVerdictText(row);
  const problem = problemText(row);
  if (problem) return problem;
  if (row.status === 'pending' && row.error) return `Will retry (attempt ${row.attempts + 1}): ${row.error}`;
  const review = needsReviewText(row);
  return [review, ...row.warnings].filter((text) => text !== '').join(' ');
}

/** A complete file whose pictures (some or all) need a person: nothing was written for them. */
export function needsReviewText(row: QueueRow): string {
  const counts = row.picture_counts;
  if (!counts || counts.needs_review === 0) return '';
  const failed = counts.model_failed > 0 ? ` (the model could not describe ${counts.model_failed})` : '';
  return `${plural(counts.needs_review, 'picture')} need${counts.needs_review === 1 ? 's' : ''} review${failed}.`;
}
