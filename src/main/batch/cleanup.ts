import { promises as fs } from 'node:fs';
import { isUnfinished } from '../../shared/batch-types';
import { parseTimestamp } from '../../shared/time-format';
import type { CatalogEntry } from './batch-catalog';
import { filesToResume, listBatches } from './batch-catalog';
import { deckLogDirOf, journalPathFor, legacyJournalPathFor, reviewStateDirOf } from './batch-folder';

/**
 * `altgen cleanup`: removes manifests of finished batches older than the retention period, with
 * what AltGen kept for them in `.altgen/` (their journal, their decks' logs, their review).
 * Unfinished batches (files pending, or skipped because locked or open in PowerPoint) are
 * never removed (they are what Resume needs), nor are manifests that
 * cannot be read (a person should look at those).
 */
export interface CleanupResult {
  readonly removed: readonly CatalogEntry[];
  readonly kept: readonly { readonly entry: CatalogEntry; readonly why: string }[];
}

async function finishedAtMs(entry: CatalogEntry): Promise<number> {
  const end = entry.document?.end_time ? parseTimestamp(entry.document.end_time) : null;
  if (end !== null) return end;
  return (await fs.stat(entry.manifestPath)).mtimeMs;
}

export async function cleanupManifests(
  outputDir: string,
  options: { readonly maxAgeDays: number; readonly dryRun: boolean; readonly now?: number },
): Promise<CleanupResult> {
  const now = options.now ?? Date.now();
  const cutoff = now - options.maxAgeDays * 24 * 60 * 60 * 1000;
  const removed: CatalogEntry[] = [];
  const kept: { entry: CatalogEntry; why: string }[] = [];
  for (const entry of await listBatches(outputDir)) {
    if (entry.problem || !entry.counts) {
      kept.push({ entry, why: 'unreadable manifest' });
    } else if (isUnfinished(entry.counts) || (entry.document && filesToResume(entry.document.queue.items) > 0)) {
      kept.push({ entry, why: 'unfinished (can be resumed)' });
    } else if ((await finishedAtMs(entry)) > cutoff) {
      kept.push({ entry, why: `finished less than ${options.maxAgeDays} days ago` });
    } else {
      if (!options.dryRun) {
        await fs.rm(entry.manifestPath, { force: true });
        await fs.rm(journalPathFor(entry.manifestPath), { force: true });
        await fs.rm(legacyJournalPathFor(entry.manifestPath), { force: true });
        await fs.rm(deckLogDirOf(outputDir, entry.batchId), { recursive: true, force: true });
        await fs.rm(reviewStateDirOf(outputDir, entry.batchId), { recursive: true, force: true });
      }
      removed.push(entry);
    }
  }
  return { removed, kept };
}
