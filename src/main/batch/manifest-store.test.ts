import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newItem, transition } from '../../shared/item-state';
import { ManifestError, ManifestStore, batchIdFromFileName, manifestFileName, newBatchId } from './manifest-store';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-manifest-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const AT = '2026-11-28T10:00:00.000+00:00';
const metadata = { processor: 'node proc.mjs', dry_run: false, max_workers: 2 };

async function createStore(count: number): Promise<ManifestStore> {
  const items = Array.from({ length: count }, (_, i) => newItem(`/in/deck-${i}.pptx`, AT));
  return ManifestStore.create({ outputDir: dir, inputRoot: '/in', metadata, items, startTime: AT });
}

describe('batch ids and file names', () => {
  it('makes ids as YYYYMMDD_HHMMSS_<8 hex> in local time', () => {
    const id = newBatchId(new Date(2026, 10, 28, 9, 5, 7));
    expect(id).toMatch(/^20261128_090507_[0-9a-f]{8}$/);
  });

  it('round-trips the id through the manifest file name', () => {
    expect(batchIdFromFileName(manifestFileName('20251002_115046_3120f72a'))).toBe('20251002_115046_3120f72a');
    expect(batchIdFromFileName('notes.json')).toBeNull();
  });
});

describe('ManifestStore', () => {
  it('writes the seed fields and reads them back', async () => {
    const store = await createStore(3);
    const raw = JSON.parse(await fs.readFile(store.manifestPath, 'utf8'));
    expect(Object.keys(raw)).toEqual(
      expect.arrayContaining(['version', 'batch_id', 'output_dir', 'input_root', 'start_time', 'end_time', 'metadata', 'queue']),
    );
    expect(raw.metadata).toMatchObject({ processor: 'node proc.mjs', dry_run: false, max_workers: 2 });
    expect(raw.queue.items[0]).toMatchObject({ path: '/in/deck-0.pptx', status: 'pending', attempts: 0, error: null, skip_reason: null, result: null });
    expect(path.basename(store.manifestPath)).toBe(`batch_${store.batchId}_manifest.json`);
  });

  it('makes an item change durable before it resolves (a fresh reader sees it without close)', async () => {
    const store = await createStore(3);
    const started = transition(store.itemAt(1), { type: 'start', at: AT });
    await store.updateItem(1, started);
    const reader = await ManifestStore.open(store.manifestPath);
    expect(reader.itemAt(1).status).toBe('processing');
    expect(reader.itemAt(0).status).toBe('pending');
  });

  it('appends to the journal instead of rewriting the JSON on every change', async () => {
    const store = await createStore(2000);
    const before = await fs.readFile(store.manifestPath, 'utf8');
    for (let i = 0; i < 50; i += 1) await store.updateItem(i, transition(store.itemAt(i), { type: 'start', at: AT }));
    expect(await fs.readFile(store.manifestPath, 'utf8')).toBe(before);
    const journal = await fs.readFile(store.journalPath, 'utf8');
    expect(journal.trim().split('\n')).toHaveLength(50);
  });

  it('compacts the journal into the JSON once it is as long as the batch', async () => {
    const store = await createStore(1024);
    for (let i = 0; i < 1024; i += 1) await store.updateItem(i, transition(store.itemAt(i), { type: 'start', at: AT }));
    await store.updateBatch({ end_time: AT });
    const raw = JSON.parse(await fs.readFile(store.manifestPath, 'utf8'));
    expect(raw.queue.items.every((item: { status: string }) => item.status === 'processing')).toBe(true);
    expect((await fs.readFile(store.journalPath, 'utf8')).trim().split('\n').length).toBeLessThanOrEqual(1);
  });

  it('commits concurrent changes together and keeps every one of them', async () => {
    const store = await createStore(200);
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.updateItem(i, transition(store.itemAt(i), { type: 'start', at: AT }))),
    );
    const reader = await ManifestStore.open(store.manifestPath);
    expect(reader.allItems().filter((item) => item.status === 'processing')).toHaveLength(200);
  });

  it('drops a torn last journal line, which was never acknowledged', async () => {
    const store = await createStore(3);
    await store.updateItem(0, transition(store.itemAt(0), { type: 'start', at: AT }));
    await fs.appendFile(store.journalPath, '{"seq":99,"i":1,"item":{"path":"/in/de');
    const reader = await ManifestStore.open(store.manifestPath);
    expect(reader.itemAt(0).status).toBe('processing');
    expect(reader.itemAt(1).status).toBe('pending');
    await reader.updateItem(2, transition(reader.itemAt(2), { type: 'start', at: AT }));
    const again = await ManifestStore.open(store.manifestPath);
    expect(again.itemAt(2).status).toBe('processing');
  });

  it('refuses a journal damaged in the middle, naming the file and the line', async () => {
    const store = await createStore(3);
    await store.updateItem(0, transition(store.itemAt(0), { type: 'start', at: AT }));
    await fs.appendFile(store.journalPath, 'garbage\n');
    await store.updateItem(1, transition(store.itemAt(1), { type: 'start', at: AT })).catch(() => undefined);
    await fs.appendFile(store.journalPath, '{"seq":50,"i":1,"item":{"path":"/x","status":"pending"}}\n');
    await expect(ManifestStore.open(store.manifestPath)).rejects.toThrow(/journal.*line 2/i);
  });

  it('replays nothing twice after a crash between compaction and journal truncation', async () => {
    const store = await createStore(2);
    await store.updateItem(0, transition(store.itemAt(0), { type: 'start', at: AT }));
    const journalBefore = await fs.readFile(store.journalPath, 'utf8');
    await store.updateItem(0, transition(store.itemAt(0), { type: 'requeue' }));
    await store.compact();
    // Simulate the crash: the compacted JSON is in place but the old journal survived.
    await fs.writeFile(store.journalPath, journalBefore);
    const reader = await ManifestStore.open(store.manifestPath);
    expect(reader.itemAt(0).status).toBe('pending');
  });

  it('close() folds everything into the JSON and removes the journal', async () => {
    const store = await createStore(2);
    await store.updateItem(1, transition(store.itemAt(1), { type: 'start', at: AT }));
    await store.updateBatch({ end_time: AT, metadata: { stop_reason: 'finished' } });
    await store.close();
    await expect(fs.access(store.journalPath)).rejects.toThrow();
    const raw = JSON.parse(await fs.readFile(store.manifestPath, 'utf8'));
    expect(raw.queue.items[1].status).toBe('processing');
    expect(raw.end_time).toBe(AT);
    expect(raw.metadata).toMatchObject({ stop_reason: 'finished', processor: 'node proc.mjs' });
  });

  it('keeps its journal in the output folder\'s .altgen/, not beside the manifest', async () => {
    const store = await createStore(2);
    await store.updateItem(0, transition(store.itemAt(0), { type: 'start', at: AT }));
    expect(store.journalPath).toBe(path.join(dir, '.altgen', `batch_${store.batchId}_manifest.journal`));
    expect((await fs.readFile(store.journalPath, 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(await fs.readdir(dir)).toEqual(['.altgen', path.basename(store.manifestPath)]);
  });

  it('replays the journal a batch made before .altgen/ kept beside its manifest, and removes it once folded into the JSON', async () => {
    const store = await createStore(2);
    await store.close();
    const beside = store.manifestPath.replace(/\.json$/, '.journal');
    const started = transition(store.itemAt(1), { type: 'start', at: AT });
    await fs.writeFile(beside, `${JSON.stringify({ seq: 1, i: 1, item: started })}\n`);
    const reopened = await ManifestStore.open(store.manifestPath);
    expect(reopened.itemAt(1).status).toBe('processing');
    // Its changes go on from the old journal's sequence, in the new journal.
    await reopened.updateItem(1, transition(reopened.itemAt(1), { type: 'requeue' }));
    expect(JSON.parse((await fs.readFile(reopened.journalPath, 'utf8')).trim())).toMatchObject({ seq: 2, i: 1 });
    await reopened.close();
    await expect(fs.access(beside)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await ManifestStore.open(store.manifestPath)).itemAt(1).status).toBe('pending');
  });

  it('reports a truncated manifest as corrupt, naming the file, never as an empty batch', async () => {
    const store = await createStore(5);
    await store.close();
    const text = await fs.readFile(store.manifestPath, 'utf8');
    await fs.writeFile(store.manifestPath, text.slice(0, Math.floor(text.length / 2)));
    const error = await ManifestStore.open(store.manifestPath).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).code).toBe('EMANIFEST_CORRUPT');
    expect((error as ManifestError).message).toContain(store.manifestPath);
    expect((error as ManifestError).message).toMatch(/truncated/);
  });

  it('reports a manifest with a wrong shape, saying which field', async () => {
    const file = path.join(dir, manifestFileName('20250101_000000_deadbeef'));
    await fs.writeFile(file, JSON.stringify({ version: '1.0', batch_id: 'x', output_dir: dir, queue: { items: [{ path: '/a', status: 'done' }] } }));
    await expect(ManifestStore.open(file)).rejects.toThrow(/queue\.items\.0\.status/);
    await fs.writeFile(file, '');
    await expect(ManifestStore.open(file)).rejects.toThrow(/empty/);
  });

  it('loads a manifest written by the original Python tool', async () => {
    const file = path.join(dir, 'batch_20251002_115046_3120f72a_manifest.json');
    const python = {
      version: '1.0',
      batch_id: '20251002_115046_3120f72a',
      output_dir: '/path/to/output',
      start_time: '2025-10-02T11:50:46.204825',
      end_time: null,
      metadata: { processor: '/path/to/pptx_alt_processor.py', dry_run: false, max_workers: 1 },
      queue: {
        items: [
          {
            path: '/decks/a.pptx',
            status: 'complete',
            added_at: '2025-10-02T11:50:46.204825',
            started_at: '2025-10-02T11:50:46.210000',
            completed_at: '2025-10-02T11:50:47.000000',
            error: null,
            skip_reason: null,
            result: { success: true },
          },
          { path: '/decks/b.pptx', status: 'processing', added_at: '2025-10-02T11:50:46.204825', started_at: null, completed_at: null, error: null, skip_reason: null, result: null },
        ],
      },
    };
    await fs.writeFile(file, JSON.stringify(python, null, 2));
    const store = await ManifestStore.open(file);
    expect(store.batchId).toBe('20251002_115046_3120f72a');
    expect(store.itemAt(0)).toMatchObject({ status: 'complete', attempts: 0, fingerprint: null });
    expect(store.itemAt(1)).toMatchObject({ status: 'processing', attempts: 0 });
    expect(store.snapshot().input_root).toBeNull();
  });
});
