import type { KnownBatch } from '../../../shared/ipc-contract';
import { parseTimestamp } from '../../../shared/time-format';
import { stopReasonHeadline } from './stop-reason-text';

const ID_TIME = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})_/;

/** When a batch started: its start time, or the time its id was made. */
function startedAt(batch: KnownBatch): Date | null {
  const parsed = batch.start_time ? parseTimestamp(batch.start_time) : null;
  if (parsed !== null) return new Date(parsed);
  const match = ID_TIME.exec(batch.batch_id);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  return new Date(y!, mo! - 1, d!, h!, mi!, s!);
}

const DATE_FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export interface KnownBatchText {
  readonly title: string;
  readonly progress: string;
  readonly stateEmoji: string;
  readonly state: string;
}

export function describeKnownBatch(batch: KnownBatch): KnownBatchText {
  const started = startedAt(batch);
  const kind = batch.dry_run ? 'Dry run' : 'Batch';
  const title = started ? `${kind} of ${DATE_FORMAT.format(started)}` : `${kind} ${batch.batch_id}`;
  const counts = batch.counts;
  const progress = counts
    ? `${counts.complete + counts.failed + counts.skipped} of ${counts.total} files done: ${counts.complete} complete, ${counts.failed} failed, ${counts.skipped} skipped` +
      (counts.pending + counts.processing > 0 ? `; ${counts.pending + counts.processing} still to do.` : '.')
    : 'Its manifest could not be read.';
  if (batch.problem) return { title, progress, stateEmoji: '❌', state: `Cannot be read: ${batch.problem}` };
  if (batch.unfinished) {
    const why = batch.stop_reason && batch.stop_reason !== 'finished' ? ` — ${stopReasonHeadline(batch.stop_reason)}` : '';
    return { title, progress, stateEmoji: '⏸️', state: `Unfinished${why}` };
  }
  const failed = counts !== null && counts.failed > 0;
  if (batch.dry_run) return { title, progress, stateEmoji: '✅', state: failed ? 'Checked; some files cannot be processed' : 'Checked' };
  return { title, progress, stateEmoji: '✅', state: failed ? 'Finished, with failed files' : 'Finished' };
}
