import { useApp } from '../../store/store-context';

/** The progress bar: files done (or, in a dry run, checked) of all files, in numbers and words. */
export function BatchProgress() {
  const counts = useApp((state) => state.batch?.counts);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  if (!counts) return null;
  const done = counts.complete + counts.failed + counts.skipped;
  const percent = counts.total === 0 ? 100 : Math.floor((done / counts.total) * 100);
  const words = `${done} of ${counts.total} files ${dryRun ? 'checked' : 'done'} (${percent}%)`;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label="Batch progress"
        aria-valuemin={0}
        aria-valuemax={counts.total}
        aria-valuenow={done}
        aria-valuetext={words}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="progress-words">{words}</p>
    </div>
  );
}
