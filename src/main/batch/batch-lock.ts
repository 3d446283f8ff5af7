import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BatchError } from './batch-error';
import { batchLockPathFor, legacyBatchLockPathFor } from './batch-folder';
import type { ReleaseLock } from './file-locks';
import { acquireLock, inspectLock, LockedError, removeStaleLock } from './file-locks';

/**
 * The lock on a batch: whoever changes its manifest holds it (the runner for the whole run, the
 * app for one edit of a stopped batch). It lives in `.altgen/` (batch-folder.ts).
 *
 * A batch made before `.altgen/` was locked beside its manifest. Such a lock that is still held
 * means an older AltGen is running the batch right now: the batch counts as locked. One left by
 * a dead holder is removed, so that nothing stale stays beside the manifest.
 */

export interface BatchLockOptions {
  readonly waitMs: number;
  /** Recorded in the holder file ("retry one file"). */
  readonly purpose?: string;
  readonly onCompromised?: (error: Error) => void;
}

function lockedError(manifestPath: string, error: LockedError): BatchError {
  return new BatchError('EBATCH_LOCKED', `Batch ${path.basename(manifestPath)} is already running: ${error.message}`);
}

export async function lockBatch(manifestPath: string, options: BatchLockOptions): Promise<ReleaseLock> {
  const lockfilePath = batchLockPathFor(manifestPath);
  await mkdir(path.dirname(lockfilePath), { recursive: true });
  let release: ReleaseLock;
  try {
    release = await acquireLock(manifestPath, { ...options, lockfilePath });
  } catch (error) {
    if (error instanceof LockedError) throw lockedError(manifestPath, error);
    throw error;
  }
  try {
    const legacy = legacyBatchLockPathFor(manifestPath);
    if ((await removeStaleLock(legacy)) === 'not-stale') {
      const seen = await inspectLock(legacy);
      throw lockedError(manifestPath, new LockedError(manifestPath, seen?.holder ?? null));
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
