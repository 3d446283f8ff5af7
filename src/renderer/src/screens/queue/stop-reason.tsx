import { useApp } from '../../store/store-context';
import { stopReasonHeadline } from '../../text/stop-reason-text';

/** Why the batch stopped or paused (threshold, model server, the user), with main's own message. */
export function StopReason() {
  const reason = useApp((state) => state.batch?.stop_reason ?? null);
  const message = useApp((state) => state.batch?.stop_message ?? null);
  if (!reason || reason === 'finished') return null;
  return (
    <div className="message message-warning" data-testid="stop-reason">
      <p>
        <strong>
          <span aria-hidden="true">⚠️ </span>
          {stopReasonHeadline(reason)}
        </strong>
      </p>
      {message ? <p>{message}</p> : null}
    </div>
  );
}
