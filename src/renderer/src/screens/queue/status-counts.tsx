import { ITEM_STATUSES } from '../../../../shared/batch-types';
import { StatusLabel } from '../../components/status-label';
import { useApp } from '../../store/store-context';

/** How many files are in each status, each as emoji, words and number. */
export function StatusCounts() {
  const counts = useApp((state) => state.batch?.counts);
  if (!counts) return null;
  return (
    <ul className="status-counts" aria-label="Files by status">
      {ITEM_STATUSES.map((status) => (
        <li key={status} data-status={status}>
          <StatusLabel status={status} /> <strong>{counts[status]}</strong>
        </li>
      ))}
    </ul>
  );
}
