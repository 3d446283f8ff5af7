import { useCallback, useDeferredValue, useMemo } from 'react';
import { EMPTY_ROW_TABLE } from '../../../../shared/row-table';
import { VirtualGrid, type GridColumn } from '../../components/virtual-grid';
import type { QueueSort, SortKey } from '../../store/queue-view';
import { queueOrder } from '../../store/queue-view';
import { useApp } from '../../store/store-context';
import { QueueRowCells } from './queue-row-cells';

const TEMPLATE = 'minmax(10rem, 2fr) minmax(8.5rem, 1fr) minmax(6rem, 0.8fr) minmax(5rem, 0.6fr) minmax(12rem, 3fr) minmax(9rem, 1fr)';

function SortButton({ label, sortKey, sort, onSort }: { label: string; sortKey: SortKey; sort: QueueSort; onSort: (key: SortKey) => void }) {
  const active = sort.key === sortKey;
  const arrow = active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : '';
  return (
    <button type="button" className="sort-button" onClick={() => onSort(sortKey)}>
      {label}
      <span aria-hidden="true">{arrow}</span>
    </button>
  );
}

function ariaSort(sort: QueueSort, key: SortKey): GridColumn['sort'] {
  return sort.key === key ? sort.direction : 'none';
}

/** The queue: one row per deck, virtualised so that 10,000 rows stay smooth. */
export function QueueTable() {
  const rows = useApp((state) => state.batch?.rows ?? EMPTY_ROW_TABLE);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const filter = useApp((state) => state.statusFilter);
  const sort = useApp((state) => state.sort);
  const sortBy = useApp((state) => state.sortBy);
  // Under a burst of events the order is recomputed at low priority, not once per event.
  const deferredRows = useDeferredValue(rows);
  const order = useMemo(() => queueOrder(deferredRows, filter, sort), [deferredRows, filter, sort]);
  const rowCount = order ? order.length : rows.length;
  const indexAt = useCallback((position: number) => (order ? (order[position] ?? -1) : position), [order]);

  const columns: readonly GridColumn[] = [
    { id: 'name', header: <SortButton label="File" sortKey="name" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'name') },
    { id: 'status', header: <SortButton label="Status" sortKey="status" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'status') },
    { id: 'pictures', header: dryRun ? 'Pictures (need alt text)' : 'Pictures done' },
    { id: 'time', header: <SortButton label="Time" sortKey="time" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'time') },
    { id: 'detail', header: dryRun ? 'Verdict' : 'Details' },
    { id: 'actions', header: 'Actions' },
  ];

  return (
    <VirtualGrid
      label={dryRun ? 'Dry run: one row per file' : 'Queue: one row per deck'}
      className="queue-grid"
      columns={columns}
      template={TEMPLATE}
      rowCount={rowCount}
      rowKey={indexAt}
      renderRow={(position, activeColumn) => <QueueRowCells index={indexAt(position)} activeColumn={activeColumn} />}
      empty={<p>{filter === 'all' ? 'This batch has no files.' : 'No files with this status.'}</p>}
    />
  );
}
