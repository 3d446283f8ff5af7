import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newItem, transition } from '../../shared/item-state';
import { BatchIndex } from './batch-index';
import { ManifestStore } from './manifest-store';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-index-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const AT = '2026-11-28T10:00:00.000+00:00';

async function batch(statuses: ('pending' | 'complete' | 'locked')[], dryRun = false): Promise<ManifestStore> {
  const store = await ManifestStore.create({
    outputDir: dir,
    inputRoot: '/in',
    metadata: { processor: 'x', dry_run: dryRun, max_workers: 1 },
    items: statuses.map((_, i) => newItem(`/in/${i}.pptx`, AT)),
  });
  for (const [i, status] of statuses.entries()) {
    if (status === 'complete') {
      const started = transition(store.itemAt(i), { type: 'start', at: AT });
      await store.updateItem(i, transition(started, { type: 'complete', at: AT, result: {}, fingerprint: null }));
    }
    if (status === 'locked') {
      const started = transition(store.itemAt(i), { type: 'start', at: AT });
      await store.updateItem(i, transition(started, { type: 'skip', at: AT, code: 'ELOCKED', reason: '0.pptx is locked by another process' }));
    }
  }
  await store.close();
  return store;
}

function entryFor(store: ManifestStore, dryRun = false) {
  return { batch_id: store.batchId, manifest_path: store.manifestPath, output_dir: dir, dry_run: dryRun, registered_at: AT };
}

describe('BatchIndex', () => {
  it('offers unfinished real batches for resume, not finished ones or dry runs', async () => {
    const index = new BatchIndex(path.join(dir, 'data', 'batches.json'));
    const unfinished = await batch(['complete', 'pending']);
    const finished = await batch(['complete']);
    const dry = await batch(['pending'], true);
    // Its only file left was skipped because another run held it: a resume tries it again.
    const locked = await batch(['complete', 'locked']);
    for (const [store, isDry] of [[unfinished, false], [finished, false], [dry, true], [locked, false]] as const) await index.register(entryFor(store, isDry));
    const offered = await index.unfinished();
    expect(offered.map((b) => b.entry.batch_id)).toEqual([unfinished.batchId, locked.batchId]);
    expect(offered[0]?.counts).toMatchObject({ complete: 1, pending: 1 });
  });

  it('registers a batch once, and reports a manifest that disappeared instead of dropping it', async () => {
    const index = new BatchIndex(path.join(dir, 'batches.json'));
    const store = await batch(['pending']);
    await index.register(entryFor(store));
    await index.register(entryFor(store));
    expect(await index.list()).toHaveLength(1);
    await fs.rm(store.manifestPath);
    const [listed] = await index.list();
    expect(listed?.problem).toMatch(/does not exist/);
    await index.forget(store.manifestPath);
    expect(await index.list()).toEqual([]);
  });

  it('starts empty when the index file is damaged', async () => {
    const file = path.join(dir, 'batches.json');
    await fs.writeFile(file, '{"version":1,"batches":[');
    const index = new BatchIndex(file);
    expect(await index.list()).toEqual([]);
    const store = await batch(['pending']);
    await index.register(entryFor(store));
    expect(await index.list()).toHaveLength(1);
  });

  it('keeps every registration when several processes register at once', async () => {
    const file = path.join(dir, 'batches.json');
    const module = pathToFileURL(fileURLToPath(new URL('./batch-index.ts', import.meta.url))).href;
    const tsx = pathToFileURL(fileURLToPath(new URL('../../../node_modules/tsx/dist/loader.mjs', import.meta.url))).href;
    const children = Array.from({ length: 4 }, (_, n) =>
      spawn(
        process.execPath,
        [
          '--import',
          tsx,
          '--input-type=module',
          '-e',
          `const { BatchIndex } = await import(${JSON.stringify(module)});
           const index = new BatchIndex(${JSON.stringify(file)});
           for (let i = 0; i < 5; i++) await index.register({ batch_id: 'b${n}_' + i, manifest_path: '/m/${n}_' + i, output_dir: '/o', dry_run: false, registered_at: '' });`,
        ],
        { stdio: 'inherit' },
      ),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.on('exit', resolve))));
    const raw = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(raw.batches).toHaveLength(20);
  });
});
