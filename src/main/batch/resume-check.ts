import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { QueueItem, StopReason } from '../../shared/batch-types';
import { hasModelFailures } from '../../shared/batch-types';
import { TRANSIENT_SKIP_CODES } from '../../shared/error-codes';
import type { ItemEvent } from '../../shared/item-state';
import { legacyFallbackLockDirOf } from './batch-folder';
import { fallbackLockPath, removeStaleLock } from './file-locks';
import { fingerprintOf, sameFingerprint } from './input-fingerprint';
import { outputPathFor } from './output-paths';

/**
 * What a resume does to each item before work starts, each change recorded before the run goes
 * on: files a dead run was processing go back to the queue, failed files when asked, files
 * skipped for a lock, PowerPoint or a deck that kept changing are tried again, and complete
 * files are done again when their input changed, their copy is gone or the model failed on
 * some of their pictures and the user has fixed it.
 */
export interface ResumeContext {
  readonly dryRun: boolean;
  readonly retryFailed: boolean;
  readonly retryNeedsReview: boolean;
  /** Why the batch stopped the last time it ran. */
  readonly previousStop: StopReason | null;
  readonly inputRoot: string | null;
  readonly outputDir: string;
  readonly fallbackLockDir: string;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

export async function resumeEventFor(item: QueueItem, context: ResumeContext, at: string): Promise<ItemEvent | null> {
  switch (item.status) {
    case 'processing':
      await removeAbandonedLocks(item.path, [context.fallbackLockDir, legacyFallbackLockDirOf(context.outputDir)]);
      // A dry run reads the deck in the runner itself, so the deck may be what killed it:
      // that counts as an attempt. A real run only ever met the deck through an isolated,
      // memory-capped processor, so the runner's death is not the file's doing, and
      // counting it would fail healthy files after a few kills of the runner.
      if (!context.dryRun) return { type: 'requeue' };
      return {
        type: 'recover',
        at,
        code: 'ECRASHED',
        error: 'The batch stopped while this file was being processed (crash, kill or power loss).',
      };
    case 'failed':
      return context.retryFailed ? { type: 'retry' } : null;
    case 'skipped':
      return item.error_code && TRANSIENT_SKIP_CODES.has(item.error_code) ? { type: 'retry' } : null;
    case 'complete': {
      if (context.dryRun) return null;
      // The user was told to fix the model and resume (or asked for it): decks with pictures
      // the model could not describe run again; the cache spares what it did describe.
      if (hasModelFailures(item) && (context.retryNeedsReview || context.previousStop === 'model-unusable')) return { type: 'invalidate' };
      const now = await fingerprintOf(item.path);
      const changed = now && item.fingerprint && !sameFingerprint(now, item.fingerprint);
      const output = item.result?.output_path ?? outputPathFor(item.path, context.inputRoot, context.outputDir);
      return changed || !(await exists(output)) ? { type: 'invalidate' } : null;
    }
    case 'pending':
      return null;
    default:
      return assertNever(item.status, 'status');
  }
}

/**
 * Locks a killed run of this batch left on an input (their holder is dead): gone before work
 * starts. A run of the layout before `.altgen/` kept the locks of read-only folders' decks in
 * `.altgen-locks`.
 */
async function removeAbandonedLocks(input: string, fallbackLockDirs: readonly string[]): Promise<void> {
  for (const lockPath of [`${input}.lock`, ...fallbackLockDirs.map((dir) => fallbackLockPath(input, dir))]) {
    await removeStaleLock(lockPath).catch(() => undefined);
  }
}

/**
 * Half-written copies of the manifest a run killed while compacting it left behind
 * (`<manifest>.tmp-<pid>-<hex>`); the resuming run holds the batch's lock, so none is being written.
 */
export async function sweepManifestTemps(manifestPath: string): Promise<void> {
  const folder = path.dirname(manifestPath);
  const prefix = `${path.basename(manifestPath)}.tmp-`;
  for (const name of await fs.readdir(folder).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await fs.rm(path.join(folder, name), { force: true }).catch(() => undefined);
  }
}
