import type { QueueItem } from '../../../shared/batch-types';
import { countPictures, countStatuses } from '../../../shared/batch-types';
import type { BatchSummary } from '../../batch/batch-runner';

/** A finished batch's summary over these items, for the tests of the summary block. */
export function summaryOf(items: readonly QueueItem[], extra: Partial<BatchSummary> = {}): BatchSummary {
  return {
    batch_id: '20261128_100000_abcdef01',
    manifest_path: '/out/batch_20261128_100000_abcdef01_manifest.json',
    output_dir: '/out',
    dry_run: false,
    resumed: false,
    counts: countStatuses(items),
    pictures: countPictures(items),
    duration_ms: 1_000,
    stop_reason: 'finished',
    stop_message: null,
    warnings: [],
    dry_run_totals: null,
    model_check: null,
    ...extra,
  };
}
