import type { StatusCounts } from '../../shared/batch-types';

/**
 * What the desktop shows about a batch outside the window: the taskbar/dock progress and the
 * notification when a batch ends. Pure, so the wording and the maths are tested without Electron.
 */

/** For `BrowserWindow.setProgressBar`: 0..1 while files remain, -1 (no bar) when none does. */
export function progressFraction(counts: StatusCounts, active: boolean): number {
  if (!active || counts.total === 0) return -1;
  const done = counts.complete + counts.failed + counts.skipped;
  return Math.min(1, done / counts.total);
}

export { batchEndNotice, type Notice } from '../../shared/batch-end-notice';
