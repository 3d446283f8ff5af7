import type { BatchView } from '../../../shared/batch-fold';

/** Which batch commands make sense now; the controls show exactly these. */
export interface BatchActions {
  readonly canStop: boolean;
  readonly stopping: boolean;
  readonly canResume: boolean;
  readonly canRetryFailed: boolean;
  readonly canStartAfterDryRun: boolean;
}

export const NO_BATCH_ACTIONS: BatchActions = {
  canStop: false,
  stopping: false,
  canResume: false,
  canRetryFailed: false,
  canStartAfterDryRun: false,
};

export function batchActions(batch: BatchView | null): BatchActions {
  if (!batch) return NO_BATCH_ACTIONS;
  const active = batch.state === 'running' || batch.state === 'stopping';
  const { counts } = batch;
  return {
    canStop: batch.state === 'running',
    stopping: batch.state === 'stopping',
    canResume: !active && !batch.dry_run && counts.pending + counts.processing > 0,
    canRetryFailed: !active && !batch.dry_run && counts.failed > 0,
    canStartAfterDryRun: batch.dry_run && batch.state === 'finished' && (batch.totals?.decks ?? counts.complete) > 0,
  };
}
