import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { StatusCounts } from '../../shared/batch-types';
import { countStatuses } from '../../shared/batch-types';
import { filesToResume } from './batch-catalog';
import { acquireLock } from './file-locks';
import { writeFileAtomic } from '../files/write-file-atomic';
import { ManifestStore } from './manifest-store';

/**
 * The index of known batches, kept in the user data folder (`batches.json`), so that after a
 * reboot the app can offer Resume for every unfinished batch without anyone hunting for
 * manifests. Every batch the CLI, the app or `altgen serve` starts is registered here.
 *
 * The index is a convenience, not the record: the manifests are. A lost or damaged index is
 * rebuilt empty, and an entry whose manifest is gone is simply reported as such.
 */
export interface IndexEntry {
  readonly batch_id: string;
  readonly manifest_path: string;
  readonly output_dir: string;
  readonly dry_run: boolean;
  readonly registered_at: string;
}

export interface IndexedBatch {
  readonly entry: IndexEntry;
  readonly counts: StatusCounts | null;
  /**
   * Files a resume takes up again (pending, and skipped because locked or open in PowerPoint:
   * batch-catalog's filesToResume), null when the manifest could not be read.
   */
  readonly toResume: number | null;
  /** Why the manifest could not be read (moved, deleted, damaged). */
  readonly problem: string | null;
}

interface IndexFile {
  readonly version: 1;
  readonly batches: readonly IndexEntry[];
}

export class BatchIndex {
  constructor(readonly file: string) {}

  private async read(): Promise<IndexEntry[]> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file, 'utf8')) as Partial<IndexFile>;
      return Array.isArray(parsed.batches) ? parsed.batches.filter((b) => typeof b?.manifest_path === 'string') : [];
    } catch {
      return [];
    }
  }

  /** Read-modify-write under a lock, since several altgen processes may register at once. */
  private async update(change: (entries: IndexEntry[]) => IndexEntry[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const release = await acquireLock(this.file, { waitMs: 10_000, purpose: 'batch index' });
    try {
      const next: IndexFile = { version: 1, batches: change(await this.read()) };
      await writeFileAtomic(this.file, JSON.stringify(next, null, 2));
    } finally {
      await release();
    }
  }

  register(entry: IndexEntry): Promise<void> {
    return this.update((entries) => [...entries.filter((e) => e.manifest_path !== entry.manifest_path), entry]);
  }

  forget(manifestPath: string): Promise<void> {
    return this.update((entries) => entries.filter((e) => e.manifest_path !== manifestPath));
  }

  async list(): Promise<IndexedBatch[]> {
    const batches: IndexedBatch[] = [];
    for (const entry of await this.read()) {
      try {
        const store = await ManifestStore.open(entry.manifest_path);
        const items = store.allItems();
        batches.push({ entry, counts: countStatuses(items), toResume: filesToResume(items), problem: null });
      } catch (error) {
        batches.push({ entry, counts: null, toResume: null, problem: (error as Error).message });
      }
    }
    return batches;
  }

  /** Batches to offer for Resume: real (not dry-run) batches with files a resume takes up again. */
  async unfinished(): Promise<IndexedBatch[]> {
    return (await this.list()).filter((b) => !b.entry.dry_run && (b.toResume ?? 0) > 0);
  }
}
