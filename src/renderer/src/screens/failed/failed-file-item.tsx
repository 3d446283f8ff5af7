import type { QueueRow } from '../../../../shared/ipc-contract';
import { StatusLabel } from '../../components/status-label';
import { useApp } from '../../store/store-context';
import { errorCodeWords } from '../../text/error-code-text';

/** One failed deck: the error in words, its folder, and a retry of just this file. */
export function FailedFileItem({ row, canRetry }: { readonly row: QueueRow; readonly canRetry: boolean }) {
  const manifestPath = useApp((state) => state.batch?.manifest_path ?? '');
  const busy = useApp((state) => state.batchBusy);
  const showInFolder = useApp((state) => state.showInFolder);
  const resumeBatch = useApp((state) => state.resumeBatch);
  const headingId = `failed-${row.index}`;
  return (
    <li className="failed-item" aria-labelledby={headingId}>
      <h3 id={headingId} className="failed-name" title={row.path}>
        {row.relative_path}
      </h3>
      <p>
        <StatusLabel status={row.status} />
        {row.error_code ? <> — {errorCodeWords(row.error_code)}</> : null}
        {row.attempts > 1 ? <span className="meta"> (tried {row.attempts} times)</span> : null}
      </p>
      <p className="failed-error">{row.error ?? 'No reason was recorded.'}</p>
      <div className="row-actions">
        <button type="button" onClick={() => void showInFolder(row.path)} aria-label={`Show ${row.relative_path} in its folder`}>
          Show in folder
        </button>
        <button
          type="button"
          onClick={() => void resumeBatch(manifestPath, { only_index: row.index })}
          disabled={!canRetry || busy}
          aria-label={`Retry ${row.relative_path}`}
        >
          Retry this file
        </button>
      </div>
    </li>
  );
}
