import { useEffect } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Icon } from '../../components/icon';
import { ScreenHeading } from '../../components/screen-heading';
import { BatchReviewStatus } from '../review/batch-review-status';
import { isResumable } from '../../store/history-slice';
import { useApp } from '../../store/store-context';
import { describeKnownBatch } from '../../text/history-text';
import { formatDuration } from '../../../../shared/time-format';
import { HistoryCleanup } from './history-cleanup';

/** Every batch this computer knows, newest first, with Resume and Open. */
export function HistoryScreen() {
  const batches = useApp((state) => state.knownBatches);
  const loaded = useApp((state) => state.historyLoaded);
  const error = useApp((state) => state.historyError);
  const batchError = useApp((state) => state.batchError);
  const busy = useApp((state) => state.batchBusy);
  const active = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  const loadHistory = useApp((state) => state.loadHistory);
  const resumeBatch = useApp((state) => state.resumeBatch);
  const openBatch = useApp((state) => state.openBatch);

  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

  return (
    <>
      <ScreenHeading>Batch history</ScreenHeading>
      <ErrorMessage error={error ?? batchError} />
      {loaded && batches.length === 0 ? <p className="panel">No batches yet. Batches you run appear here.</p> : null}
      {batches.length > 0 ? (
        <div className="table-wrap">
          <table className="history-table">
            <caption className="visually-hidden">Known batches, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Batch</th>
                <th scope="col">Progress</th>
                <th scope="col">State</th>
                <th scope="col">Folders</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => {
                const text = describeKnownBatch(batch);
                // Named by its folder ("Fall 2026 – Cardiology"), then when and how long it ran.
                const label = batch.name ? `${batch.name}, ${text.title}` : text.title;
                return (
                  <tr key={batch.manifest_path}>
                    <th scope="row">
                      {batch.name ? <span className="batch-name">{batch.name}</span> : null}
                      <span className="meta batch-when">
                        {text.title}
                        {batch.duration_ms !== undefined && batch.duration_ms !== null && batch.duration_ms > 0 ? `, ran ${formatDuration(batch.duration_ms)}` : ''}
                      </span>
                      <code className="meta">{batch.batch_id}</code>
                    </th>
                    <td>
                      {text.progress}
                      {batch.problem === null && !batch.dry_run ? (
                        <>
                          <br />
                          <BatchReviewStatus manifestPath={batch.manifest_path} compact />
                        </>
                      ) : null}
                    </td>
                    <td>
                      <Icon name={text.stateIcon} />
                      {text.state}
                    </td>
                    <td>
                      <dl className="batch-folders">
                        {batch.input_root ? (
                          <>
                            <dt>From</dt>
                            <dd>
                              <code>{batch.input_root}</code>
                            </dd>
                          </>
                        ) : null}
                        <dt>Copies in</dt>
                        <dd>
                          <code>{batch.output_dir}</code>
                        </dd>
                      </dl>
                    </td>
                    <td>
                      <div className="row-actions">
                        {isResumable(batch) ? (
                          <button type="button" className="primary" disabled={busy || active} onClick={() => void resumeBatch(batch.manifest_path)} aria-label={`Resume ${label}`}>
                            Resume
                          </button>
                        ) : null}
                        {batch.problem === null ? (
                          <button type="button" disabled={busy} onClick={() => void openBatch(batch.manifest_path)} aria-label={`Open ${label}`}>
                            Open
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {batches.length > 0 ? <HistoryCleanup /> : null}
    </>
  );
}
