import { useApp } from '../../store/store-context';
import { batchStateWords } from '../../text/status-text';
import { BatchClock } from './batch-clock';
import { BatchProgress } from './batch-progress';
import { BatchWarnings } from './batch-warnings';
import { ModelStatusLine } from './model-status-line';
import { PictureCounts } from './picture-counts';
import { StatusCounts } from './status-counts';
import { StopReason } from './stop-reason';

/** The batch at a glance: state, counts, progress, elapsed, ETA, model and why it stopped. */
export function BatchHeader() {
  const state = useApp((s) => s.batch?.state);
  const dryRun = useApp((s) => s.batch?.dry_run ?? false);
  const batchId = useApp((s) => s.batch?.batch_id);
  const outputDir = useApp((s) => s.batch?.output_dir);
  const workers = useApp((s) => s.batch?.max_workers);
  const connectionLost = useApp((s) => s.connectionLost);
  if (!state) return null;
  return (
    <section className="panel batch-header" aria-labelledby="batch-state-heading">
      <h3 id="batch-state-heading" data-testid="batch-state">
        {batchStateWords(state, dryRun)}
        {connectionLost ? ' (last known state: the connection is lost)' : ''}
      </h3>
      <p className="meta">
        {dryRun ? 'Dry run (nothing is written)' : 'Batch'} <code>{batchId}</code> · Output folder <code>{outputDir}</code> ·{' '}
        {workers} {workers === 1 ? 'file' : 'files'} at a time
      </p>
      <BatchProgress />
      <StatusCounts />
      <PictureCounts />
      <BatchClock />
      <ModelStatusLine />
      <StopReason />
      <BatchWarnings />
    </section>
  );
}
