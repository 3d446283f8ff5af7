import { useApp } from '../../store/store-context';
import { modelStateLabel } from '../../text/model-status-text';

/** The model and its server's state, with the fix when it is not reachable. */
export function ModelStatusLine() {
  const status = useApp((state) => state.modelStatus);
  const checking = useApp((state) => state.modelChecking);
  const checkModel = useApp((state) => state.checkModel);
  return (
    <div className="model-status" data-testid="model-status">
      <p>
        <span className="label">Model:</span> {status?.model ? `${status.model} at ${status.base_url}` : 'not known yet'}
        {' — '}
        <span className={`model-state model-state-${status?.state ?? 'unknown'}`}>
          {checking ? 'Checking…' : modelStateLabel(status?.state ?? 'unknown')}
        </span>{' '}
        <button type="button" className="link-button" onClick={() => void checkModel()} disabled={checking}>
          Check again
        </button>
      </p>
      {status && status.state !== 'ok' && status.message ? (
        <p className="hint">
          {status.message}
          {status.fix ? ` Fix: ${status.fix}` : ''}
        </p>
      ) : null}
    </div>
  );
}
