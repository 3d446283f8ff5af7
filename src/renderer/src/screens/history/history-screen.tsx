import { useEffect } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ScreenHeading } from '../../components/screen-heading';
import { isResumable } from '../../store/history-slice';
import { useApp } from '../../store/store-context';
import { describeKnownBatch } from '../../text/history-text';

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
                <th scope="col">Output folder</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => {
                const text = describeKnownBatch(batch);
                return (
                  <tr key={batch.manifest_path}>
                    <th scope="row">
                      {text.title}
                      <br />
                      <code className="meta">{batch.batch_id}</code>
                    </th>
                    <td>{text.progress}</td>
                    <td>
                      <span aria-hidden="true">{text.stateEmoji} </span>
                      {text.state}
                    </td>
                    <td>
                      <code>{batch.output_dir}</code>
                    </td>
                    <td>
                      <div className="row-actions">
                        {isResumable(batch) ? (
                          <button type="button" className="primary" disabled={busy || active} onClick={() => void resumeBatch(batch.manifest_path)} aria-label={`Resume ${text.title}`}>
                            Resume
                          </button>
                        ) : null}
                        {batch.problem === null ? (
                          <button type="button" disabled={busy} onClick={() => void openBatch(batch.manifest_path)} aria-label={`Open ${text.title}`}>
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
    </>
  );
}
