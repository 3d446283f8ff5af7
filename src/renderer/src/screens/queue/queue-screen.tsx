import { ScreenHeading } from '../../components/screen-heading';
import { BatchReviewStatus } from '../review/batch-review-status';
import { useApp } from '../../store/store-context';
import { BatchControls } from './batch-controls';
import { BatchHeader } from './batch-header';
import { DryRunSummary } from './dry-run-summary';
import { QueueControls } from './queue-controls';
import { QueueTable } from './queue-table';
import { QueueToolbar } from './queue-toolbar';

/** The current batch: its header, its controls and the queue table. */
export function QueueScreen() {
  const hasBatch = useApp((state) => state.batch !== null);
  const loaded = useApp((state) => state.batchLoaded);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const showView = useApp((state) => state.showView);
  const manifestPath = useApp((state) => state.batch?.manifest_path ?? null);
  return (
    <>
      <ScreenHeading>{dryRun ? 'Dry run' : 'Current batch'}</ScreenHeading>
      {!hasBatch ? (
        <div className="panel">
          <p>{loaded ? 'No batch is open.' : 'Loading…'}</p>
          <button type="button" className="primary" onClick={() => showView('new-batch')}>
            Start a new batch
          </button>
        </div>
      ) : (
        <>
          <BatchHeader />
          <DryRunSummary />
          <BatchControls />
          <QueueControls />
          <section aria-labelledby="queue-heading" className="queue-section">
            <h3 id="queue-heading">{dryRun ? 'Files checked' : 'Files'}</h3>
            <QueueToolbar />
            <QueueTable />
          </section>
          {!dryRun && manifestPath ? <BatchReviewStatus manifestPath={manifestPath} /> : null}
        </>
      )}
    </>
  );
}
