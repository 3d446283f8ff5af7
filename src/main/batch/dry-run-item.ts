import type { ItemResult, QueueItem } from '../../shared/batch-types';
import { localIsoTimestamp } from '../../shared/time-format';
import { fingerprintOf } from './input-fingerprint';
import type { InspectionOutcome } from './inspect-deck';
import type { ItemDecision } from './item-decision';

/** The dry run's look at one deck, without processing it: the one place the runner inspects a deck. */
export async function inspectItem(item: QueueItem, inspect: (path: string) => Promise<InspectionOutcome>): Promise<ItemDecision> {
  const at = () => localIsoTimestamp();
  // The processor's own plan under the same settings (dry-run-pool.ts reads it in a thread of
  // its own): the dry run counts what the run will describe.
  const outcome = await inspect(item.path);
  if (outcome.ok) {
    const result: ItemResult = { dry_run: true, inspection: outcome.inspection };
    const fingerprint = outcome.fingerprint !== undefined ? outcome.fingerprint : await fingerprintOf(item.path);
    return { event: { type: 'complete', at: at(), result, fingerprint } };
  }
  return outcome.status === 'skipped'
    ? { event: { type: 'skip', at: at(), code: outcome.code, reason: outcome.message } }
    : { event: { type: 'fail', at: at(), code: outcome.code, error: outcome.message } };
}
