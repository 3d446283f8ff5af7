import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newItem, transition } from '../../shared/item-state';
import { journalPathFor, reviewStateDirOf } from './batch-folder';
import { cleanupManifests } from './cleanup';
import { DeckLogWriter } from './deck-log';
import { ManifestStore } from './manifest-store';

let out: string;
beforeEach(async () => {
  out = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-cleanup-'));
});
afterEach(async () => {
  await fs.rm(out, { recursive: true, force: true });
});

const LONG_AGO = '2025-01-01T10:00:00.000+00:00';

async function finishedBatch(skipCode: 'ELOCKED' | 'ETEMPLATE'): Promise<ManifestStore> {
  const store = await ManifestStore.create({
    outputDir: out,
    inputRoot: '/lectures',
    startTime: LONG_AGO,
    metadata: { processor: null, dry_run: false, max_workers: 1 },
    items: [newItem('/lectures/a.pptx', LONG_AGO)],
  });
  const started = transition(store.itemAt(0), { type: 'start', at: LONG_AGO });
  await store.updateItem(0, transition(started, { type: 'skip', at: LONG_AGO, code: skipCode, reason: 'a reason' }));
  await store.updateBatch({ end_time: LONG_AGO });
  await store.close();
  return store;
}

describe('cleanupManifests', () => {
  it('keeps an old batch whose files were skipped because they were locked (a resume takes them up), and removes one skipped for good', async () => {
    const locked = await finishedBatch('ELOCKED');
    const template = await finishedBatch('ETEMPLATE');
    const result = await cleanupManifests(out, { maxAgeDays: 30, dryRun: false });
    expect(result.removed.map((entry) => entry.batchId)).toEqual([template.batchId]);
    expect(result.kept).toEqual([expect.objectContaining({ why: 'unfinished (can be resumed)', entry: expect.objectContaining({ batchId: locked.batchId }) })]);
    await expect(fs.access(locked.manifestPath)).resolves.toBeUndefined();
  });

  it('removes with a batch what AltGen kept for it in .altgen/ (its decks\' logs, a journal, its review) and a journal beside it from before .altgen/', async () => {
    const old = await finishedBatch('ETEMPLATE');
    const kept = await finishedBatch('ELOCKED');
    const log = new DeckLogWriter(out, old.batchId, () => undefined);
    log.write(0, { kind: 'queue', at: LONG_AGO, message: 'Skipped' });
    await log.flush();
    await fs.writeFile(journalPathFor(old.manifestPath), '');
    await fs.writeFile(old.manifestPath.replace(/\.json$/, '.journal'), '');
    const keptLog = new DeckLogWriter(out, kept.batchId, () => undefined);
    keptLog.write(0, { kind: 'queue', at: LONG_AGO, message: 'Skipped' });
    await keptLog.flush();
    await fs.mkdir(path.join(reviewStateDirOf(out, old.batchId), 'undo'), { recursive: true });
    await fs.writeFile(path.join(reviewStateDirOf(out, old.batchId), 'journal.jsonl'), '');
    await fs.mkdir(reviewStateDirOf(out, kept.batchId), { recursive: true });

    await cleanupManifests(out, { maxAgeDays: 30, dryRun: false });
    expect((await fs.readdir(out)).sort()).toEqual(['.altgen', path.basename(kept.manifestPath)]);
    expect(await fs.readdir(path.join(out, '.altgen', 'logs'))).toEqual([`batch_${kept.batchId}`]);
    expect(await fs.readdir(path.join(out, '.altgen', 'review'))).toEqual([`batch_${kept.batchId}`]);
    expect((await fs.readdir(path.join(out, '.altgen'))).sort()).toEqual(['logs', 'review']);
  });
});
