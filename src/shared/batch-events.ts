import type { QueueItem, StatusCounts, StopReason } from './batch-types';
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
