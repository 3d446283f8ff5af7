import { useRef } from 'react';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { useFocusTarget } from '../../components/use-focus-target';
import { useApp } from '../../store/store-context';
import { plural } from '../../text/plural';

/**
 * "Clean up": the `altgen cleanup` rules over every output folder this computer knows. First it
 * says what would go, then the user removes it: the manifests and logs of finished batches older
 * than the retention period. Unfinished batches stay (they can be resumed), and so do the copies.
 */
export function HistoryCleanup() {
  const cleanup = useApp((state) => state.cleanup);
  const retention = useApp((state) => state.settings?.config.batch_processing.manifest_retention_days ?? null);
  const preview = useApp((state) => state.previewCleanup);
  const cleanUp = useApp((state) => state.cleanUp);
  const closeCleanup = useApp((state) => state.closeCleanup);
  const resultRef = useFocusTarget<HTMLDivElement>('history-result');
  const findRef = useRef<HTMLButtonElement>(null);
  const { report, done, busy, error } = cleanup;
  const days = report?.retention_days ?? retention;
  const toRemove = report?.removed.length ?? 0;
  const nothing = report !== null && toRemove === 0 && report.forgotten === 0;
  return (
    <section className="panel history-cleanup" aria-labelledby="cleanup-heading">
      <h3 id="cleanup-heading">Clean up</h3>
      <p className="hint">
        Removes the records of finished batches older than {days === null ? 'the retention period' : plural(days, 'day')} (their manifests and
        logs), and takes batches whose files are gone off this list. Unfinished batches stay, so they can be resumed; the accessible copies
        and their reports are never touched.
      </p>
      {/* Focusable while busy (aria-disabled), and where Cancel returns the focus. */}
      <button ref={findRef} type="button" className={busy ? 'is-busy' : undefined} aria-disabled={busy || undefined} onClick={busy ? undefined : () => void preview()}>
        Find batches to clean up
      </button>
      <div ref={resultRef} tabIndex={-1} role="status" className="cleanup-result" data-testid="cleanup-result">
        {report && !done && nothing ? <p>Nothing to clean up: every finished batch is newer than that, or can still be resumed.</p> : null}
        {report && !done && !nothing ? (
          <>
            <p>
              {toRemove > 0 ? `${plural(toRemove, 'finished batch', 'finished batches')} older than ${plural(report.retention_days, 'day')} can be removed` : 'No finished batch is old enough to remove'}
              {report.forgotten > 0 ? `; ${plural(report.forgotten, 'batch', 'batches')} whose files are gone can be taken off the list` : ''}.
            </p>
            {toRemove > 0 ? (
              <ul>
                {report.removed.map((batch) => (
                  <li key={batch.manifest_path}>
                    {batch.name} <code className="meta">{batch.batch_id}</code>
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
        {report && done ? (
          <p>
            Removed {plural(report.removed.length, 'batch', 'batches')}
            {report.forgotten > 0 ? ` and took ${plural(report.forgotten, 'batch', 'batches')} whose files were gone off the list` : ''}.
          </p>
        ) : null}
      </div>
      {report && !done && !nothing ? (
        <div className="controls">
          <BusyButton busy={busy} className="danger" onClick={() => void cleanUp()}>
            Remove them
          </BusyButton>
          <button
            type="button"
            onClick={() => {
              closeCleanup();
              findRef.current?.focus();
            }}
          >
            Cancel
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} />
    </section>
  );
}
