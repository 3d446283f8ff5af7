import type { ManifestDocument } from './batch-types';
import { parseTimestamp } from './time-format';

/**
 * A batch's own time: every run of it added up, so that a resume or a one-file retry goes on
 * from the batch's total instead of starting again at 0. The runner keeps two extra metadata
 * fields in the manifest: `elapsed_ms`, the total of the runs that ended, and `run_started_at`,
 * set while a run goes on. A run that never ended (killed, a power cut) left `run_started_at`
 * behind: it counts up to the last change it recorded. Manifests from before these fields (and
 * the Python tool's) count from their start to their end, or to their last completion.
 */

function timeOf(value: string | null | undefined): number | null {
  return typeof value === 'string' ? parseTimestamp(value) : null;
}

/** The latest start or completion of an item at or after `since` (ms), or null. */
function lastChangeSince(document: ManifestDocument, since: number): number | null {
  let last: number | null = null;
  for (const item of document.queue.items) {
    for (const at of [timeOf(item.started_at), timeOf(item.completed_at)]) {
      if (at !== null && at >= since && (last === null || at > last)) last = at;
    }
  }
  return last;
}

/** How long the batch of this manifest has run, over all its runs, as far as the manifest tells. */
export function batchElapsedMs(document: ManifestDocument): number {
  const recorded = document.metadata['elapsed_ms'];
  const runStart = timeOf(document.metadata['run_started_at'] as string | null | undefined);
  if (typeof recorded === 'number' && Number.isFinite(recorded) && recorded >= 0) {
    if (runStart === null) return recorded;
    const last = lastChangeSince(document, runStart);
    return recorded + (last === null ? 0 : last - runStart);
  }
  const start = timeOf(document.start_time);
  if (start === null) return 0;
  const end = timeOf(document.end_time) ?? lastChangeSince(document, start);
  return end === null ? 0 : Math.max(0, end - start);
}
