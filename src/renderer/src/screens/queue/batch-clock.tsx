import { batchPhase } from '../../../../shared/batch-fold';
import { useNow } from '../../components/use-now';
import { useApp } from '../../store/store-context';
import { elapsedText, etaText } from '../../text/clock-text';

/**
 * The batch's own elapsed time (every run of it added up) and the estimate of what is left,
 * labelled as one; both move between events while the batch runs, and the estimate says
 * "paused" while the batch waits.
 */
export function BatchClock() {
  const state = useApp((s) => s.batch?.state);
  const phase = useApp((s) => (s.batch ? batchPhase(s.batch) : null));
  const elapsed = useApp((s) => s.batch?.elapsed_ms ?? 0);
  const eta = useApp((s) => s.batch?.eta_ms ?? null);
  const clockAt = useApp((s) => s.batch?.clock_at ?? 0);
  const connected = useApp((s) => !s.connectionLost);
  const now = useNow(connected && (state === 'running' || state === 'stopping'));
  if (!state || !phase) return null;
  const clock = { state, elapsed_ms: elapsed, eta_ms: eta, clock_at: clockAt };
  return (
    <dl className="clock">
      <div>
        <dt>Elapsed</dt>
        <dd data-testid="elapsed">{elapsedText(clock, now)}</dd>
      </div>
      <div>
        <dt>Time left (estimate)</dt>
        <dd data-testid="eta">{etaText(clock, phase, now)}</dd>
      </div>
    </dl>
  );
}
