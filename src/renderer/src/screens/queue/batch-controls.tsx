import { ErrorMessage } from '../../components/error-message';
import { batchActions } from '../../store/batch-actions';
import { useApp, useAppShallow } from '../../store/store-context';

/** Stop after current, stop now, resume, retry failed, or start the files a dry run checked. */
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
          <button type="button" onClick={() => void stopBatch('after-current')} disabled={!actions.canStop || busy}>
            {actions.stopping ? 'Stopping…' : 'Stop after current files'}
          </button>
          <button type="button" className="danger" onClick={() => void stopBatch('now')} disabled={(!actions.canStop && !actions.stopping) || busy}>
            Stop now
          </button>
        </>
      ) : null}
      {actions.canResume ? (
        <button type="button" className="primary" onClick={() => void resumeBatch(manifestPath)} disabled={busy}>
          Resume
        </button>
      ) : null}
      {actions.canRetryFailed ? (
        <button type="button" onClick={() => void resumeBatch(manifestPath, { retry_failed: true })} disabled={busy}>
          Retry failed files
        </button>
      ) : null}
      {actions.canStartAfterDryRun ? (
        <button type="button" className="primary" onClick={() => void startAfterDryRun()} disabled={busy}>
          Start processing these files
        </button>
      ) : null}
      <ErrorMessage error={error} />
    </div>
  );
}
