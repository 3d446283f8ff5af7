import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { BatchClock, BatchEvent } from '../../shared/batch-events';
import { pausedMessage } from '../../shared/batch-events';
import type { ManifestDocument, QueueItem, StopReason } from '../../shared/batch-types';
import { countStatuses } from '../../shared/batch-types';
import type { BatchSnapshot, BatchState, QueueRow } from '../../shared/ipc-contract';
import type { PictureProgress } from '../../shared/queue-row';
import { picturesOfRows, queueRowFromItem } from '../../shared/queue-row';
import { parseTimestamp } from '../../shared/time-format';

/**
 * The main side's picture of one batch, as the renderer draws it: a row per queue item plus
 * the batch's state, clock and warnings. Built from a manifest, then kept current by the
 * runner's events. Rows are replaced, never mutated, so a snapshot is a cheap copy of the
 * row list; counts and dry-run totals are computed when a snapshot is taken.
 */

/** The row of one item (shared with the renderer, so both sides build the same rows). */
export function rowFromItem(index: number, item: QueueItem, inputRoot: string | null, progress: PictureProgress | null = null): QueueRow {
  return queueRowFromItem(index, item, inputRoot, progress);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** How long an idle batch ran: start to end, or to its last completion when it stopped early. */
function idleElapsedMs(document: ManifestDocument): number {
  const start = document.start_time === null ? null : parseTimestamp(document.start_time);
  if (start === null) return 0;
  let end = document.end_time === null ? null : parseTimestamp(document.end_time);
  if (end === null) {
    for (const item of document.queue.items) {
      const at = item.completed_at === null ? null : parseTimestamp(item.completed_at);
      if (at !== null && (end === null || at > end)) end = at;
    }
  }
  return end === null ? 0 : Math.max(0, end - start);
}

export interface TrackerOptions {
  /** Running: the batch's clock comes from the runner's events. Idle: from the manifest. */
  readonly running: boolean;
  readonly warnings?: readonly string[];
  readonly clock?: BatchClock | null;
  readonly now?: number;
}

export class BatchTracker {
  private readonly rows: QueueRow[];
  private state: BatchState;
  private stopReason: StopReason | null;
  private stopMessage: string | null;
  private readonly warnings: string[];
  private elapsedMs: number;
  private etaMs: number | null = null;
  /** When the last clock arrived; a running batch's elapsed time keeps counting from it. */
  private clockAt: number;
  private maxWorkers: number;

  constructor(
    private readonly document: ManifestDocument,
    readonly manifestPath: string,
    options: TrackerOptions,
  ) {
    const inputRoot = document.input_root;
    this.rows = document.queue.items.map((item, index) => rowFromItem(index, item, inputRoot));
    const counts = countStatuses(document.queue.items);
    const unfinished = counts.pending + counts.processing > 0;
    this.state = options.running ? 'running' : unfinished ? 'stopped' : 'finished';
    this.stopReason = options.running ? null : (document.metadata.stop_reason ?? null);
    this.stopMessage = options.running ? null : (document.metadata.stop_message ?? null);
    this.warnings = [...(options.warnings ?? (options.running ? [] : stringsOf(document.metadata['warnings'])))];
    this.maxWorkers = document.metadata.max_workers;
    this.clockAt = options.now ?? Date.now();
    this.elapsedMs = options.running ? 0 : idleElapsedMs(document);
    if (options.clock) this.takeClock(options.clock, this.clockAt);
  }

  get batchId(): string {
    return this.document.batch_id;
  }

  get dryRun(): boolean {
    return this.document.metadata.dry_run;
  }

  get inputRoot(): string | null {
    return this.document.input_root;
  }

  get outputDir(): string {
    return path.dirname(this.manifestPath);
  }

  get isActive(): boolean {
    return this.state === 'running' || this.state === 'stopping';
  }

  /** The row at `index`, or null. */
  row(index: number): QueueRow | null {
    return this.rows[index] ?? null;
  }

  apply(event: BatchEvent, now: number = Date.now()): void {
    switch (event.type) {
      case 'batch:started':
        this.state = 'running';
        this.stopReason = null;
        this.stopMessage = null;
        this.maxWorkers = event.max_workers;
        this.takeClock(event.clock, now);
        return;
      case 'item:updated':
        this.rows[event.index] = rowFromItem(event.index, event.item, this.inputRoot);
        this.takeClock(event.clock, now);
        return;
      case 'item:progressed': {
        const row = this.rows[event.index];
        if (!row || row.status !== 'processing') return;
        this.rows[event.index] = {
          ...row,
          pictures_done: event.progress.pictures_done ?? row.pictures_done,
          pictures_total: event.progress.pictures_found ?? row.pictures_total,
        };
        return;
      }
      case 'batch:warned':
        this.warnings.push(event.message);
        return;
      case 'batch:paused':
        // Still running: the reason and message say what it waits for, until when.
        this.stopReason = event.reason;
        this.stopMessage = pausedMessage(event);
        this.takeClock(event.clock, now);
        return;
      case 'batch:continued':
        this.stopReason = null;
        this.stopMessage = null;
        this.takeClock(event.clock, now);
        return;
      case 'batch:stopped':
        this.stopReason = event.reason;
        this.stopMessage = event.message;
        this.takeClock(event.clock, now);
        return;
      case 'batch:finished':
        this.state = event.reason === 'finished' ? 'finished' : 'stopped';
        this.stopReason = event.reason;
        this.takeClock(event.clock, now);
        this.etaMs = event.reason === 'finished' ? 0 : null;
        return;
      default:
        assertNever(event, 'batch event');
    }
  }

  /** The user asked to stop; the runner's own events say when it has. */
  markStopping(): void {
    if (this.state === 'running') this.state = 'stopping';
  }

  /** The run ended without its final event (the manifest could no longer be written). */
  markAborted(message: string, now: number = Date.now()): void {
    if (!this.isActive) return;
    this.elapsedMs += now - this.clockAt;
    this.clockAt = now;
    this.state = 'stopped';
    this.stopReason = 'interrupted';
    this.stopMessage = message;
    this.etaMs = null;
  }

  snapshot(now: number = Date.now()): BatchSnapshot {
    const rows = [...this.rows];
    const counts = countStatuses(rows);
    const dryRun = this.dryRun;
    return {
      batch_id: this.batchId,
      manifest_path: this.manifestPath,
      output_dir: this.outputDir,
      input_root: this.inputRoot,
      dry_run: dryRun,
      state: this.state,
      stop_reason: this.stopReason,
      stop_message: this.stopMessage,
      counts,
      elapsed_ms: this.isActive ? this.elapsedMs + Math.max(0, now - this.clockAt) : this.elapsedMs,
      eta_ms: this.etaMs,
      max_workers: this.maxWorkers,
      rows,
      warnings: [...this.warnings],
      pictures: dryRun ? null : picturesOfRows(rows),
      totals: dryRun ? dryRunTotals(rows) : null,
    };
  }

  private takeClock(clock: BatchClock, now: number): void {
    this.elapsedMs = clock.elapsed_ms;
    this.etaMs = clock.eta_ms;
    this.clockAt = now;
  }
}

function dryRunTotals(rows: readonly QueueRow[]): NonNullable<BatchSnapshot['totals']> {
  let decks = 0;
  let pictures = 0;
  let missing = 0;
  for (const row of rows) {
    if (row.status !== 'complete' || row.pictures_missing_alt === null) continue;
    decks += 1;
    pictures += row.pictures_total ?? 0;
    missing += row.pictures_missing_alt;
  }
  return { decks, pictures, pictures_missing_alt: missing };
}
