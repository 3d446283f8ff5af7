import type { PictureCounts, ProcessorCounts, QueueItem } from './batch-types';
import { addPictureCounts, NO_PICTURES, pictureCountsOf } from './batch-types';
import type { QueueRow } from './ipc-contract';
import type { ProcessorProgressEvent } from './processor-protocol';
import { parseTimestamp } from './time-format';

/**
 * A queue item as a row of the queue table. One pure definition for both sides: the main
 * side builds snapshots with it, the renderer continues them from events with it, so the two
 * can never disagree.
 */

export interface PictureProgress {
  readonly done: number | null;
  readonly total: number | null;
}

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
  const start = item.started_at ? parseTimestamp(item.started_at) : null;
  const end = item.completed_at ? parseTimestamp(item.completed_at) : null;
  return start === null || end === null ? null : Math.max(0, end - start);
}

/** Final picture counts of a finished file: what the processor or the dry run reported. */
function finalPictures(item: QueueItem): PictureProgress {
  const result = item.result;
  if (item.status !== 'complete' || !result) return { done: null, total: null };
  if (result.inspection) return { done: null, total: result.inspection.pictures };
  if (typeof result.pictures !== 'number') return { done: null, total: null };
  const parts = [result.described, result.preserved, result.decorative];
  if (parts.every((part) => part === undefined)) return { done: result.pictures, total: result.pictures };
  const handled = parts.reduce<number>((sum, part) => sum + (part ?? 0), 0);
  return { done: Math.min(handled, result.pictures), total: result.pictures };
}

/** What happened to a complete file's pictures, as its processor counted them. */
function pictureCountsOfItem(item: QueueItem): PictureCounts | null {
  const result = item.result;
  if (item.status !== 'complete' || !result || result.dry_run) return null;
  return pictureCountsOf(result);
}

const RESULT_COUNT_KEYS = [
  'pictures',
  'described',
  'drafted',
  'preserved',
  'decorative',
  'skipped',
  'needs_review',
  'model_failed',
  'model_calls',
  'cache_hits',
] as const satisfies readonly (keyof ProcessorCounts)[];

/** A complete file's counts as its processor reported them (only the counts: a row stays small). */
function resultCountsOf(item: QueueItem): ProcessorCounts | null {
  const result = item.result;
  if (item.status !== 'complete' || !result || result.dry_run || result.inspection) return null;
  const counts: { -readonly [K in keyof ProcessorCounts]: ProcessorCounts[K] } = {};
  for (const key of RESULT_COUNT_KEYS) if (typeof result[key] === 'number') counts[key] = result[key];
  if (result.skipped_reasons) counts.skipped_reasons = result.skipped_reasons;
  return counts;
}

/** The pictures of all complete rows: the batch's own counts, on both sides. */
export function picturesOfRows(rows: Iterable<Pick<QueueRow, 'picture_counts'>>): PictureCounts {
  let total = NO_PICTURES;
  for (const row of rows) if (row.picture_counts) total = addPictureCounts(total, row.picture_counts);
  return total;
}

/** The batch's picture counts after one row changed: adjusted by the difference, not recounted. */
export function picturesAfter(pictures: PictureCounts, before: Pick<QueueRow, 'picture_counts'>, after: Pick<QueueRow, 'picture_counts'>): PictureCounts {
  if (before.picture_counts === after.picture_counts) return pictures;
  const removed = before.picture_counts ? addPictureCounts(pictures, before.picture_counts, -1) : pictures;
  return after.picture_counts ? addPictureCounts(removed, after.picture_counts) : removed;
}

/**
 * The row of one item. `progress` is the processor's latest picture progress while the file
 * is processing; `relativePath` may be passed to skip recomputing it.
 */
export function queueRowFromItem(
  index: number,
  item: QueueItem,
  inputRoot: string | null,
  progress: PictureProgress | null = null,
  relativePath?: string,
): QueueRow {
  const pictures = item.status === 'processing' ? (progress ?? { done: null, total: null }) : finalPictures(item);
  return {
    index,
    path: item.path,
    relative_path: relativePath ?? relativeDisplayPath(item.path, inputRoot),
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
    picture_counts: pictureCountsOfItem(item),
    warnings: item.result?.warnings ?? [],
    result_counts: resultCountsOf(item),
    plan: item.status === 'complete' ? (item.result?.inspection?.plan ?? null) : null,
    ...auditOfItem(item),
  };
}

/** A complete deck's accessibility counts: the dry run's, or the run's with what it fixed. */
function auditOfItem(item: QueueItem): Pick<QueueRow, 'audit' | 'audit_fixed'> {
  const result = item.result;
  if (item.status !== 'complete' || !result) return {};
  const audit = result.inspection?.audit ?? result.audit;
  return { ...(audit ? { audit } : {}), ...(!result.inspection && result.audit_fixed ? { audit_fixed: result.audit_fixed } : {}) };
}

/** The row with a processor's progress applied; the same row when nothing changes or it no longer runs. */
export function rowWithProgress(row: QueueRow, progress: ProcessorProgressEvent): QueueRow {
  if (row.status !== 'processing') return row;
  const done = progress.pictures_done ?? row.pictures_done;
  const total = progress.pictures_found ?? row.pictures_total;
  if (done === row.pictures_done && total === row.pictures_total) return row;
  return { ...row, pictures_done: done, pictures_total: total };
}
