import { useApp } from '../../store/store-context';
import { pauseHeadline, stopReasonHeadline } from '../../text/stop-reason-text';

/**
 * Why the batch stopped (threshold, model server, the user), or what a running batch waits
 * for (the model server), with main's own message.
 */
export function StopReason() {
  const reason = useApp((state) => state.batch?.stop_reason ?? null);
  const message = useApp((state) => state.batch?.stop_message ?? null);
  const running = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  if (!reason || reason === 'finished') return null;
  const waiting = running && reason === 'model-unavailable' ? reason : null;
  return (
    <div className="message message-warning" data-testid={waiting ? 'pause-reason' : 'stop-reason'} role={waiting ? 'status' : undefined}>
      <p>
        <strong>
          <span aria-hidden="true">{waiting ? '⏳ ' : '⚠️ '}</span>
          {waiting ? pauseHeadline(waiting) : stopReasonHeadline(reason)}
        </strong>
      </p>
      {message ? <p>{message}</p> : null}
    </div>
  );
}
