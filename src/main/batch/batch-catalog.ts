import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ManifestDocument, StatusCounts } from '../../shared/batch-types';
import { countStatuses, isUnfinished } from '../../shared/batch-types';
import { ManifestError, ManifestStore, batchIdFromFileName, manifestFileName } from './manifest-store';

/** The batches whose manifests sit in one output folder (for `status`, `--resume`, `cleanup`). */
export interface CatalogEntry {
  readonly batchId: string;
  readonly manifestPath: string;
  readonly document: ManifestDocument | null;
  readonly counts: StatusCounts | null;
  /** Why the manifest could not be read; the entry is listed anyway, never silently dropped. */
  readonly problem: ManifestError | null;
}

export class BatchNotFoundError extends Error {
  readonly code = 'EBATCH_NOT_FOUND';
}

/** Accepts ids with or without the `batch_` prefix the seed's resume command printed. */
export function normalizeBatchId(id: string): string {
  return id.replace(/^batch_/, '').replace(/_manifest(\.json)?$/, '');
}

export async function listBatches(outputDir: string): Promise<CatalogEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(outputDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: CatalogEntry[] = [];
  for (const name of names.sort()) {
    const batchId = batchIdFromFileName(name);
    if (!batchId) continue;
    const manifestPath = path.join(outputDir, name);
    try {
      const store = await ManifestStore.open(manifestPath);
      const document = store.snapshot();
      entries.push({ batchId, manifestPath, document, counts: countStatuses(document.queue.items), problem: null });
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      const problem = error;
      entries.push({ batchId, manifestPath, document: null, counts: null, problem });
    }
  }
  return entries;
}

export function manifestPathFor(outputDir: string, batchId: string): string {
  return path.join(outputDir, manifestFileName(normalizeBatchId(batchId)));
}

/**
 * The manifest to resume: the given id, or the most recent unfinished batch in the folder.
 * Ids sort by time, so the most recent is the greatest.
 */
export async function findBatchToResume(outputDir: string, batchId?: string): Promise<string> {
  if (batchId) {
    const manifestPath = manifestPathFor(outputDir, batchId);
    try {
      await fs.access(manifestPath);
    } catch {
      throw new BatchNotFoundError(`No batch ${normalizeBatchId(batchId)} in ${outputDir} (looked for ${path.basename(manifestPath)}).`);
    }
    return manifestPath;
  }
  const batches = await listBatches(outputDir);
  // A damaged manifest newer than every unfinished batch may well be the one the user means:
  // say so rather than quietly resuming an older batch.
  const candidates = batches.filter(
    (b) => b.problem || (b.counts && isUnfinished(b.counts) && b.document?.metadata.dry_run !== true),
  );
  const latest = candidates.at(-1);
  if (!latest) throw new BatchNotFoundError(`No unfinished batch to resume in ${outputDir}.`);
  if (latest.problem) throw latest.problem;
  return latest.manifestPath;
}
