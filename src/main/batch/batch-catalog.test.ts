import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newItem } from '../../shared/item-state';
import { findBatchToResume, listBatches } from './batch-catalog';
import { ManifestStore } from './manifest-store';

let out: string;

beforeEach(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-catalog-'));
});

afterEach(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

async function batch(batchId: string, startTime: string, dryRun = false): Promise<void> {
  const store = await ManifestStore.create({
    outputDir: out,
    batchId,
    inputRoot: '/lectures',
    startTime,
    metadata: { processor: null, dry_run: dryRun, max_workers: 1 },
    items: [newItem('/lectures/a.pptx', startTime)],
  });
  await store.close();
}

describe('listBatches', () => {
  it('orders batches of the same second by the time they started, not by the random part of their ids', async () => {
    // Started 40 ms apart in one second; the later one's random part sorts first.
    await batch('20261207_101500_ffffffff', '2026-12-07T10:15:00.100+00:00');
    await batch('20261207_101500_00000000', '2026-12-07T10:15:00.140+00:00', true);
    await batch('20261207_101459_88888888', '2026-12-07T10:14:59.900+00:00');
    expect((await listBatches(out)).map((entry) => entry.batchId)).toEqual([
      '20261207_101459_88888888',
      '20261207_101500_ffffffff',
      '20261207_101500_00000000',
    ]);
  });

  it('resumes the batch that started last, whatever its id says within the second', async () => {
    await batch('20261207_101500_00000000', '2026-12-07T10:15:00.100+00:00');
    await batch('20261207_101500_ffffffff', '2026-12-07T10:15:00.050+00:00');
    expect(path.basename(await findBatchToResume(out))).toBe('batch_20261207_101500_00000000_manifest.json');
  });
});
