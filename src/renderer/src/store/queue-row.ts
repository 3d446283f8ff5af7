import type { QueueItem } from '../../../shared/batch-types';
import type { QueueRow } from '../../../shared/ipc-contract';
import type { ProcessorProgressEvent } from '../../../shared/processor-protocol';
import { parseTimestamp } from '../../../shared/time-format';

/**
 * Turns the queue items and processor progress that `batch:changed` carries into the rows the
 * table draws. Pure; the row's display path never changes within a batch, so it is kept from
 * the previous row when there is one. Must agree with the main side's rows
 * (src/main/app-service/batch-tracker.ts), which build the snapshots these rows continue.
 */

/** `item` relative to `root`, with either separator; the whole path when it is not inside. */
export function relativeDisplayPath(item: string, root: string | null): string {
  if (!root) return item;
  const trimmed = root.replace(/[\\/]+$/, '');
  if (item.length > trimmed.length + 1 && item.startsWith(trimmed) && /[\\/]/.test(item.charAt(trimmed.length))) {
    return item.slice(trimmed.length + 1);
  }
  return item;
}

function durationOf(item: QueueItem): number | null {
  if (item.status !== 'complete' && item.status !== 'failed') return null;
  const seconds = item.result?.duration_seconds;
  if (typeof seconds === 'number') return Math.round(seconds * 1000);
  if (!item.started_at || !item.completed_at) return null;
  const start = parseTimestamp(item.started_at);
  const end = parseTimestamp(item.completed_at);
  return start === null || end === null ? null : Math.max(0, end - start);
}

function finalPictures(item: QueueItem): { done: number | null; total: number | null } {
  const result = item.result;
  if (item.status !== 'complete' || !result) return { done: null, total: null };
  if (result.inspection) return { done: null, total: result.inspection.pictures };
  if (typeof result.pictures !== 'number') return { done: null, total: null };
  const parts = [result.described, result.preserved, result.decorative];
  if (parts.every((part) => part === undefined)) return { done: result.pictures, total: result.pictures };
  const handled = parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
  return { done: Math.min(handled, result.pictures), total: result.pictures };
}

export function rowFromItem(index: number, item: QueueItem, inputRoot: string | null, previous?: QueueRow): QueueRow {
  const keepProgress = item.status === 'processing' && previous?.status === 'processing';
  const pictures = keepProgress
    ? { done: previous.pictures_done, total: previous.pictures_total }
    : finalPictures(item);
  return {
    index,
    path: item.path,
    relative_path: previous?.path === item.path ? previous.relative_path : relativeDisplayPath(item.path, inputRoot),
    status: item.status,
    error: item.error,
    error_code: item.error_code,
    skip_reason: item.skip_reason,
    attempts: item.attempts,
    pictures_done: pictures.done,
    pictures_total: pictures.total,
    duration_ms: durationOf(item),
    output_path: item.result?.output_path ?? null,
    reports: item.result?.reports ?? [],
    pictures_missing_alt: item.result?.inspection?.pictures_missing_alt ?? null,
    warnings: item.result?.warnings ?? [],
  };
}

/** The row with a processor's progress applied; the same row when nothing changes or it no longer runs. */
export function rowWithProgress(row: QueueRow, progress: ProcessorProgressEvent): QueueRow {
  if (row.status !== 'processing') return row;
  const done = progress.pictures_done ?? row.pictures_done;
  const total = progress.pictures_found ?? row.pictures_total;
  if (done === row.pictures_done && total === row.pictures_total) return row;
  return { ...row, pictures_done: done, pictures_total: total };
}
