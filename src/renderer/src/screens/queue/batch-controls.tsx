import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { batchActions } from '../../store/batch-actions';
import { useApp, useAppShallow } from '../../store/store-context';

/**
 * Stop after current, stop now, resume, retry failed, or start the files a dry run checked.
 * While a command is on its way (or the connection is lost) the buttons stay focusable and say
 * so (aria-disabled); once it is done the focus moves to the batch's state heading.
 */
export function BatchControls() {
  const actions = useAppShallow((state) => batchActions(state.batch));
  const manifestPath = useApp((state) => state.batch?.manifest_path ?? null);
  const busy = useApp((state) => state.batchBusy || state.connectionLost);
  const error = useApp((state) => state.batchError);
  const stopBatch = useApp((state) => state.stopBatch);
  const resumeBatch = useApp((state) => state.resumeBatch);
  const startAfterDryRun = useApp((state) => state.startAfterDryRun);
  if (!manifestPath) return null;
  return (
    <div className="controls" role="group" aria-label="Batch controls">
      {actions.canStop || actions.stopping ? (
        <>
          <BusyButton busy={!actions.canStop || busy} onClick={() => void stopBatch('after-current')}>
            {actions.stopping ? 'Stopping…' : 'Stop after current files'}
          </BusyButton>
          <BusyButton busy={(!actions.canStop && !actions.stopping) || busy} className="danger" onClick={() => void stopBatch('now')}>
            Stop now
          </BusyButton>
        </>
      ) : null}
      {actions.canResume ? (
        <BusyButton busy={busy} className="primary" onClick={() => void resumeBatch(manifestPath)}>
          Resume
        </BusyButton>
      ) : null}
      {actions.canRetryFailed ? (
        <BusyButton busy={busy} onClick={() => void resumeBatch(manifestPath, { retry_failed: true })}>
          Retry failed files
        </BusyButton>
      ) : null}
      {actions.canStartAfterDryRun ? (
        <BusyButton busy={busy} className="primary" onClick={() => void startAfterDryRun()}>
          Start processing these files
        </BusyButton>
      ) : null}
      <ErrorMessage error={error} />
    </div>
  );
}
