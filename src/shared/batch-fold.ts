import { assertNever } from './assert-never';
import type { BatchClock, BatchEvent, BatchPausedEvent } from './batch-events';
import type { QueueItem } from './batch-types';
import type { BatchPause, BatchSnapshot, BatchState, QueueRow } from './ipc-contract';
import { firstSentence, withoutCodeMarks } from './plain-sentence';
import { picturesAfter, picturesOfRows, queueRowFromItem, rowWithProgress } from './queue-row';
import type { RowTable } from './row-table';
import { forEachRow, rowAt, rowTableFrom, withRow } from './row-table';

/**
 * The one fold of batch events: what a batch looks like after a snapshot and the events that
 * followed it. Main's tracker keeps the running batch with it and the renderer's store keeps
 * its copy with it, so the two cannot tell different stories.
 *
 * Every function is pure and returns the same object when an event changes nothing, so the
 * renderer's selectors stay quiet. An event touches one row slot (row-table.ts), never a
 * copy of all rows, so a 10,000-file batch costs the same per event as a small one.
 *
 * What the events mean here:
 * - `batch:stopped` ends the run (the runner sends it after its last file, just before
 *   `batch:finished`): the batch is `stopped`, with the reason and message.
 * - `batch:paused` / `batch:continued` leave the batch running, with `pause` saying what it
 *   waits for and until when, then cleared: the batch is paused (`batchPhase`), not stopped.
 * - `item:updated` replaces its row; a file still processing keeps its picture progress.
 * - A warning is listed once, however often it is sent.
 * - Events of another batch change nothing: only a fresh snapshot can draw that batch.
 */
export interface BatchView extends Omit<BatchSnapshot, 'rows'> {
  readonly rows: RowTable;
  /** When `elapsed_ms` and `eta_ms` were reported (ms since the epoch), to keep the clock moving between events. */
  readonly clock_at: number;
  /** The indices of the rows being processed, in the order they started: what "Now:" names. */
  readonly processing: readonly number[];
}

type DryRunTotals = NonNullable<BatchSnapshot['totals']>;

const NO_TOTALS: DryRunTotals = { decks: 0, pictures: 0, pictures_missing_alt: 0, pictures_for_model: 0 };

/** A batch is active while its runner runs, stopping included. */
export function isActiveState(state: BatchState): boolean {
  return state === 'running' || state === 'stopping';
}

/**
 * The one state a batch is in, as the screen names it: a running batch that waits for the
 * model server, or that the user paused, is paused (no file starts), whatever else is said
 * about it.
 */
export type BatchPhase = 'running' | 'paused' | 'stopping' | 'finished' | 'stopped';

export function batchPhase(view: Pick<BatchView, 'state' | 'pause' | 'user_paused'>): BatchPhase {
  return view.state === 'running' && (view.pause !== null || view.user_paused === true) ? 'paused' : view.state;
}

/** What a `batch:paused` event says, for the screen: the diagnosis only, as plain words. */
function pauseOf(event: BatchPausedEvent): BatchPause {
  return { reason: event.reason, message: withoutCodeMarks(firstSentence(event.message)), until: event.wait_until };
}

/** The processing rows' indices after one row changed. */
function processingAfter(processing: readonly number[], before: QueueRow, after: QueueRow): readonly number[] {
  const was = before.status === 'processing';
  const is = after.status === 'processing';
  if (was === is) return processing;
  return is ? [...processing, after.index] : processing.filter((index) => index !== after.index);
}

/** Elapsed time at `now`: a running batch's clock keeps counting from its last report. */
export function liveElapsedMs(clock: Pick<BatchView, 'state' | 'elapsed_ms' | 'clock_at'>, now: number): number {
  return clock.elapsed_ms + (isActiveState(clock.state) ? Math.max(0, now - clock.clock_at) : 0);
}

/** What one row adds to a dry run's totals: a deck that was inspected, its pictures, those needing alt text. */
function totalsOf(row: QueueRow | undefined): DryRunTotals {
  if (!row || row.status !== 'complete' || row.pictures_missing_alt === null) return NO_TOTALS;
  return {
    decks: 1,
    pictures: row.pictures_total ?? 0,
    pictures_missing_alt: row.pictures_missing_alt,
    // Manifests of dry runs made before there was a plan: every picture needing alt text.
    pictures_for_model: row.plan?.to_describe ?? row.pictures_missing_alt,
  };
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
    pictures_for_model: totals.pictures_for_model - removed.pictures_for_model + added.pictures_for_model,
  };
}

function dryRunTotals(rows: readonly QueueRow[]): DryRunTotals {
  const totals = { ...NO_TOTALS };
  for (const row of rows) {
    const part = totalsOf(row);
    totals.decks += part.decks;
    totals.pictures += part.pictures;
    totals.pictures_missing_alt += part.pictures_missing_alt;
    totals.pictures_for_model += part.pictures_for_model;
  }
  return totals;
}

