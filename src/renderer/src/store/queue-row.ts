import type { QueueItem } from '../../../shared/batch-types';
import type { QueueRow } from '../../../shared/ipc-contract';
import { queueRowFromItem } from '../../../shared/queue-row';

export { relativeDisplayPath, rowWithProgress } from '../../../shared/queue-row';

/**
 * The row for an item from `batch:changed`, continuing the previous row: a file still
 * processing keeps its picture progress, and the display path is kept.
 */
export function rowFromItem(index: number, item: QueueItem, inputRoot: string | null, previous?: QueueRow): QueueRow {
  const keepProgress = item.status === 'processing' && previous?.status === 'processing';
  return queueRowFromItem(
    index,
    item,
    inputRoot,
    keepProgress ? { done: previous.pictures_done, total: previous.pictures_total } : null,
    previous?.path === item.path ? previous.relative_path : undefined,
  );
}
