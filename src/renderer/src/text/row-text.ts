import { assertNever } from '../../../shared/assert-never';
import type { PlanSkipReason, ProcessorCounts } from '../../../shared/batch-types';
import { PLAN_SKIP_REASONS } from '../../../shared/batch-types';
import type { QueueRow } from '../../../shared/ipc-contract';
import { formatDuration } from '../../../shared/time-format';
import { errorCodeWords } from './error-code-text';
import { plural } from './plural';

/** The cells of a queue row as text. */

/** "needs" for one, "need" for more: "1 needs review", "2 need review". */
function needs(count: number): string {
  return count === 1 ? 'needs' : 'need';
}

/** Pictures: found and done while processing, the deck's pictures once complete, the dry run's counts. */
export function picturesText(row: QueueRow, dryRun: boolean): string {
  if (dryRun) {
    if (row.pictures_total === null) return '—';
    return `${row.pictures_total} (${row.pictures_missing_alt ?? 0})`;
  }
  if (row.status === 'processing') return row.pictures_total === null ? 'starting…' : `${row.pictures_done ?? 0} of ${row.pictures_total}`;
  if (row.status === 'complete' && row.pictures_total !== null) return String(row.pictures_total);
  return '—';
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
        : `Ready: ${plural(pictures, 'picture')}, ${missing} to describe.`;
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
      return assertNever(row.status, 'item status');
  }
}

/** Pictures left alone for one reason, as the plan named it. */
function skippedWords(reason: PlanSkipReason, count: number): string {
  switch (reason) {
    case 'in-layout':
      return `${count} in slide layouts (left alone)`;
    case 'linked':
      return `${plural(count, 'linked picture')} (cannot be described)`;
    case 'no-image':
      return `${count} without picture data`;
    case 'unreadable-image':
      return `${plural(count, 'unreadable picture')}`;
    case 'nothing-to-describe':
      return `${count} with nothing to describe`;
    default:
      return assertNever(reason, 'plan skip reason');
  }
}

/**
 * What happened to a complete file's pictures, as its processor counted them: "3 described ·
 * 2 in slide layouts (left alone)", "1 already had alt text". A deck all of whose pictures
 * were kept is a success, and reads as one.
 */
export function outcomeText(counts: ProcessorCounts): string {
  const parts: string[] = [];
  const count = (value: number | undefined) => value ?? 0;
  if (count(counts.described) > 0) parts.push(`${counts.described} described`);
  if (count(counts.drafted) > 0) parts.push(`${counts.drafted} drafted (check ${counts.drafted === 1 ? 'it' : 'them'})`);
  const review = count(counts.needs_review);
  if (review > 0) {
    const failed = count(counts.model_failed) > 0 ? ` (the model could not describe ${counts.model_failed})` : '';
    parts.push(`${review} ${needs(review)} review${failed}`);
  }
  if (count(counts.preserved) > 0) parts.push(`${counts.preserved} already had alt text`);
  if (count(counts.decorative) > 0) parts.push(`${counts.decorative} decorative`);
  let skippedLeft = count(counts.skipped);
  for (const reason of PLAN_SKIP_REASONS) {
    const skipped = count(counts.skipped_reasons?.[reason]);
    if (skipped === 0) continue;
    parts.push(skippedWords(reason, skipped));
    skippedLeft -= skipped;
  }
  if (skippedLeft > 0) parts.push(`${skippedLeft} left alone`);
  if (parts.length === 0) return counts.pictures === 0 ? 'No pictures in this deck.' : '';
  return parts.join(' · ');
}

/** The "details" cell: the verdict in a dry run, else the problem, a note from a previous attempt, or what was done. */
export function detailText(row: QueueRow, dryRun: boolean): string {
  if (dryRun) return dryRunVerdictText(row);
  const problem = problemText(row);
  if (problem) return problem;
  if (row.status === 'pending' && row.error) return `Will retry (attempt ${row.attempts + 1}): ${row.error}`;
  const outcome = row.status === 'complete' && row.result_counts ? outcomeText(row.result_counts) : '';
  return [outcome, ...row.warnings].filter((text) => text !== '').join(' · ');
}
