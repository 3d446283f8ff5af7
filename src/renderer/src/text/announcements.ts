import type { BatchEvent } from '../../../shared/batch-events';
import type { BatchView } from '../../../shared/batch-fold';
import type { StatusCounts } from '../../../shared/batch-types';
import { firstSentence, withoutCodeMarks } from '../../../shared/plain-sentence';
import { rowAt } from '../../../shared/row-table';
import { plural } from './plural';
import { clockTime } from './status-text';
import { stopDetails, stopReasonHeadline } from './stop-reason-text';

/**
 * What the live region says about a batch event: starts, pauses, stops, finishes and failed
 * files, each once. Progress and completed files are not announced (the progress bar carries
 * them), so a screen reader is not flooded, unless the user asked for the milestones: a
 * quarter, half and three quarters of the files done.
 */

export interface AnnouncementOptions {
  /** Say when 25, 50 and 75 % of the files are done. */
  readonly progressMilestones: boolean;
}

const MILESTONES = [25, 50, 75] as const;

function tally(counts: StatusCounts, dryRun: boolean): string {
  return dryRun
    ? `${counts.complete} ready, ${counts.failed} will fail, ${counts.skipped} will be skipped`
    : `${counts.complete} complete, ${counts.failed} failed, ${counts.skipped} skipped`;
}

function doneOf(counts: StatusCounts): number {
  return counts.complete + counts.failed + counts.skipped;
}

/** The milestone (25, 50, 75) the batch passed between two counts, if any: the highest one. */
function milestonePassed(before: StatusCounts, after: StatusCounts): number | null {
  if (after.total === 0) return null;
  const was = (doneOf(before) / after.total) * 100;
  const is = (doneOf(after) / after.total) * 100;
  let passed: number | null = null;
  for (const milestone of MILESTONES) if (was < milestone && is >= milestone) passed = milestone;
  return passed;
}

export function announcementFor(batch: BatchView | null, event: BatchEvent, options: AnnouncementOptions = { progressMilestones: false }): string | null {
  const dryRun = event.type === 'batch:started' ? event.dry_run : (batch?.dry_run ?? false);
  const noun = dryRun ? 'Dry run' : 'Batch';
  switch (event.type) {
    case 'batch:started': {
      const { counts } = event.clock;
      const toDo = counts.pending + counts.processing;
      return event.resumed
        ? `${noun} resumed: ${plural(toDo, 'file')} to do of ${counts.total}.`
        : `${noun} started: ${plural(counts.total, 'file')}.`;
    }
    case 'item:updated': {
      if (event.item.status === 'failed' && !dryRun) {
        const name = (batch && rowAt(batch.rows, event.index)?.relative_path) ?? event.item.path;
        return `File failed: ${name}. ${event.item.error ?? ''}`.trim();
      }
      const milestone = options.progressMilestones && batch ? milestonePassed(batch.counts, event.clock.counts) : null;
      if (milestone === null) return null;
      const { counts } = event.clock;
      return `${noun} ${milestone}% done: ${doneOf(counts)} of ${plural(counts.total, 'file')}.`;
    }
    case 'batch:stopped': {
      const details = stopDetails(event.reason, event.message);
      return `${noun} stopped. ${stopReasonHeadline(event.reason)}${details ? ` ${details}` : ''} ${tally(event.clock.counts, dryRun)}.`;
    }
    case 'batch:finished':
      return event.reason === 'finished' ? `${noun} finished: ${tally(event.clock.counts, dryRun)}.` : null;
    case 'batch:paused':
      return `${noun} paused, waiting for the model server until ${clockTime(event.wait_until)}: ${withoutCodeMarks(firstSentence(event.message))} It goes on by itself as soon as the server answers.`;
    case 'batch:continued':
      return `${noun} going on: the model server is back.`;
    case 'batch:pause-changed':
      return event.paused ? `${noun} paused: no new file starts until you continue.` : `${noun} going on.`;
    case 'item:progressed':
    case 'batch:warned':
    case 'queue:reordered':
      return null;
    default:
      return event satisfies never;
  }
}

/** Several failures within a moment become one sentence. */
export function summariseFailures(messages: readonly string[]): string | null {
  if (messages.length === 0) return null;
  if (messages.length === 1) return messages[0] ?? null;
  return `${messages.length} files failed. The last one: ${messages.at(-1)?.replace(/^File failed: /, '')}`;
}
