import type { BatchClock } from '../batch-events';
import type { ItemStatus, QueueItem, StatusCounts } from '../batch-types';
import { countStatuses } from '../batch-types';
import type { BatchSnapshot, QueueRow } from '../ipc-contract';

/** Rows, items and snapshots for the unit tests of the batch fold and the renderer. */

export const ROOT = '/lectures/fall';

export function row(index: number, overrides: Partial<QueueRow> = {}): QueueRow {
  const name = `deck-${String(index).padStart(5, '0')}.pptx`;
  return {
    index,
    path: `${ROOT}/${name}`,
    relative_path: name,
    status: 'pending',
    error: null,
    error_code: null,
    skip_reason: null,
    attempts: 0,
    pictures_done: null,
    pictures_total: null,
    duration_ms: null,
    output_path: null,
    reports: [],
    pictures_missing_alt: null,
    picture_counts: null,
    warnings: [],
    result_counts: null,
    plan: null,
    ...overrides,
  };
}

export function item(path: string, status: ItemStatus, overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    path,
    status,
    added_at: '2026-11-28T10:00:00.000+00:00',
    started_at: null,
    completed_at: null,
    error: null,
    skip_reason: null,
    result: null,
    attempts: 0,
    error_code: null,
    fingerprint: null,
    ...overrides,
  };
}

export function counts(partial: Partial<StatusCounts>): StatusCounts {
  return { total: 0, pending: 0, processing: 0, complete: 0, failed: 0, skipped: 0, ...partial };
}

export function clock(partial: Partial<StatusCounts>, elapsed_ms = 1000, eta_ms: number | null = null): BatchClock {
  return { counts: counts(partial), elapsed_ms, eta_ms };
}

export function snapshot(rowCount: number, overrides: Partial<BatchSnapshot> = {}): BatchSnapshot {
  const rows = Array.from({ length: rowCount }, (_, index) => row(index));
  return {
    batch_id: '20261128_100000_abcdef01',
    manifest_path: '/out/batch_20261128_100000_abcdef01_manifest.json',
    output_dir: '/out',
    input_root: ROOT,
    dry_run: false,
    state: 'running',
    stop_reason: null,
    stop_message: null,
    pause: null,
    counts: countStatuses(rows),
    elapsed_ms: 0,
    eta_ms: null,
    max_workers: 1,
    rows,
    warnings: [],
    pictures: null,
    totals: null,
    ...overrides,
  };
}
