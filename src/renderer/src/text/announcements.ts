import type { BatchEvent } from '../../../shared/batch-events';
import type { BatchView } from '../../../shared/batch-fold';
import type { StatusCounts } from '../../../shared/batch-types';
import { rowAt } from '../../../shared/row-table';
import { plural } from './plural';
import { pauseHeadline, stopReasonHeadline } from './stop-reason-text';

/**
 * What the live region says about a batch event: starts, stops, finishes and failed files.
 * Progress and completed files are not announced (the progress bar carries them), so a
 * screen reader is not flooded.
 */

function tally(counts: StatusCounts): string {
  return `${counts.complete} complete, ${counts.failed} failed, ${counts.skipped} skipped`;
}

export function announcementFor(batch: BatchView | null, event: BatchEvent): string | null {
  const noun = event.type === 'batch:started' ? (event.dry_run ? 'Dry run' : 'Batch') : batch?.dry_run ? 'Dry run' : 'Batch';
  switch (event.type) {
    case 'batch:started': {
      const { counts } = event.clock;
      const toDo = counts.pending + counts.processing;
      return event.resumed
        ? `${noun} resumed: ${plural(toDo, 'file')} to do of ${counts.total}.`
        : `${noun} started: ${plural(counts.total, 'file')}.`;
    }
    case 'item:updated': {
      if (event.item.status !== 'failed') return null;
      const name = (batch && rowAt(batch.rows, event.index)?.relative_path) ?? event.item.path;
      return `File failed: ${name}. ${event.item.error ?? ''}`.trim();
    }
    case 'batch:stopped':
      return `${noun} stopped. ${stopReasonHeadline(event.reason)} ${event.message} ${tally(event.clock.counts)}.`;
    case 'batch:finished':
      return event.reason === 'finished' ? `${noun} finished: ${tally(event.clock.counts)}.` : null;
    case 'batch:paused':
      return `${noun} paused. ${pauseHeadline(event.reason)}`;
    case 'batch:continued':
      return `${noun} going on: the model server is back.`;
    case 'item:progressed':
    case 'batch:warned':
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
