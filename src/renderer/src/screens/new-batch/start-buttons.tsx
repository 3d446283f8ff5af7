import { ErrorMessage } from '../../components/error-message';
import { useApp } from '../../store/store-context';

/** Dry run (check only) or start processing. */
export function StartButtons() {
  const ready = useApp((state) => state.preview !== null && state.outputDir.trim().length > 0);
  const busy = useApp((state) => state.batchBusy);
  const active = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  const error = useApp((state) => state.batchError);
  const startBatch = useApp((state) => state.startBatch);
  const disabled = !ready || busy || active;
  return (
    <div className="field">
      {active ? <p className="hint">A batch is running; it must finish or be stopped before another starts.</p> : null}
      {!ready && !active ? <p className="hint">Find the decks and choose an output folder first.</p> : null}
      <div className="controls">
        <button type="button" onClick={() => void startBatch(true)} disabled={disabled}>
          Dry run (check only)
        </button>
        <button type="button" className="primary" onClick={() => void startBatch(false)} disabled={disabled}>
          Start processing
        </button>
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
