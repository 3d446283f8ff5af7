import { promises as fs } from 'node:fs';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { ManifestDocument, QueueItem, StatusCounts } from '../../shared/batch-types';
import { countStatuses, hasModelFailures } from '../../shared/batch-types';
import { TRANSIENT_SKIP_CODES } from '../../shared/error-codes';
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
  return entries.sort(byStartTime);
}

/**
 * Oldest first. An id starts with its second (`YYYYMMDD_HHMMSS_…`) and then random hex, so two
 * batches of the same second are told apart by the start time the manifest records to the
 * millisecond; without one (a damaged manifest), by id.
 */
function byStartTime(a: CatalogEntry, b: CatalogEntry): number {
  const second = a.batchId.slice(0, 15).localeCompare(b.batchId.slice(0, 15));
  if (second !== 0) return second;
  const started = (entry: CatalogEntry) => (entry.document?.start_time ? Date.parse(entry.document.start_time) : Number.NaN);
  const [startA, startB] = [started(a), started(b)];
  if (Number.isFinite(startA) && Number.isFinite(startB) && startA !== startB) return startA - startB;
  return a.batchId.localeCompare(b.batchId);
}

export function manifestPathFor(outputDir: string, batchId: string): string {
  return path.join(outputDir, manifestFileName(normalizeBatchId(batchId)));
}

/**
 * How many files a resume takes up again: the pending and processing ones, those skipped for
 * a reason that may have cleared up (locked, open in PowerPoint), and with `retryFailed` the
 * failed ones, with `retryNeedsReview` the complete ones with pictures the model could not
 * describe. (Complete files whose input changed or whose copy is gone are redone too; that
 * needs the file system, and is not counted here; so are, after a batch stopped because the
 * model's answers could not be used, those with such pictures: they go with pending files.)
 */
export function filesToResume(items: readonly QueueItem[], retryFailed = false, retryNeedsReview = false): number {
  let count = 0;
  for (const item of items) {
    switch (item.status) {
      case 'pending':
      case 'processing':
        count += 1;
        break;
      case 'skipped':
        if (item.error_code && TRANSIENT_SKIP_CODES.has(item.error_code)) count += 1;
        break;
      case 'failed':
        if (retryFailed) count += 1;
        break;
      case 'complete':
        if (retryNeedsReview && hasModelFailures(item)) count += 1;
        break;
      default:
        assertNever(item.status, 'status');
    }
  }
  return count;
}

export interface ResumeChoice {
  readonly batchId?: string;
  /** Failed files count as files to resume (`--retry-failed`). */
  readonly retryFailed?: boolean;
  /** Complete files with pictures the model could not describe count too (`--retry-needs-review`). */
  readonly retryNeedsReview?: boolean;
}

/**
 * The manifest to resume: the given id, or the most recent batch in the folder with files to
 * take up again (see filesToResume): what `altgen batch --resume --output-dir …` finds, so the
 * advice "close it and resume" works as written. Ids sort by time, so the most recent is the
 * greatest.
 */
export async function findBatchToResume(outputDir: string, choice: ResumeChoice = {}): Promise<string> {
  const { batchId, retryFailed = false, retryNeedsReview = false } = choice;
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
  const real = batches.filter((b) => b.document?.metadata.dry_run !== true);
  const candidates = real.filter((b) => b.problem || (b.document && filesToResume(b.document.queue.items, retryFailed, retryNeedsReview) > 0));
  const latest = candidates.at(-1);
  if (!latest) {
    const withFailures = retryFailed ? undefined : real.filter((b) => (b.counts?.failed ?? 0) > 0).at(-1);
    const withModelFailures = retryNeedsReview ? undefined : real.filter((b) => b.document?.queue.items.some(hasModelFailures)).at(-1);
    const hint =
      (withFailures ? ` Batch ${withFailures.batchId} has failed files: add --retry-failed to process them again.` : '') +
      (withModelFailures ? ` Batch ${withModelFailures.batchId} has pictures the model could not describe: add --retry-needs-review to ask it again.` : '');
    throw new BatchNotFoundError(`No batch to resume in ${outputDir}: none has files pending, or skipped because they were locked or open in PowerPoint.${hint}`);
  }
  if (latest.problem) throw latest.problem;
  return latest.manifestPath;
}
