import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { BatchMetadata, QueueItem } from '../../shared/batch-types';
import type { ItemErrorCode } from '../../shared/error-codes';
import { transition } from '../../shared/item-state';
import { localIsoTimestamp } from '../../shared/time-format';
import { BatchError } from './batch-error';
import { lockBatch } from './batch-lock';
import { DeckLogWriter } from './deck-log';
import { ManifestStore } from './manifest-store';

/**
 * The user's changes to a batch's queue, in words and rules the runner (for a running batch)
 * and {@link editStoppedBatch} (for one that is not running) share: move a pending deck to the
 * front, skip it for now (a resume takes it up again), remove it from the batch (until it is put
 * back), or put a deck so skipped or removed back in the queue.
 *
 * Skipped and removed decks are `skipped` items of the manifest (the seed's five statuses are
 * the contract), told apart by their code: ESKIPPED_BY_USER is one a resume retries,
 * EREMOVED_BY_USER one only "put back" brings back. The order of the front is kept in the
 * manifest's metadata (`queue_front`), so that a resume starts the same decks first.
 */

export type QueueEdit = 'move-to-front' | 'skip' | 'remove' | 'put-back';

export const QUEUE_MESSAGES = {
  front: 'Moved to the front of the queue at your request.',
  skip: 'Skipped at your request; resuming the batch takes it up again.',
  remove: 'Removed from the batch at your request; put it back to process it.',
  putBack: 'Put back in the queue at your request.',
} as const;

const USER_SKIP_CODES: ReadonlySet<ItemErrorCode> = new Set<ItemErrorCode>(['ESKIPPED_BY_USER', 'EREMOVED_BY_USER']);

/** A deck the user skipped or removed: "put back" applies to it. */
export function isUserSkip(item: Pick<QueueItem, 'status' | 'error_code'>): boolean {
  return item.status === 'skipped' && item.error_code !== null && USER_SKIP_CODES.has(item.error_code);
}

/** Why a deck that is not pending cannot be moved, skipped or removed. */
export function notPendingReason(item: Pick<QueueItem, 'status'>): string {
  switch (item.status) {
    case 'processing':
      return 'it is being processed now';
    case 'complete':
      return 'it is done';
    case 'failed':
      return 'it failed (retry it instead)';
    case 'skipped':
      return 'it is skipped';
    case 'pending':
      return 'it is waiting for its turn';
    default:
      return assertNever(item.status, 'status');
  }
}

/** The manifest's `queue_front`, as far as it is a list of item indices. */
export function queueFrontOf(metadata: BatchMetadata): number[] {
  const front = metadata['queue_front'];
  return Array.isArray(front) ? front.filter((index): index is number => Number.isSafeInteger(index) && index >= 0) : [];
}

function pendingOrRefuse(item: QueueItem, what: string): void {
  if (item.status !== 'pending') throw new BatchError('EUSAGE', `${path.basename(item.path)} cannot be ${what}: ${notPendingReason(item)}.`);
}

/**
 * Changes the queue of a batch that is not running, under its lock (a batch that runs meanwhile
 * is refused with EBATCH_LOCKED: its runner takes the change instead). Nothing starts: the
 * batch goes on when it is resumed.
 */
export async function editStoppedBatch(manifestPath: string, edit: QueueEdit, index: number): Promise<void> {
  const release = await lockBatch(manifestPath, { waitMs: 1500, purpose: 'change the queue' });
  try {
    const store = await ManifestStore.open(manifestPath);
    let logged: string | null = null;
    try {
      if (!Number.isSafeInteger(index) || index < 0 || index >= store.itemCount) {
        throw new BatchError('EUSAGE', `Batch ${store.batchId} has no file number ${index}.`);
      }
      const item = store.itemAt(index);
      const at = localIsoTimestamp();
      switch (edit) {
        case 'move-to-front': {
          pendingOrRefuse(item, 'moved to the front');
          const pending = (other: number) => store.itemAt(other).status === 'pending' && other !== index;
          await store.updateBatch({ metadata: { queue_front: [index, ...queueFrontOf(store.snapshot().metadata).filter(pending)] } });
          logged = QUEUE_MESSAGES.front;
          break;
        }
        case 'skip':
          pendingOrRefuse(item, 'skipped');
          await store.updateItem(index, transition(item, { type: 'skip', at, code: 'ESKIPPED_BY_USER', reason: QUEUE_MESSAGES.skip }));
          logged = QUEUE_MESSAGES.skip;
          break;
        case 'remove':
          pendingOrRefuse(item, 'removed');
          await store.updateItem(index, transition(item, { type: 'skip', at, code: 'EREMOVED_BY_USER', reason: QUEUE_MESSAGES.remove }));
          logged = QUEUE_MESSAGES.remove;
          break;
        case 'put-back':
          if (!isUserSkip(item)) throw new BatchError('EUSAGE', `${path.basename(item.path)} was not skipped or removed at your request, so there is nothing to put back.`);
          await store.updateItem(index, transition(item, { type: 'retry' }));
          logged = QUEUE_MESSAGES.putBack;
          break;
        default:
          assertNever(edit, 'queue edit');
      }
    } finally {
      await store.close();
    }
    // A dry run keeps no logs.
    if (logged && !store.snapshot().metadata.dry_run) {
      const log = new DeckLogWriter(path.dirname(manifestPath), store.batchId, () => undefined);
      log.write(index, { kind: 'queue', at: localIsoTimestamp(), message: logged });
      await log.flush();
    }
  } finally {
    await release();
  }
}
