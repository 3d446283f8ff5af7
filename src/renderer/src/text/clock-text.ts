import { isActiveState, liveElapsedMs } from '../../../shared/batch-fold';
import type { BatchState } from '../../../shared/ipc-contract';
import { formatDuration } from '../../../shared/time-format';

/** The batch clock between events: a running batch's elapsed time keeps counting and its ETA counts down. */
interface Clock {
  readonly state: BatchState;
  readonly elapsed_ms: number;
  readonly eta_ms: number | null;
  readonly clock_at: number;
}

export function elapsedText(clock: Clock, now: number): string {
  return formatDuration(liveElapsedMs(clock, now));
}

/** "about 3m 05s", or why there is no estimate. */
export function etaText(clock: Clock, now: number): string {
  if (clock.state === 'finished') return 'none, the batch is finished';
  if (!isActiveState(clock.state)) return 'none while the batch is stopped';
  if (clock.eta_ms === null) return 'estimating… (after the first file finishes)';
  const left = Math.max(0, clock.eta_ms - Math.max(0, now - clock.clock_at));
  return left < 1000 ? 'almost done' : `about ${formatDuration(left)}`;
}
