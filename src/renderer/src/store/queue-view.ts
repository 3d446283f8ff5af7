import { assertNever } from '../../../shared/assert-never';
import type { ItemStatus } from '../../../shared/batch-types';
import type { RowTable } from '../../../shared/row-table';
import { forEachRow } from '../../../shared/row-table';

/**
 * Which rows the queue table shows and in what order: pure functions of the row table, the
 * status filter and the sort. Queue order with no filter needs no list at all (null); names
 * never change within a batch, so their order is computed once per batch and reused.
 */
export type StatusFilter = 'all' | ItemStatus;
export type SortKey = 'queue' | 'name' | 'status' | 'time';
export type SortDirection = 'ascending' | 'descending';

export interface QueueSort {
  readonly key: SortKey;
  readonly direction: SortDirection;
}

export const DEFAULT_SORT: QueueSort = { key: 'queue', direction: 'ascending' };

/** Problems first, then work in progress, then what is settled. */
const STATUS_RANK: Readonly<Record<ItemStatus, number>> = { failed: 0, processing: 1, pending: 2, skipped: 3, complete: 4 };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
const nameOrders = new WeakMap<object, Int32Array>();

/** Row indices sorted by display name; cached for the batch (names never change within one). */
function nameOrder(table: RowTable): Int32Array {
  const cached = nameOrders.get(table.lineage);
  if (cached && cached.length === table.length) return cached;
  const names: string[] = new Array<string>(table.length);
  forEachRow(table, (row, index) => {
    names[index] = row.relative_path;
  });
  const order = Int32Array.from({ length: table.length }, (_, index) => index);
  order.sort((a, b) => collator.compare(names[a] ?? '', names[b] ?? '') || a - b);
  nameOrders.set(table.lineage, order);
  return order;
}

function sortedIndices(table: RowTable, sort: QueueSort, statuses: ItemStatus[], durations: (number | null)[]): number[] {
  const indices = Array.from({ length: table.length }, (_, index) => index);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  switch (sort.key) {
    case 'queue':
      return sign === 1 ? indices : indices.reverse();
    case 'name': {
      const order = Array.from(nameOrder(table));
      return sign === 1 ? order : order.reverse();
    }
    case 'status':
      return indices.sort((a, b) => sign * (STATUS_RANK[statuses[a] ?? 'pending'] - STATUS_RANK[statuses[b] ?? 'pending']) || a - b);
    case 'time':
      // Rows without a time go last in either direction.
      return indices.sort((a, b) => {
        const x = durations[a] ?? null;
        const y = durations[b] ?? null;
        if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
        return sign * (x - y) || a - b;
      });
    default:
      return assertNever(sort.key, 'sort key');
  }
}

/** The row indices to show, in order; null means every row in queue order. */
export function queueOrder(table: RowTable, filter: StatusFilter, sort: QueueSort): readonly number[] | null {
  if (filter === 'all' && sort.key === 'queue' && sort.direction === 'ascending') return null;
  const statuses: ItemStatus[] = new Array<ItemStatus>(table.length);
  const durations: (number | null)[] = new Array<number | null>(table.length);
  forEachRow(table, (row, index) => {
    statuses[index] = row.status;
    durations[index] = row.duration_ms;
  });
  const ordered = sortedIndices(table, sort, statuses, durations);
  return filter === 'all' ? ordered : ordered.filter((index) => statuses[index] === filter);
}

/** A click on a column header: the same column flips direction, another starts ascending. */
export function nextSort(current: QueueSort, key: SortKey): QueueSort {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}
