import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { newItem, transition } from '../src/shared/item-state';
import { localIsoTimestamp } from '../src/shared/time-format';
import { ManifestStore } from '../src/main/batch/manifest-store';

/**
 * Persistence cost of a dry run of N files: the manifest is created, then every file goes
 * pending → processing → complete (with its inspection result), each change durable before
 * the next, exactly as the runner records them, and the batch is closed.
 */
export async function measurePersistence(files: number, workers = 1): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-bench-'));
  try {
    const at = localIsoTimestamp();
    const items = Array.from({ length: files }, (_, i) => newItem(`/lectures/year-${i % 7}/deck-${i}.pptx`, at));
    const started = performance.now();
    const store = await ManifestStore.create({
      outputDir: dir,
      inputRoot: '/lectures',
      metadata: { processor: null, dry_run: true, max_workers: workers },
      items,
      startTime: at,
    });
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < files; index = next++) {
        const processing = transition(store.itemAt(index), { type: 'start', at: localIsoTimestamp() });
        await store.updateItem(index, processing);
        const inspection = { slides: 24, pictures: 11, pictures_missing_alt: 7, entries: 120, uncompressed_bytes: 4_000_000 };
        const done = transition(processing, {
          type: 'complete',
          at: localIsoTimestamp(),
          result: { dry_run: true, inspection },
          fingerprint: { size: 1_000_000, mtime_ms: 1_700_000_000_000 },
        });
        await store.updateItem(index, done);
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    await store.updateBatch({ end_time: localIsoTimestamp() });
    await store.close();
    return performance.now() - started;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
