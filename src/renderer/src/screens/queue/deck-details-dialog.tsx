import { useEffect, useRef } from 'react';
import { rowAt } from '../../../../shared/row-table';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { StatusLabel } from '../../components/status-label';
import { useFocusTarget } from '../../components/use-focus-target';
import type { QueueAction } from '../../store/queue-slice';
import { useApp } from '../../store/store-context';
import { detailText } from '../../text/row-text';
import { deckLogLine } from './deck-log-text';

const ACTION_WORDS: Readonly<Record<QueueAction, string>> = {
  'move-to-front': 'Move to the front',
  skip: 'Skip for now',
  remove: 'Remove from the batch',
  'put-back': 'Put back in the queue',
  'check-again': 'Check again',
};

/**
 * One deck: where it is in the queue, what can be done to it now, and its log (every run, each
 * picture's decision, the model's time and requests, warnings). A modal <dialog>: it keeps the
 * focus inside, Escape closes it, and the focus goes back to the deck's name in the list.
 */
export function DeckDetailsDialog() {
  const details = useApp((state) => state.deckDetails);
  const row = useApp((state) => (state.deckDetails && state.batch ? rowAt(state.batch.rows, state.deckDetails.index) : undefined));
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const active = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  const close = useApp((state) => state.closeDeckDetails);
  const act = useApp((state) => state.actOnDeck);
  const refresh = useApp((state) => state.refreshDeckLog);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const resultRef = useFocusTarget<HTMLParagraphElement>('queue-result');
  const open = details !== null;

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  // The log of the deck in work grows: read it again as the deck moves on.
  const status = row?.status;
  const done = row?.pictures_done;
  useEffect(() => {
    if (open) void refresh();
  }, [open, status, done, refresh]);

  const actions: QueueAction[] = [];
  if (row?.status === 'pending') actions.push('move-to-front', 'skip', 'remove');
  if (row?.status === 'skipped' && (row.error_code === 'ESKIPPED_BY_USER' || row.error_code === 'EREMOVED_BY_USER')) actions.push('put-back');
  // A dry run's verdict on a file that was fixed since: check it again, and it is ready to run.
  else if (dryRun && !active && (row?.status === 'failed' || row?.status === 'skipped')) actions.push('check-again');

  const name = row?.relative_path ?? '';
  const lines = details?.log?.entries.map(deckLogLine) ?? [];
  return (
    <dialog ref={dialogRef} className="deck-details" aria-labelledby="deck-details-title" onClose={close}>
      <h2 id="deck-details-title">{name}</h2>
      {/* A dry run's verdict names its state itself ("Ready: 3 pictures…"). */}
      {row ? <p>{dryRun ? detailText(row, dryRun) : <><StatusLabel status={row.status} /> {detailText(row, dryRun)}</>}</p> : null}
      {actions.length > 0 ? (
        <div className="controls" role="group" aria-label={`Queue actions for ${name}`}>
          {actions.map((action) => (
            <BusyButton key={action} busy={(details?.loading ?? false) || (details?.busy ?? false)} className={action === 'remove' ? 'danger' : undefined} onClick={() => void act(action)}>
              {ACTION_WORDS[action]}
            </BusyButton>
          ))}
        </div>
      ) : null}
      <p role="status" tabIndex={-1} ref={resultRef} className="deck-details-result">
        {details?.busy ? 'Working on it…' : (details?.result ?? '')}
      </p>
      <ErrorMessage error={details?.error ?? null} />
      <h3 id="deck-log-heading">Log</h3>
      {dryRun ? (
        <p className="hint">A dry run keeps no log: its verdict on this file is above.</p>
      ) : lines.length === 0 ? (
        <p className="hint">{details?.loading ? 'Reading the log…' : 'Nothing has happened to this deck yet.'}</p>
      ) : (
        <ol className="deck-log" aria-labelledby="deck-log-heading">
          {lines.map((line, position) => (
            <li key={position} className={`deck-log-${line.tone}`}>
              <span className="deck-log-time">{line.time}</span> {line.text}
              {line.detail ? <span className="deck-log-detail">{line.detail}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {details?.log && !dryRun ? (
        <p className="meta">
          Saved with the batch in <code>{details.log.path}</code>
        </p>
      ) : null}
      <div className="controls dialog-actions">
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  );
}
