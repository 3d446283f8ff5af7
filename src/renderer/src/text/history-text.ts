import type { KnownBatch } from '../../../shared/ipc-contract';
import { firstSentence, withoutCodeMarks } from '../../../shared/plain-sentence';
import { parseTimestamp } from '../../../shared/time-format';
import type { IconName } from '../components/icon';
import { plural } from './plural';
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
  /** The icon beside `state`: a check only for what truly went well. */
  readonly stateIcon: IconName;
  readonly state: string;
}

export function describeKnownBatch(batch: KnownBatch): KnownBatchText {
  const started = startedAt(batch);
  const kind = batch.dry_run ? 'Dry run' : 'Batch';
  const title = started ? `${kind} of ${DATE_FORMAT.format(started)}` : `${kind} ${batch.batch_id}`;
  const counts = batch.counts;
  const progress = !counts
    ? 'Its manifest could not be read.'
    : batch.dry_run
      ? `${plural(counts.complete + counts.failed + counts.skipped, 'file')} checked: ${counts.complete} ready, ${counts.failed} will fail, ${counts.skipped} will be skipped.`
      : `${counts.complete + counts.failed + counts.skipped} of ${counts.total} files done: ${counts.complete} complete, ${counts.failed} failed, ${counts.skipped} skipped` +
        (counts.pending + counts.processing > 0 ? `; ${counts.pending + counts.processing} still to do.` : '.');
  if (batch.problem) return { title, progress, stateIcon: 'cross', state: `Cannot be read: ${batch.problem}` };
  if (batch.unfinished) {
    const why = batch.stop_reason && batch.stop_reason !== 'finished' ? ` — ${stopReasonHeadline(batch.stop_reason)}` : '';
    return { title, progress, stateIcon: 'pause', state: `Unfinished${why}` };
  }
  const failed = counts?.failed ?? 0;
  if (batch.dry_run) {
    if (batch.model_problem) return { title, progress, stateIcon: 'warning', state: `Checked, but the model server was not ready: ${withoutCodeMarks(firstSentence(batch.model_problem))}` };
    if (failed > 0) return { title, progress, stateIcon: 'warning', state: `Checked: ${plural(failed, 'file')} cannot be processed` };
    return { title, progress, stateIcon: 'check', state: 'Checked: ready to run' };
  }
  if (failed > 0) return { title, progress, stateIcon: 'warning', state: `Finished: ${plural(failed, 'file')} failed` };
  return { title, progress, stateIcon: 'check', state: 'Finished' };
}
