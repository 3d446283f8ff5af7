import { assertNever } from '../../../shared/assert-never';
import type { BatchClock, BatchEvent } from '../../../shared/batch-events';
import { pausedMessage } from '../../../shared/batch-events';
import type { BatchSnapshot, QueueRow } from '../../../shared/ipc-contract';
import { picturesAfter, picturesOfRows } from '../../../shared/queue-row';
import { rowFromItem, rowWithProgress } from './queue-row';
import type { RowTable } from './row-table';
import { rowAt, rowTableFrom, withRow } from './row-table';

/**
 * The renderer's copy of the current batch: main's `BatchSnapshot` with its rows in a
 * `RowTable`, kept current by applying `batch:changed` events. Every function here is pure
 * and returns the same object when an event changes nothing, so selectors stay quiet. An
 * event touches one row slot (see row-table.ts), never a copy of all rows.
 */
export interface CurrentBatch extends Omit<BatchSnapshot, 'rows'> {
  readonly rows: RowTable;
  /** When `elapsed_ms` and `eta_ms` were reported (ms since the epoch), to keep the clock moving between events. */
  readonly clock_at: number;
}

type DryRunTotals = NonNullable<BatchSnapshot['totals']>;

/** What one row adds to a dry run's totals: a checked deck, its pictures, those needing alt text. */
function totalsOf(row: QueueRow | undefined): DryRunTotals {
  if (!row || row.status !== 'complete') return { decks: 0, pictures: 0, pictures_missing_alt: 0 };
  return { decks: 1, pictures: row.pictures_total ?? 0, pictures_missing_alt: row.pictures_missing_alt ?? 0 };
}

/** The dry run's totals after one row changed: adjusted by the difference, not recounted. */
function totalsAfter(totals: DryRunTotals | null, before: QueueRow, after: QueueRow): DryRunTotals | null {
  if (!totals) return totals;
  const removed = totalsOf(before);
  const added = totalsOf(after);
  if (removed.decks === 0 && added.decks === 0) return totals;
  return {
    decks: totals.decks - removed.decks + added.decks,
    pictures: totals.pictures - removed.pictures + added.pictures,
    pictures_missing_alt: totals.pictures_missing_alt - removed.pictures_missing_alt + added.pictures_missing_alt,
  };
}

/**
 * A dry run's totals, counted from its rows: a snapshot taken while the dry run ran carries
 * the totals of that moment, and the events that follow do not repeat them.
 */
function dryRunTotals(rows: readonly QueueRow[]): DryRunTotals {
  const totals = { decks: 0, pictures: 0, pictures_missing_alt: 0 };
  for (const row of rows) {
    const part = totalsOf(row);
    totals.decks += part.decks;
    totals.pictures += part.pictures;
    totals.pictures_missing_alt += part.pictures_missing_alt;
  }
  return totals;
}

export function currentBatchFrom(snapshot: BatchSnapshot, now: number): CurrentBatch {
  const { rows, ...header } = snapshot;
  return {
    ...header,
    totals: snapshot.dry_run ? dryRunTotals(rows) : snapshot.totals,
    // Counted from the rows, like the totals: the events that follow adjust them row by row.
    pictures: snapshot.dry_run ? null : picturesOfRows(rows),
    rows: rowTableFrom(rows),
    clock_at: now,
  };
}

/** True when an event belongs to a batch other than the one shown: only a fresh snapshot can draw it. */
export function isForOtherBatch(batch: CurrentBatch | null, event: BatchEvent): boolean {
  return batch === null || batch.batch_id !== event.batch_id;
}

function withClock(batch: CurrentBatch, clock: BatchClock, now: number): CurrentBatch {
  return { ...batch, counts: clock.counts, elapsed_ms: clock.elapsed_ms, eta_ms: clock.eta_ms, clock_at: now };
}

export function applyBatchEvent(batch: CurrentBatch | null, event: BatchEvent, now: number): CurrentBatch | null {
  if (batch === null || isForOtherBatch(batch, event)) return batch;
  switch (event.type) {
    case 'batch:started':
      return {
        ...withClock(batch, event.clock, now),
        manifest_path: event.manifest_path,
        dry_run: event.dry_run,
        max_workers: event.max_workers,
        state: 'running',
        stop_reason: null,
        stop_message: null,
      };
    case 'item:updated': {
      const previous = rowAt(batch.rows, event.index);
      if (!previous) return withClock(batch, event.clock, now);
      const row = rowFromItem(event.index, event.item, batch.input_root, previous);
      return {
        ...withClock(batch, event.clock, now),
        rows: withRow(batch.rows, event.index, row),
        totals: batch.dry_run ? totalsAfter(batch.totals, previous, row) : batch.totals,
        pictures: batch.pictures ? picturesAfter(batch.pictures, previous, row) : batch.pictures,
      };
    }
    case 'item:progressed': {
      const previous = rowAt(batch.rows, event.index);
      if (!previous) return batch;
      const rows = withRow(batch.rows, event.index, rowWithProgress(previous, event.progress));
      return rows === batch.rows ? batch : { ...batch, rows };
    }
    case 'batch:warned':
      return batch.warnings.includes(event.message) ? batch : { ...batch, warnings: [...batch.warnings, event.message] };
    case 'batch:paused':
      // Still running: the reason and message say what it waits for, until when.
      return { ...withClock(batch, event.clock, now), stop_reason: event.reason, stop_message: pausedMessage(event) };
    case 'batch:continued':
      return { ...withClock(batch, event.clock, now), stop_reason: null, stop_message: null };
    case 'batch:stopped':
      return { ...withClock(batch, event.clock, now), state: 'stopped', stop_reason: event.reason, stop_message: event.message };
    case 'batch:finished':
      return {
        ...withClock(batch, event.clock, now),
        eta_ms: event.reason === 'finished' ? 0 : null,
        state: event.reason === 'finished' ? 'finished' : 'stopped',
        stop_reason: event.reason,
        stop_message: event.reason === 'finished' ? null : batch.stop_message,
      };
    default:
      return assertNever(event, 'batch event');
  }
}

/** The user asked to stop: shown as "stopping" until the batch reports that it stopped. */
export function withStopRequested(batch: CurrentBatch | null): CurrentBatch | null {
  return batch?.state === 'running' ? { ...batch, state: 'stopping' } : batch;
}
