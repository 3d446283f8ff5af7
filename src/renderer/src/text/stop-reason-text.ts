import { assertNever } from '../../../shared/assert-never';
import type { StopReason } from '../../../shared/batch-types';
import { withoutCodeMarks } from '../../../shared/plain-sentence';

/** Why a batch ended, as a headline; the batch's own message gives the details. */
export function stopReasonHeadline(reason: StopReason): string {
  switch (reason) {
    case 'finished':
      return 'Finished: every file has been dealt with.';
    case 'error-threshold':
      return 'Stopped: too many files failed.';
    case 'model-unavailable':
      return 'Stopped: the model server did not come back.';
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

const comparable = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * The batch's own message below its headline, in plain words; null when it only says what the
 * headline says (a stop at the user's request), so that nothing is said twice.
 */
export function stopDetails(reason: StopReason, message: string | null): string | null {
  if (!message) return null;
  const headline = comparable(stopReasonHeadline(reason));
  const said = comparable(message);
  return said === '' || headline.includes(said) ? null : withoutCodeMarks(message);
}
