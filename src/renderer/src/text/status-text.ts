import { assertNever } from '../../../shared/assert-never';
import type { BatchPhase } from '../../../shared/batch-fold';
import type { ItemStatus } from '../../../shared/batch-types';
import type { BatchPause } from '../../../shared/ipc-contract';
import type { IconName } from '../components/icon';

/**
 * Every status is shown as words with an icon beside them (never an icon or a colour alone). A
 * dry run changes nothing, so its files are not "complete" or "failed": they are ready, or will
 * fail, or will be skipped, when the run comes.
 */
export interface StatusText {
  readonly icon: IconName;
  readonly words: string;
}

const RUN_STATUS: Readonly<Record<ItemStatus, StatusText>> = {
  complete: { icon: 'check', words: 'Complete' },
  failed: { icon: 'cross', words: 'Failed' },
  skipped: { icon: 'skip', words: 'Skipped' },
  processing: { icon: 'working', words: 'Processing' },
  pending: { icon: 'pending', words: 'Pending' },
};

const DRY_RUN_STATUS: Readonly<Record<ItemStatus, StatusText>> = {
  complete: { icon: 'check', words: 'Ready' },
  failed: { icon: 'cross', words: 'Will fail' },
  skipped: { icon: 'skip', words: 'Will be skipped' },
  processing: { icon: 'working', words: 'Checking' },
  pending: { icon: 'pending', words: 'Not checked yet' },
};

export function statusText(status: ItemStatus, dryRun: boolean): StatusText {
  return (dryRun ? DRY_RUN_STATUS : RUN_STATUS)[status];
}

/** "Complete", "Will fail": a status in words, for a list of options. */
export function statusWords(status: ItemStatus, dryRun: boolean): string {
  return statusText(status, dryRun).words;
}

/** The runner writes local ISO timestamps: characters 11-16 are its (and this computer's) HH:MM. */
export function clockTime(localIso: string): string {
  return localIso.slice(11, 16);
}

/** The batch's one state, as its heading says it. */
export function batchPhaseWords(phase: BatchPhase, dryRun: boolean, pause: BatchPause | null): string {
  switch (phase) {
    case 'running':
      return dryRun ? 'Dry run in progress' : 'Running';
    case 'paused':
      return pause ? `Paused — waiting for the model server (until ${clockTime(pause.until)})` : 'Paused';
    case 'stopping':
      return 'Stopping…';
    case 'finished':
      return dryRun ? 'Dry run finished' : 'Finished';
    case 'stopped':
      return 'Stopped';
    default:
      return assertNever(phase, 'batch phase');
  }
}

/** What the screens list says about the current batch: "(running)", "(paused)". */
export function phaseTag(phase: BatchPhase, dryRun: boolean): string | null {
  switch (phase) {
    case 'running':
      return dryRun ? 'checking' : 'running';
    case 'paused':
      return 'paused';
    case 'stopping':
      return 'stopping';
    case 'finished':
    case 'stopped':
      return null;
    default:
      return assertNever(phase, 'batch phase');
  }
}
