import { Icon } from '../../components/icon';
import { isResumable } from '../../store/history-slice';
import { useApp, useAppShallow } from '../../store/store-context';
import { describeKnownBatch } from '../../text/history-text';

/** At start, every unfinished batch is offered for Resume, first thing on the page. */
export function UnfinishedBatches() {
  const batches = useAppShallow((state) => state.knownBatches.filter(isResumable));
  const activeBatch = useApp((state) => state.batch?.state === 'running' || state.batch?.state === 'stopping');
  const busy = useApp((state) => state.batchBusy);
  const resumeBatch = useApp((state) => state.resumeBatch);
  const openBatch = useApp((state) => state.openBatch);
  if (batches.length === 0 || activeBatch) return null;
  return (
    <section className="panel panel-highlight" aria-labelledby="unfinished-heading" data-testid="unfinished-batches">
      <h3 id="unfinished-heading">
        <Icon name="pause" />{' '}
        {batches.length === 1 ? 'An unfinished batch can be resumed' : `${batches.length} unfinished batches can be resumed`}
      </h3>
      <ul className="unfinished-list">
        {batches.map((batch) => {
          const text = describeKnownBatch(batch);
          return (
            <li key={batch.manifest_path}>
              <div>
                <strong>{text.title}</strong>
                <p className="meta">{text.progress}</p>
                <p className="meta">
                  Output folder <code>{batch.output_dir}</code>
                </p>
              </div>
              <div className="row-actions">
                <button type="button" className="primary" disabled={busy} onClick={() => void resumeBatch(batch.manifest_path)} aria-label={`Resume ${text.title}`}>
                  Resume
                </button>
                <button type="button" disabled={busy} onClick={() => void openBatch(batch.manifest_path)} aria-label={`Open ${text.title}`}>
                  Open
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
