import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useApp } from '../../store/store-context';
import { previewCounts } from '../../text/preview-text';
import { ActivePolicy } from '../settings/active-policy';
import { isFieldError } from './field-errors';

type Readiness = 'ready' | 'no-preview' | 'no-decks' | 'no-output';

/** Dry run (check only) or start processing: only once the preview found decks to process. */
export function StartButtons() {
  const readiness = useApp((state): Readiness => {
    if (state.preview === null) return 'no-preview';
    if (previewCounts(state.preview).process === 0) return 'no-decks';
    return state.outputDir.trim().length > 0 ? 'ready' : 'no-output';
  });
  const busy = useApp((state) => state.batchBusy);
  const active = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  const error = useApp((state) => (isFieldError(state.batchError) ? null : state.batchError));
  const startBatch = useApp((state) => state.startBatch);
  const disabled = readiness !== 'ready' || active;
  return (
    <div className="field">
      <ActivePolicy />
      {active ? <p className="hint">A batch is running; it must finish or be stopped before another starts.</p> : null}
      {!active && readiness === 'no-preview' ? <p className="hint">Find the decks and choose an output folder first.</p> : null}
      {!active && readiness === 'no-decks' ? <p className="hint">None of the files found can be processed: choose another folder.</p> : null}
      {!active && readiness === 'no-output' ? <p className="hint">Choose an output folder first.</p> : null}
      <div className="controls">
        <BusyButton onClick={() => void startBatch(true)} disabled={disabled} busy={busy}>
          Dry run (check only)
        </BusyButton>
        <BusyButton className="primary" onClick={() => void startBatch(false)} disabled={disabled} busy={busy}>
          Start processing
        </BusyButton>
      </div>
      <ErrorMessage error={error} />
    </div>
  );
}
