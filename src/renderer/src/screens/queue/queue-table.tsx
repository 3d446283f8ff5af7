import { useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { EMPTY_ROW_TABLE } from '../../../../shared/row-table';
import { VirtualGrid, type GridColumn } from '../../components/virtual-grid';
import type { QueueSort, SortKey } from '../../store/queue-view';
import { queueOrder } from '../../store/queue-view';
import { useApp } from '../../store/store-context';
import { QueueRowCells } from './queue-row-cells';

// The status column fits its longest pill ("Will be skipped", icon and bold words) and the pictures
// column its header; the minimums add up to less than the grid's minimum width (56rem). In a small
// window styles.css lowers the other minimums (--queue-*-min), so the actions stay in view.
const TEMPLATE = [
  'minmax(var(--queue-file-min, 10rem), 2fr)',
  'minmax(var(--queue-status-min, 12rem), 1fr)',
  'minmax(var(--queue-pictures-min, 6.5rem), 0.8fr)',
  'minmax(var(--queue-time-min, 5rem), 0.6fr)',
  'minmax(var(--queue-detail-min, 12rem), 3fr)',
  'minmax(var(--queue-actions-min, 9rem), 1fr)',
].join(' ');
const HINT_ID = 'queue-grid-keys';

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

/**
 * The queue: one row per deck, virtualised so that 10,000 rows stay smooth. It keeps the file
 * being processed (the one started last) in view until the user scrolls it themselves; then a
 * button brings it back.
 */
export function QueueTable() {
  const rows = useApp((state) => state.batch?.rows ?? EMPTY_ROW_TABLE);
  const dryRun = useApp((state) => state.batch?.dry_run ?? false);
  const active = useApp((state) => state.batch?.processing.at(-1) ?? null);
  const filter = useApp((state) => state.statusFilter);
  const sort = useApp((state) => state.sort);
  const sortBy = useApp((state) => state.sortBy);
  const batchId = useApp((state) => state.batch?.batch_id ?? null);
  const [following, setFollowing] = useState(true);
  const [focusRow, setFocusRow] = useState<{ readonly position: number; readonly id: number } | null>(null);
  // A new batch starts followed, whatever the user did in the last one.
  useEffect(() => setFollowing(true), [batchId]);
  // Under a burst of events the order is recomputed at low priority, not once per event.
  const deferredRows = useDeferredValue(rows);
  const order = useMemo(() => queueOrder(deferredRows, filter, sort), [deferredRows, filter, sort]);
  const rowCount = order ? order.length : rows.length;
  const indexAt = useCallback((position: number) => (order ? (order[position] ?? -1) : position), [order]);
  const activePosition = active === null ? null : order ? order.indexOf(active) : active;
  const followed = activePosition === null || activePosition < 0 ? null : activePosition;
  const stopFollowing = useCallback(() => setFollowing(false), []);

  const columns: readonly GridColumn[] = [
    { id: 'name', header: <SortButton label="File" sortKey="name" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'name') },
    { id: 'status', header: <SortButton label="Status" sortKey="status" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'status') },
    { id: 'pictures', header: dryRun ? 'Pictures (to describe)' : 'Pictures' },
    { id: 'time', header: <SortButton label="Time" sortKey="time" sort={sort} onSort={sortBy} />, sort: ariaSort(sort, 'time') },
    { id: 'detail', header: dryRun ? 'Verdict' : 'Details' },
    { id: 'actions', header: 'Actions' },
  ];

  return (
    <>
      <div className="grid-notes">
        <p className="hint" id={HINT_ID}>
          In the table, the arrow keys move from cell to cell; Page Up and Page Down move ten rows, Ctrl+Home and Ctrl+End go to the
          first and last file, and Enter presses a cell’s button.
        </p>
        {!following && followed !== null ? (
          <button
            type="button"
            className="small"
            onClick={() => {
              setFollowing(true);
              // The button goes away: the focus goes to the row it brought back.
              setFocusRow((last) => ({ position: followed, id: (last?.id ?? 0) + 1 }));
            }}
          >
            Show the file being processed
          </button>
        ) : null}
      </div>
      <VirtualGrid
        label={dryRun ? 'Dry run: one row per file' : 'Queue: one row per deck'}
        className="queue-grid"
        columns={columns}
        template={TEMPLATE}
        rowCount={rowCount}
        rowKey={indexAt}
        renderRow={(position, activeColumn) => <QueueRowCells index={indexAt(position)} activeColumn={activeColumn} />}
        empty={<p>{filter === 'all' ? 'This batch has no files.' : 'No files with this status.'}</p>}
        describedBy={HINT_ID}
        follow={following ? followed : null}
        onUserScroll={stopFollowing}
        focusRow={focusRow}
      />
    </>
  );
}
