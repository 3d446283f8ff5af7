import type { BatchPhase } from '../../../shared/batch-fold';
import { isActiveState, liveElapsedMs } from '../../../shared/batch-fold';
import { DEFAULT_MS_PER_PICTURE } from '../../../shared/batch-eta';
import type { BatchState } from '../../../shared/ipc-contract';
import { formatDuration } from '../../../shared/time-format';
import { plural } from './plural';

/** The batch clock between events: a running batch's elapsed time keeps counting and its ETA counts down. */
interface Clock {
  readonly state: BatchState;
  readonly elapsed_ms: number;
  readonly eta_ms: number | null;
  readonly clock_at: number;
}

/** The batch's own time, every run of it added up. */
export function elapsedText(clock: Clock, now: number): string {
  return formatDuration(liveElapsedMs(clock, now));
}

/** "about 3m 05s", or why there is no estimate; a paused batch's estimate is "paused", not a countdown. */
export function etaText(clock: Clock, phase: BatchPhase, now: number): string {
  if (phase === 'paused') return 'paused';
  if (clock.state === 'finished') return 'none, the batch is finished';
  if (!isActiveState(clock.state)) return 'none while the batch is stopped';
  if (clock.eta_ms === null) return 'estimating…';
  const left = Math.max(0, clock.eta_ms - Math.max(0, now - clock.clock_at));
  return left < 1000 ? 'almost done' : `about ${formatDuration(left)}`;
}

/** A long time, rounded as a person says it: "less than a minute", "about 25 minutes", "about 3.5 hours". */
export function roughDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 1) return 'less than a minute';
  if (minutes < 90) return `about ${plural(Math.round(minutes), 'minute')}`;
  const hours = Math.round((minutes / 60) * 2) / 2;
  return `about ${hours} hours`;
}

/**
 * The dry run's estimate of the run: its pictures for the model × one picture's time on this
 * computer (measured by earlier runs), or a first guess until a run has measured it.
 */
export function runEstimateText(picturesForModel: number, msPerPicture: number | null, workers: number): string {
  if (picturesForModel === 0) return 'No picture needs the model: the run should take a moment.';
  const ms = (picturesForModel * (msPerPicture ?? DEFAULT_MS_PER_PICTURE)) / Math.max(1, workers);
  const what = `Describing ${plural(picturesForModel, 'picture')} should take ${roughDuration(ms)}`;
  return msPerPicture === null
    ? `${what} (a first guess of ${DEFAULT_MS_PER_PICTURE / 1000} s a picture; the first run measures this computer).`
    : `${what} on this computer.`;
}