/**
 * The view of a snapshot. Its totals and picture counts are counted from its rows: a snapshot
 * taken mid-run carries those of that moment, and the events that follow adjust them row by row.
 */
export function batchViewFrom(snapshot: BatchSnapshot, now: number): BatchView {
  const { rows, ...header } = snapshot;
  return {
    ...header,
    totals: snapshot.dry_run ? dryRunTotals(rows) : null,
    pictures: snapshot.dry_run ? null : picturesOfRows(rows),
    rows: rowTableFrom(rows),
    clock_at: now,
    processing: rows.filter((row) => row.status === 'processing').map((row) => row.index),
  };
}

/** The snapshot the view shows at `now`, for a client that starts drawing the batch. */
export function snapshotOf(view: BatchView, now: number): BatchSnapshot {
  const { rows: table, clock_at: _clockAt, processing: _processing, ...header } = view;
  const rows: QueueRow[] = [];
  forEachRow(table, (row) => rows.push(row));
  return { ...header, elapsed_ms: liveElapsedMs(view, now), rows };
}

/** True when an event belongs to a batch other than the one shown: only a fresh snapshot can draw it. */
export function isForOtherBatch(view: BatchView | null, event: BatchEvent): boolean {
  return view === null || view.batch_id !== event.batch_id;
}

function withClock(view: BatchView, clock: BatchClock, now: number): BatchView {
  return { ...view, counts: clock.counts, elapsed_ms: clock.elapsed_ms, eta_ms: clock.eta_ms, clock_at: now };
}

/** The row for an updated item, continuing the previous row: a file still processing keeps its picture progress. */
function continuedRow(index: number, item: QueueItem, inputRoot: string | null, previous: QueueRow): QueueRow {
  const keepProgress = item.status === 'processing' && previous.status === 'processing';
  return queueRowFromItem(
    index,
    item,
    inputRoot,
    keepProgress ? { done: previous.pictures_done, total: previous.pictures_total } : null,
    previous.path === item.path ? previous.relative_path : undefined,
  );
}

export function applyBatchEvent(view: BatchView, event: BatchEvent, now: number): BatchView;
export function applyBatchEvent(view: BatchView | null, event: BatchEvent, now: number): BatchView | null;
export function applyBatchEvent(view: BatchView | null, event: BatchEvent, now: number): BatchView | null {
  if (view === null || isForOtherBatch(view, event)) return view;
  switch (event.type) {
    case 'batch:started':
      return {
        ...withClock(view, event.clock, now),
        manifest_path: event.manifest_path,
        dry_run: event.dry_run,
        max_workers: event.max_workers,
        state: 'running',
        stop_reason: null,
        stop_message: null,
        pause: null,
        user_paused: false,
      };
    case 'item:updated': {
      const previous = rowAt(view.rows, event.index);
      if (!previous) return withClock(view, event.clock, now);
      const row = continuedRow(event.index, event.item, view.input_root, previous);
      return {
        ...withClock(view, event.clock, now),
        rows: withRow(view.rows, event.index, row),
        processing: processingAfter(view.processing, previous, row),
        totals: view.dry_run ? totalsAfter(view.totals, previous, row) : view.totals,
        pictures: view.pictures ? picturesAfter(view.pictures, previous, row) : view.pictures,
      };
    }
    case 'item:progressed': {
      const previous = rowAt(view.rows, event.index);
      if (!previous) return view;
      const rows = withRow(view.rows, event.index, rowWithProgress(previous, event.progress));
      return rows === view.rows ? view : { ...view, rows };
    }
    case 'batch:warned':
      return view.warnings.includes(event.message) ? view : { ...view, warnings: [...view.warnings, event.message] };
    case 'batch:paused':
      return { ...withClock(view, event.clock, now), pause: pauseOf(event) };
    case 'batch:continued':
      return { ...withClock(view, event.clock, now), pause: null };
    case 'batch:pause-changed':
      return { ...withClock(view, event.clock, now), user_paused: event.paused };
    case 'queue:reordered':
      return { ...withClock(view, event.clock, now), queue_front: event.front };
    case 'batch:stopped':
      return { ...withClock(view, event.clock, now), state: 'stopped', stop_reason: event.reason, stop_message: event.message, pause: null, user_paused: false };
    case 'batch:finished':
      return {
        ...withClock(view, event.clock, now),
        eta_ms: event.reason === 'finished' ? 0 : null,
        state: event.reason === 'finished' ? 'finished' : 'stopped',
        stop_reason: event.reason,
        stop_message: event.reason === 'finished' ? null : view.stop_message,
        pause: null,
        user_paused: false,
      };
    default:
      return assertNever(event, 'batch event');
  }
}

/** The user asked to stop: shown as "stopping" until the batch reports that it stopped. */
export function withStopRequested(view: BatchView): BatchView;
export function withStopRequested(view: BatchView | null): BatchView | null;
export function withStopRequested(view: BatchView | null): BatchView | null {
  return view?.state === 'running' ? { ...view, state: 'stopping' } : view;
}
