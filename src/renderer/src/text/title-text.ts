import { assertNever } from '../../../shared/assert-never';
import type { BatchPhase } from '../../../shared/batch-fold';
import type { StatusCounts } from '../../../shared/batch-types';

export const APP_TITLE = 'AltGen Desktop';

/**
 * The tab's (and the desktop window's) title: the batch's progress while it is active, so that
 * it can be followed from the taskbar or another tab; the app's name otherwise.
 */
export function windowTitle(batch: { readonly phase: BatchPhase; readonly dryRun: boolean; readonly counts: StatusCounts } | null): string {
  if (!batch || batch.counts.total === 0) return APP_TITLE;
  const done = batch.counts.complete + batch.counts.failed + batch.counts.skipped;
  const percent = Math.floor((done / batch.counts.total) * 100);
  const progress = `${done} of ${batch.counts.total}`;
  switch (batch.phase) {
    case 'running':
      return `${percent}% (${progress}) ${batch.dryRun ? 'checked' : 'done'} — ${APP_TITLE}`;
    case 'paused':
      return `Paused at ${percent}% (${progress}) — ${APP_TITLE}`;
    case 'stopping':
      return `Stopping at ${percent}% (${progress}) — ${APP_TITLE}`;
    case 'finished':
      return `${batch.dryRun ? 'Dry run finished' : 'Finished'} — ${APP_TITLE}`;
    case 'stopped':
      return `Stopped at ${percent}% (${progress}) — ${APP_TITLE}`;
    default:
      return assertNever(batch.phase, 'batch phase');
  }
}
