import { ITEM_STATUSES } from '../../../../shared/batch-types';
import type { SortDirection, SortKey, StatusFilter } from '../../store/queue-view';
import { useApp } from '../../store/store-context';
import { statusWords } from '../../text/status-text';

const SORT_LABELS: Readonly<Record<SortKey, string>> = {
  queue: 'Queue order',
  name: 'File name',
  status: 'Status (problems first)',
  time: 'Time taken',
};

/** Filter the queue by status and choose its order. */
export function QueueToolbar() {
  const filter = useApp((state) => state.statusFilter);
  const sort = useApp((state) => state.sort);
  const counts = useApp((state) => state.batch?.counts);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const milestones = useApp((state) => state.progressMilestones);
  const setMilestones = useApp((state) => state.setProgressMilestones);
  const setStatusFilter = useApp((state) => state.setStatusFilter);
  const setSort = useApp((state) => state.setSort);
  return (
    <div className="toolbar">
      <div className="toolbar-field">
        <label htmlFor="queue-filter">Filter by status</label>
        <select id="queue-filter" value={filter} onChange={(event) => setStatusFilter(event.target.value as StatusFilter)}>
          <option value="all">All files ({counts?.total ?? 0})</option>
          {ITEM_STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusWords(status, dryRun)} ({counts?.[status] ?? 0})
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor="queue-sort">Sort by</label>
        <select id="queue-sort" value={sort.key} onChange={(event) => setSort({ key: event.target.value as SortKey, direction: sort.direction })}>
          {(Object.keys(SORT_LABELS) as SortKey[]).map((key) => (
            <option key={key} value={key}>
              {SORT_LABELS[key]}
            </option>
          ))}
        </select>
      </div>
      <div className="toolbar-field">
        <label htmlFor="queue-order">Order</label>
        <select id="queue-order" value={sort.direction} onChange={(event) => setSort({ key: sort.key, direction: event.target.value as SortDirection })}>
          <option value="ascending">Ascending</option>
          <option value="descending">Descending</option>
        </select>
      </div>
      <div className="toolbar-field">
        <input id="progress-milestones" type="checkbox" checked={milestones} onChange={(event) => setMilestones(event.target.checked)} />
        <label htmlFor="progress-milestones">Announce progress at 25, 50 and 75 %</label>
      </div>
    </div>
  );
}
