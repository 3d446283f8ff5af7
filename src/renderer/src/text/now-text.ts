import type { BatchView } from '../../../shared/batch-fold';
import { rowAt } from '../../../shared/row-table';

/**
 * What the header names as being worked on: "anatomy.pptx — picture 3 of 5" for each file being
 * processed, in the order they started; at most MAX_NAMED, then how many more.
 */
const MAX_NAMED = 4;

function pictureWords(done: number | null, found: number | null): string {
  if (found === null) return 'starting';
  if (found === 0) return 'no pictures';
  const current = (done ?? 0) + 1;
  return current > found ? 'writing the copy' : `picture ${current} of ${found}`;
}

export function nowText(batch: Pick<BatchView, 'processing' | 'rows' | 'dry_run'>): string | null {
  if (batch.processing.length === 0) return null;
  const named = batch.processing.slice(0, MAX_NAMED).map((index) => {
    const row = rowAt(batch.rows, index);
    if (!row) return null;
    return batch.dry_run ? row.relative_path : `${row.relative_path} — ${pictureWords(row.pictures_done, row.pictures_total)}`;
  });
  const names = named.filter((name): name is string => name !== null);
  const more = batch.processing.length - names.length;
  return `${batch.dry_run ? 'Checking' : 'Now'}: ${names.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
}
