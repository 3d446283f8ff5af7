import type { ItemStatus } from '../../../shared/batch-types';
import type { BatchState } from '../../../shared/ipc-contract';
import { assertNever } from '../../../shared/assert-never';

/** Every status is shown as words, with its emoji beside them (never the emoji or a colour alone). */
export interface StatusText {
  readonly emoji: string | null;
  readonly words: string;
}

export const STATUS_TEXT: Readonly<Record<ItemStatus, StatusText>> = {
  complete: { emoji: '✅', words: 'Complete' },
  failed: { emoji: '❌', words: 'Failed' },
  skipped: { emoji: '⏭️', words: 'Skipped' },
  processing: { emoji: '⏳', words: 'Processing' },
  pending: { emoji: null, words: 'Pending' },
};

/** "✅ Complete", "Pending". */
export function statusLabel(status: ItemStatus): string {
  const { emoji, words } = STATUS_TEXT[status];
  return emoji ? `${emoji} ${words}` : words;
}

export function batchStateWords(state: BatchState, dryRun: boolean): string {
  switch (state) {
    case 'running':
      return dryRun ? 'Dry run in progress' : 'Running';
    case 'stopping':
      return 'Stopping…';
    case 'finished':
      return dryRun ? 'Dry run finished' : 'Finished';
    case 'stopped':
      return 'Stopped';
    default:
      return assertNever(state, 'batch state');
  }
}
