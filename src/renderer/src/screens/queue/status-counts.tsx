import { ITEM_STATUSES } from '../../../../shared/batch-types';
import { StatusLabel } from '../../components/status-label';
import { useApp } from '../../store/store-context';

/** How many files are in each status, each as icon, words and number; a dry run's in its own words. */
export function StatusCounts() {
  const counts = useApp((state) => state.batch?.counts);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  if (!counts) return null;
  return (
    <ul className="status-counts" aria-label="Files by status">
      {ITEM_STATUSES.map((status) => (
        <li key={status} data-status={status}>
          <StatusLabel status={status} dryRun={dryRun} /> <strong>{counts[status]}</strong>
        </li>
      ))}
    </ul>
  );
}
