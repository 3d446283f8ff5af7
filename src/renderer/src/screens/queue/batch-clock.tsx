import { useNow } from '../../components/use-now';
import { useApp } from '../../store/store-context';
import { elapsedText, etaText } from '../../text/clock-text';

/** Elapsed time and the ETA, labelled as an estimate; both move between events while the batch runs. */
export function BatchClock() {
  const state = useApp((s) => s.batch?.state);
  const elapsed = useApp((s) => s.batch?.elapsed_ms ?? 0);
  const eta = useApp((s) => s.batch?.eta_ms ?? null);
  const clockAt = useApp((s) => s.batch?.clock_at ?? 0);
  const connected = useApp((s) => !s.connectionLost);
  const now = useNow(connected && (state === 'running' || state === 'stopping'));
  if (!state) return null;
  const clock = { state, elapsed_ms: elapsed, eta_ms: eta, clock_at: clockAt };
  return (
    <dl className="clock">
      <div>
        <dt>Elapsed</dt>
        <dd data-testid="elapsed">{elapsedText(clock, now)}</dd>
      </div>
      <div>
        <dt>Time left (estimate)</dt>
        <dd data-testid="eta">{etaText(clock, now)}</dd>
      </div>
    </dl>
  );
}
