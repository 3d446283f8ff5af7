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

/** What a paused batch shows as its message (batch-fold.ts, for main's tracker and the renderer's store alike). */
export function pausedMessage(event: Pick<BatchPausedEvent, 'message' | 'wait_until'>): string {
  // The runner writes local ISO timestamps: characters 11-16 are its local HH:MM.
  const until = event.wait_until.slice(11, 16);
  return `${event.message} Waiting for it to come back until ${until}; the batch goes on by itself as soon as it answers.`;
}
