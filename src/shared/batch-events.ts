import type { PauseReason, QueueItem, StatusCounts, StopReason } from './batch-types';
import type { ProcessorProgressEvent } from './processor-protocol';

/**
 * What the runner reports while a batch runs. The CLI prints these, the web UI and the
 * Electron renderer receive them over the bridge. Every `item:updated` is emitted only
 * after the transition is durable in the manifest.
 */
export interface BatchClock {
  readonly counts: StatusCounts;
  readonly elapsed_ms: number;
  /** An estimate from files completed in this run; null before the first completion. */
  readonly eta_ms: number | null;
}

export type BatchEvent =
  | {
      readonly type: 'batch:started';
      readonly batch_id: string;
      readonly manifest_path: string;
      readonly resumed: boolean;
      readonly dry_run: boolean;
      readonly max_workers: number;
      readonly clock: BatchClock;
    }
  | {
      readonly type: 'item:updated';
      readonly batch_id: string;
      readonly index: number;
      readonly item: QueueItem;
      readonly clock: BatchClock;
    }
  | {
      readonly type: 'item:progressed';
      readonly batch_id: string;
      readonly index: number;
      readonly path: string;
      readonly progress: ProcessorProgressEvent;
    }
  | { readonly type: 'batch:warned'; readonly batch_id: string; readonly message: string }
  /**
   * No file starts until the model server answers again; the file that found it gone is back
   * in the queue (no attempt counted). The runner asks the server now and then, and stops
   * (reason `model-unavailable`) if it is still gone at `wait_until`.
   */
  | {
      readonly type: 'batch:paused';
      readonly batch_id: string;
      readonly reason: PauseReason;
      readonly message: string;
      /** Local ISO timestamp (like the manifest's) at which the batch gives up waiting. */
      readonly wait_until: string;
      readonly clock: BatchClock;
    }
  /** The model server answers again: files start again. */
  | {
      readonly type: 'batch:continued';
      readonly batch_id: string;
      readonly message: string;
      readonly clock: BatchClock;
    }
  /**
   * The user paused the batch (no deck and no picture starts; what runs finishes) or let it go on.
   * Unlike a wait for the model server it has no end of its own.
   */
  | {
      readonly type: 'batch:pause-changed';
      readonly batch_id: string;
      readonly paused: boolean;
      readonly clock: BatchClock;
    }
  /**
   * The order in which pending decks start changed (a deck moved to the front): `front` start
   * first, in this order, then the others by their place in the queue.
   */
  | {
      readonly type: 'queue:reordered';
      readonly batch_id: string;
      readonly front: readonly number[];
      readonly clock: BatchClock;
    }
  | {
      readonly type: 'batch:stopped';
      readonly batch_id: string;
      readonly reason: StopReason;
      readonly message: string;
      readonly clock: BatchClock;
    }
  | {
      readonly type: 'batch:finished';
      readonly batch_id: string;
      readonly reason: StopReason;
      readonly clock: BatchClock;
    };

export type BatchEventType = BatchEvent['type'];

export type BatchPausedEvent = Extract<BatchEvent, { type: 'batch:paused' }>;
