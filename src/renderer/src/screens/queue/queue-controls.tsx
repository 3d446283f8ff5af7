import { useState } from 'react';
import type { WhenDone } from '../../../../shared/ipc-contract';
import { rowAt } from '../../../../shared/row-table';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { Icon } from '../../components/icon';
import { useApp, useAppShallow } from '../../store/store-context';
import { DeckDetailsDialog } from './deck-details-dialog';

const WHEN_DONE_WORDS: Readonly<Record<WhenDone, string>> = {
  nothing: 'Do nothing',
  notify: 'Notify me',
  quit: 'Quit AltGen',
};

/**
 * The queue as people know it from HandBrake: Pause (no deck and no picture starts; what runs
 * finishes) and Continue, what happens when the batch is done, which decks start next, and the
 * way to each deck's log and queue actions (its name in the list opens them).
 */
export function QueueControls() {
  const running = useApp((state) => state.batch?.state === 'running');
  const dryRun = useApp((state) => state.batch?.dry_run === true);
  const paused = useApp((state) => state.batch?.user_paused === true);
  // The decks moved to the front that have not started yet (the list is only sent when it changes).
  const next = useAppShallow((state) => {
    const batch = state.batch;
    if (!batch) return [];
    return (batch.queue_front ?? []).flatMap((index) => {
      const row = rowAt(batch.rows, index);
      return row?.status === 'pending' ? [row.relative_path] : [];
    });
  });
  const web = useApp((state) => state.appInfo?.host !== 'electron');
  const whenDone = useApp((state) => state.whenDone);
  const whenDoneMessage = useApp((state) => state.whenDoneMessage);
  const pauseError = useApp((state) => state.pauseError);
  const busyBridge = useApp((state) => state.connectionLost);
  const pauseBatch = useApp((state) => state.pauseBatch);
  const continueBatch = useApp((state) => state.continueBatch);
  const setWhenDone = useApp((state) => state.setWhenDone);
  const [busy, setBusy] = useState(false);
  const choices: readonly WhenDone[] = web ? ['nothing', 'notify'] : ['nothing', 'notify', 'quit'];

  const toggle = async () => {
    setBusy(true);
    try {
      await (paused ? continueBatch() : pauseBatch());
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="queue-controls" aria-label="Queue">
      <div className="controls">
        {running ? (
          <BusyButton busy={busy || busyBridge} onClick={() => void toggle()} className={paused ? 'primary' : undefined}>
            {paused ? null : <Icon name="pause" />}
            {paused ? 'Continue' : 'Pause'}
          </BusyButton>
        ) : null}
        <span className="toolbar-field">
          <label htmlFor="when-done">When done</label>
          <select id="when-done" value={whenDone} onChange={(event) => void setWhenDone(event.target.value as WhenDone)}>
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {WHEN_DONE_WORDS[choice]}
              </option>
            ))}
          </select>
        </span>
      </div>
      {running && paused ? (
        <p className="message message-info">
          <Icon name="pause" />
          Paused at your request: no deck and no picture starts until you choose Continue. The decks in work finish the picture they are on.
        </p>
      ) : null}
      {next.length > 0 ? <p data-testid="queue-next">Next: {next.join(', ')} (moved to the front).</p> : null}
      <p className="hint">
        {dryRun
          ? 'Choose a file’s name in the list to check it again once you have fixed it, or to move, skip or remove it while the dry run goes on.'
          : 'Choose a file’s name in the list for its log, and to move it to the front, skip it or remove it.'}
      </p>
      {whenDoneMessage ? <p className="hint">{whenDoneMessage}</p> : null}
      <ErrorMessage error={pauseError} />
      <DeckDetailsDialog />
    </section>
  );
}
