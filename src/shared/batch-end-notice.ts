import { assertNever } from './assert-never';
import type { StatusCounts, StopReason } from './batch-types';

/**
 * The notice when a batch ends by itself: the desktop app's notification, the browser's (the
 * Notification API) when "When done" says so. Pure, so the wording is tested without either.
 */
export interface Notice {
  readonly title: string;
  readonly body: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function tally(counts: StatusCounts): string {
  const parts = [`${plural(counts.complete, 'deck')} done`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  return `${parts.join(', ')}.`;
}

/**
 * The notification for a batch that ended for `reason`; null when the user stopped it (they
 * know) or AltGen is closing.
 */
export function batchEndNotice(reason: StopReason, counts: StatusCounts, dryRun: boolean): Notice | null {
  const what = dryRun ? 'Dry run' : 'Batch';
  switch (reason) {
    case 'finished':
      return { title: `${what} finished`, body: counts.failed > 0 ? `${tally(counts)} Open AltGen to see what failed.` : tally(counts) };
    case 'error-threshold':
      return { title: `${what} stopped: too many files failed`, body: `${tally(counts)} Open AltGen to see why; the rest can be resumed.` };
    case 'model-unavailable':
      return { title: `${what} paused: the model server is not reachable`, body: 'Start the model server (for example with ollama serve), then resume the batch.' };
    case 'model-missing':
      return { title: `${what} paused: the model is not installed`, body: 'Install the model on the server (see AltGen for the command), then resume the batch.' };
    case 'model-unusable':
      return { title: `${what} stopped: the model's answers could not be used`, body: 'Check the model (see AltGen for what it answered), then resume: the pictures it could not describe are asked again.' };
    case 'stop-after-current':
    case 'stop-now':
    case 'interrupted':
      return null;
    default:
      return assertNever(reason, 'stop reason');
  }
}
