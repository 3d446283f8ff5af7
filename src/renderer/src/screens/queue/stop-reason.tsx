import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { stopDetails, stopReasonHeadline } from '../../text/stop-reason-text';

/** Why the batch stopped (threshold, model server, the user), said once, with main's own message when it says more. */
export function StopReason() {
  const reason = useApp((state) => (state.batch?.state === 'stopped' ? state.batch.stop_reason : null));
  const message = useApp((state) => state.batch?.stop_message ?? null);
  if (!reason || reason === 'finished') return null;
  const details = stopDetails(reason, message);
  return (
    <div className="message message-warning" data-testid="stop-reason">
      <p>
        <Icon name="warning" />
        <strong>{stopReasonHeadline(reason)}</strong>
      </p>
      {details ? <p>{details}</p> : null}
    </div>
  );
}
