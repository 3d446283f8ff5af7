import { ErrorMessage } from '../../components/error-message';
import { Icon } from '../../components/icon';
import { ScreenHeading } from '../../components/screen-heading';
import { batchActions } from '../../store/batch-actions';
import { FAILED_LIST_LIMIT, failedRows } from '../../store/failed-rows';
import { useApp, useAppShallow } from '../../store/store-context';
import { plural } from '../../text/plural';
import { FailedFileItem } from './failed-file-item';

/** The files of the current batch that failed, with what went wrong and how to retry. */
export function FailedFilesScreen() {
  const rows = useAppShallow((state) => failedRows(state.batch));
  const failed = useApp((state) => state.batch?.counts.failed ?? 0);
  const skipped = useApp((state) => state.batch?.counts.skipped ?? 0);
  const hasBatch = useApp((state) => state.batch !== null);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const manifestPath = useApp((state) => state.batch?.manifest_path ?? '');
  const canRetry = useApp((state) => batchActions(state.batch).canRetryFailed);
  const busy = useApp((state) => state.batchBusy);
  const error = useApp((state) => state.batchError);
  const resumeBatch = useApp((state) => state.resumeBatch);
  const showInQueue = useApp((state) => state.showStatusInQueue);

  return (
    <>
      <ScreenHeading>Failed files</ScreenHeading>
      {!hasBatch ? (
        <p className="panel">No batch is open. Open one from the batch history to see its failed files.</p>
      ) : dryRun ? (
        <div className="panel">
          <p>
            The open batch is a dry run: it processed nothing, so no file has failed.
            {failed > 0 ? ` ${plural(failed, 'file')} will fail when the batch runs; the dry run says why.` : ''}
          </p>
          {failed > 0 ? (
            <button type="button" onClick={() => showInQueue('failed')}>
              Show the files that will fail
            </button>
          ) : null}
        </div>
      ) : failed === 0 ? (
        <p className="panel">
          <Icon name="check" />
          No file of this batch has failed.
        </p>
      ) : (
        <>
          <div className="panel">
            <p>
              {plural(failed, 'file')} failed. Fix what the message says (for example, save the deck again in PowerPoint), then retry.
              {!canRetry ? ' Retrying is possible once the batch has stopped.' : ''}
            </p>
            <div className="controls">
              <button type="button" className="primary" onClick={() => void resumeBatch(manifestPath, { retry_failed: true })} disabled={!canRetry || busy}>
                Retry all failed files
              </button>
              {failed > FAILED_LIST_LIMIT ? (
                <button type="button" onClick={() => showInQueue('failed')}>
                  Show all {failed} in the queue
                </button>
              ) : null}
            </div>
            <ErrorMessage error={error} />
          </div>
          <ul className="failed-list" aria-label="Failed files">
            {rows.map((row) => (
              <FailedFileItem key={row.index} row={row} canRetry={canRetry} />
            ))}
          </ul>
        </>
      )}
      {skipped > 0 && !dryRun ? (
        <p className="panel">
          {plural(skipped, 'file')} {skipped === 1 ? 'was' : 'were'} skipped (not decks AltGen rewrites, or in use).{' '}
          <button type="button" className="link-button" onClick={() => showInQueue('skipped')}>
            Show the skipped files and their reasons
          </button>
        </p>
      ) : null}
    </>
  );
}
