import type { BridgeError, KnownBatch } from '../../../shared/ipc-contract';
import type { SliceCreator } from './app-state';
import { toBridgeError } from './bridge-error';

export interface HistorySlice {
  readonly knownBatches: readonly KnownBatch[];
  readonly historyLoaded: boolean;
  readonly historyError: BridgeError | null;
  readonly loadHistory: () => Promise<void>;
}

/** Batches to offer for Resume: real batches with files still to do, whose manifest can be read. */
export function isResumable(batch: KnownBatch): boolean {
  return batch.unfinished && !batch.dry_run && batch.problem === null;
}

export const createHistorySlice: SliceCreator<HistorySlice> =
  ({ bridge }) =>
  (set) => ({
    knownBatches: [],
    historyLoaded: false,
    historyError: null,
    loadHistory: async () => {
      try {
        const batches = await bridge.invoke('batches:list', null);
        // Newest first: ids start with the start time.
        const knownBatches = [...batches].sort((a, b) => (a.batch_id < b.batch_id ? 1 : a.batch_id > b.batch_id ? -1 : 0));
        set({ knownBatches, historyLoaded: true, historyError: null });
      } catch (error) {
        set({ historyLoaded: true, historyError: toBridgeError(error) });
      }
    },
  });
