import { batchPhase } from '../../../../shared/batch-fold';
import { withoutCodeMarks } from '../../../../shared/plain-sentence';
import { BusyButton } from '../../components/busy-button';
import { Icon } from '../../components/icon';
import { useApp } from '../../store/store-context';
import { modelStateLabel } from '../../text/model-status-text';

/**
 * The model and its server's state, kept current by the batch's own events. What is wrong is
 * said once on the screen: here for a running batch, in the pause notice while the batch waits
 * for the server, in the verdict of a dry run.
 */
export function ModelStatusLine() {
  const status = useApp((state) => state.modelStatus);
  const checking = useApp((state) => state.modelChecking);
  const checkModel = useApp((state) => state.checkModel);
  // On the batch's screen, a dry run's verdict or a paused batch's notice says it (Settings shows it here).
  const saidElsewhere = useApp((state) => state.view === 'queue' && state.batch !== null && (state.batch.dry_run || batchPhase(state.batch) === 'paused'));
  const label = modelStateLabel(status?.state ?? 'unknown');
  return (
    <div className="model-status" data-testid="model-status">
      <p>
        <span className="label">Model:</span> {status?.model ? `${status.model} at ${status.base_url}` : 'not known yet'}
        {' — '}
        <span className={`model-state model-state-${status?.state ?? 'unknown'}`}>
          {checking ? (
            'Checking…'
          ) : (
            <>
              {label.icon ? <Icon name={label.icon} /> : null}
              {label.words}
            </>
          )}
        </span>{' '}
        <BusyButton busy={checking} className="link-button" onClick={() => void checkModel()}>
          Check again
        </BusyButton>
      </p>
      {status && status.state !== 'ok' && status.message && !saidElsewhere ? (
        <p className="hint">{withoutCodeMarks(`${status.message}${status.fix ? ` Fix: ${status.fix}` : ''}`)}</p>
      ) : null}
    </div>
  );
}
