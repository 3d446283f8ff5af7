import type { QueueRow } from '../../../shared/ipc-contract';
import type { BatchView } from '../../../shared/batch-fold';
import { forEachRow } from '../../../shared/row-table';

/** The failed view lists at most this many; the queue table, filtered by status, shows them all. */
export const FAILED_LIST_LIMIT = 200;

/** The batch's failed rows in queue order, up to `limit`. */
export function failedRows(batch: BatchView | null, limit = FAILED_LIST_LIMIT): QueueRow[] {
  const rows: QueueRow[] = [];
  if (!batch || batch.counts.failed === 0) return rows;
  forEachRow(batch.rows, (row) => {
    if (row.status === 'failed' && rows.length < limit) rows.push(row);
  });
  return rows;
}
