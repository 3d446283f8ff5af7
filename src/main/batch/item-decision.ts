import type { PauseReason, StopReason } from '../../shared/batch-types';
import type { ItemEvent } from '../../shared/item-state';
import type { BatchError } from './batch-error';

/**
 * What running one item decided; `stop` asks the whole batch to stop after it, `pause` to wait
 * for the model server (the item is then back in the queue, first in line), `fatal` to end the
 * batch at once with that error (the output folder cannot take more, the input folder is gone).
 */
export interface ItemDecision {
  readonly event: ItemEvent;
  readonly fatal?: BatchError;
  readonly stop?: { readonly reason: StopReason; readonly message: string };
  readonly pause?: { readonly reason: PauseReason; readonly message: string };
  /** The processor refused the deck itself (exit 65): not the output folder's fault, not retried. */
  readonly inputProblem?: boolean;
}
