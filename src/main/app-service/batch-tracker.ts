import path from 'node:path';
import type { BatchView } from '../../shared/batch-fold';
import { applyBatchEvent, batchViewFrom, isActiveState, liveElapsedMs, snapshotOf, withStopRequested } from '../../shared/batch-fold';
import type { BatchClock, BatchEvent } from '../../shared/batch-events';
import { batchElapsedMs } from '../../shared/batch-elapsed';
import type { ManifestDocument } from '../../shared/batch-types';
import { countStatuses } from '../../shared/batch-types';
import type { BatchSnapshot, QueueRow } from '../../shared/ipc-contract';
import { queueRowFromItem } from '../../shared/queue-row';
import { rowAt } from '../../shared/row-table';
import { queueFrontOf } from '../batch/queue-edits';
import { batchNameOf } from './batch-history';

/**
 * The main side's picture of one batch, as the renderer draws it: a row per queue item plus
 * the batch's state, clock and warnings. Built from a manifest, then kept current by the
 * runner's events through the same fold as the renderer's store (shared/batch-fold.ts).
 */

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export interface TrackerOptions {
  /** Running: the batch's clock comes from the runner's events. Idle: from the manifest. */
  readonly running: boolean;
  readonly warnings?: readonly string[];
  readonly clock?: BatchClock | null;
  readonly now?: number;
}

/** The snapshot a manifest shows before any event: running if its runner is, else stopped or finished. */
function snapshotFromManifest(document: ManifestDocument, manifestPath: string, options: TrackerOptions): BatchSnapshot {
  const counts = countStatuses(document.queue.items);
  const unfinished = counts.pending + counts.processing > 0;
  const { metadata } = document;
  return {
    batch_id: document.batch_id,
    manifest_path: manifestPath,
    output_dir: path.dirname(manifestPath),
    input_root: document.input_root,
    dry_run: metadata.dry_run,
    state: options.running ? 'running' : unfinished ? 'stopped' : 'finished',
    stop_reason: options.running ? null : (metadata.stop_reason ?? null),
    stop_message: options.running ? null : (metadata.stop_message ?? null),
    pause: null,
    counts,
    // Every run of the batch added up (resumes, retries); a running batch's clock comes from its events.
    elapsed_ms: options.running ? 0 : batchElapsedMs(document),
    eta_ms: null,
    max_workers: metadata.max_workers,
    rows: document.queue.items.map((item, index) => queueRowFromItem(index, item, document.input_root)),
    warnings: [...(options.warnings ?? (options.running ? [] : stringsOf(metadata['warnings'])))],
    pictures: null,
    totals: null,
    name: batchNameOf(document),
    // A running batch's pause starts off (a new run is never paused); its front order goes on.
    user_paused: false,
    queue_front: queueFrontOf(metadata).filter((index) => document.queue.items[index]?.status === 'pending'),
  };
}

export class BatchTracker {
  private view: BatchView;

  constructor(
    document: ManifestDocument,
    readonly manifestPath: string,
    options: TrackerOptions,
  ) {
    const now = options.now ?? Date.now();
    const view = batchViewFrom(snapshotFromManifest(document, manifestPath, options), now);
    this.view = options.clock ? { ...view, counts: options.clock.counts, elapsed_ms: options.clock.elapsed_ms, eta_ms: options.clock.eta_ms } : view;
  }

  get batchId(): string {
    return this.view.batch_id;
  }

  get dryRun(): boolean {
    return this.view.dry_run;
  }

  get inputRoot(): string | null {
    return this.view.input_root;
  }

  get outputDir(): string {
    return this.view.output_dir;
  }

  get isActive(): boolean {
    return isActiveState(this.view.state);
  }

  /** The row at `index`, or null. */
  row(index: number): QueueRow | null {
    return rowAt(this.view.rows, index) ?? null;
  }

  apply(event: BatchEvent, now: number = Date.now()): void {
    this.view = applyBatchEvent(this.view, event, now);
  }

  /** The user asked to stop; the runner's own events say when it has. */
  markStopping(): void {
    this.view = withStopRequested(this.view);
  }

  /** The run ended without its final event (the manifest could no longer be written). */
  markAborted(message: string, now: number = Date.now()): void {
    if (!this.isActive) return;
    this.view = {
      ...this.view,
      elapsed_ms: liveElapsedMs(this.view, now),
      clock_at: now,
      state: 'stopped',
      stop_reason: 'interrupted',
      stop_message: message,
      pause: null,
      eta_ms: null,
    };
  }

  snapshot(now: number = Date.now()): BatchSnapshot {
    return snapshotOf(this.view, now);
  }
}
