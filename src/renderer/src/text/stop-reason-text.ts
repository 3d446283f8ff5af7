import { assertNever } from '../../../shared/assert-never';
import type { PauseReason, StopReason } from '../../../shared/batch-types';

/** Why a batch ended, as a headline; the batch's own message gives the details. */
export function stopReasonHeadline(reason: StopReason): string {
  switch (reason) {
    case 'finished':
      return 'Finished: every file has been dealt with.';
    case 'error-threshold':
      return 'Stopped: too many files failed.';
    case 'model-unavailable':
      return 'Paused: the model server is not reachable.';
    case 'model-missing':
      return 'Stopped: the model is not installed on the model server.';
    case 'model-unusable':
      return 'Stopped: the model answers, but none of its answers could be used.';
    case 'stop-after-current':
      return 'Stopped at your request after the running files finished.';
    case 'stop-now':
      return 'Stopped at your request.';
    case 'interrupted':
      return 'Interrupted: AltGen was stopped while the batch ran.';
    default:
      return assertNever(reason, 'stop reason');
  }
}

/** What a running batch waits for, as a headline; the batch's own message says until when. */
export function pauseHeadline(reason: PauseReason): string {
  switch (reason) {
    case 'model-unavailable':
      return 'Waiting: the model server is not reachable. The batch goes on by itself when it is back.';
    default:
      return assertNever(reason, 'pause reason');
  }
}
