import { promises as fs } from 'node:fs';
import os from 'node:os';
import { batchElapsedMs } from '../../shared/batch-elapsed';
import { batchNameFor } from '../../shared/batch-name';
import type { ManifestDocument } from '../../shared/batch-types';
import type { CleanupReport, KnownBatch } from '../../shared/ipc-contract';
import type { BatchIndex } from '../batch/batch-index';
import { cleanupManifests } from '../batch/cleanup';

/**
 * The History screen's batches: each named by its folder ("Fall 2026 – Cardiology"), with the
 * folder, its time and its counts; and "Clean up", which applies `altgen cleanup`'s rules to
 * every output folder this computer knows (finished batches older than the retention period
 * go, unfinished and unreadable ones stay) and takes batches whose manifest is gone off the list.
 */

/** The name a batch was given when it started, else one from its folder (batches made before names). */
export function batchNameOf(document: Pick<ManifestDocument, 'metadata' | 'input_root'>, homeDir: string = os.homedir()): string {
  const stored = document.metadata['name'];
  return typeof stored === 'string' && stored.trim() !== '' ? stored : batchNameFor(document.input_root, homeDir);
}

/** What History shows of a batch beside its counts. */
export function historyDetails(document: ManifestDocument | null): Pick<KnownBatch, 'name' | 'input_root' | 'duration_ms'> {
  if (!document) return { input_root: null, duration_ms: null };
  return { name: batchNameOf(document), input_root: document.input_root, duration_ms: batchElapsedMs(document) };
}

async function isGone(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ENOENT',
  );
}

/** `dryRun`: only says what would be removed and forgotten. */
export async function cleanUpKnownBatches(index: BatchIndex, retentionDays: number, dryRun: boolean, now: number = Date.now()): Promise<CleanupReport> {
  const known = await index.list();
  const removed: CleanupReport['removed'][number][] = [];
  let kept = 0;
  let forgotten = 0;
  const folders = new Set<string>();
  for (const { entry } of known) {
    if (await isGone(entry.manifest_path)) {
      forgotten += 1;
      if (!dryRun) await index.forget(entry.manifest_path);
    } else {
      folders.add(entry.output_dir);
    }
  }
  for (const folder of folders) {
    const result = await cleanupManifests(folder, { maxAgeDays: retentionDays, dryRun, now }).catch(() => null);
    if (!result) continue;
    kept += result.kept.length;
    for (const entry of result.removed) {
      removed.push({ batch_id: entry.batchId, manifest_path: entry.manifestPath, name: entry.document ? batchNameOf(entry.document) : entry.batchId });
      if (!dryRun) await index.forget(entry.manifestPath);
    }
  }
  return { removed, kept, forgotten, retention_days: retentionDays };
}
