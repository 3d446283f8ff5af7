import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { newItem } from '../../shared/item-state';
import { ManifestStore } from '../batch/manifest-store';
import { treeDigest } from '../batch/testing/altgen-cli';
import { buildDeck } from '../fixtures/deck-builder';
import { AppService } from './app-service';

/**
 * Links planted in an output folder: the manifest names a copy and a report inside the folder,
 * but the file (or a folder on the way) is a link to somewhere else. review:get must not read
 * through it and review:apply must not read or write through it.
 */

let root: string;
let output: string;
let outside: string;
let service: AppService;

const report = (deck: string) => ({
  deck,
  output: deck,
  pictures: [{ key: 'ppt/slides/slide1.xml#2', slide: 1, shape_id: '2', shape_name: 'Picture 1', before: null, after: 'A heart', decision: 'described', reason: 'missing' }],
});

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-review-links-'));
  output = path.join(root, 'out');
  outside = path.join(root, 'elsewhere');
  await fs.mkdir(output);
  await fs.mkdir(path.join(outside, 'week 1'), { recursive: true });
  service = new AppService({
    host: { kind: 'web', version: 'test' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
  });
});

afterEach(async () => {
  await service.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

/** A finished batch in `output` whose items name these copies (all inside `output` by name). */
async function manifestNaming(copies: readonly string[]): Promise<string> {
  const at = '2026-11-28T10:00:00';
  const items = copies.map((copy): QueueItem => ({
    ...newItem(path.join(root, 'lectures', path.basename(copy)), at),
    status: 'complete',
    completed_at: at,
    result: { output_path: copy },
  }));
  const store = await ManifestStore.create({
    outputDir: output,
    inputRoot: path.join(root, 'lectures'),
    metadata: { processor: 'altgen process', dry_run: false, max_workers: 1 },
    items,
  });
  await store.close();
  return store.manifestPath;
}

async function deckAt(file: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await buildDeck(file, { slides: [{ title: 'The heart', pictures: [{ name: 'Picture 1' }] }] });
}

async function reportAt(file: string, deck: string): Promise<void> {
  await fs.writeFile(file, JSON.stringify(report(deck)));
}

describe('review:get and review:apply with links planted in the output folder', () => {
  it('refuse a report, a copy or a folder that is a link leading outside, and touch nothing there', async () => {
    // 0: the report is a link to a report elsewhere.
    await deckAt(path.join(output, 'heart.pptx'));
    await reportAt(path.join(outside, 'secret.alt-text.json'), path.join(outside, 'secret.pptx'));
    await fs.symlink(path.join(outside, 'secret.alt-text.json'), path.join(output, 'heart.alt-text.json'));
    // 1: the copy is a link to a deck elsewhere.
    await deckAt(path.join(outside, 'lungs.pptx'));
    await fs.symlink(path.join(outside, 'lungs.pptx'), path.join(output, 'lungs.pptx'));
    await reportAt(path.join(output, 'lungs.alt-text.json'), path.join(output, 'lungs.pptx'));
    // 2: a folder on the way is a link to a folder elsewhere.
    await deckAt(path.join(outside, 'week 1', 'brain.pptx'));
    await reportAt(path.join(outside, 'week 1', 'brain.alt-text.json'), path.join(outside, 'week 1', 'brain.pptx'));
    await fs.symlink(path.join(outside, 'week 1'), path.join(output, 'week 1'));
    const manifest_path = await manifestNaming([
      path.join(output, 'heart.pptx'),
      path.join(output, 'lungs.pptx'),
      path.join(output, 'week 1', 'brain.pptx'),
    ]);
    const before = await treeDigest(outside);

    for (const index of [0, 1, 2]) {
      const got = await service.call('review:get', { manifest_path, index });
      expect(got, `review:get ${index}`).toMatchObject({ ok: false, error: { code: 'EOUTSIDE_OUTPUT', message: expect.stringMatching(/leads outside the batch's output folder .* through a link/) } });
      const applied = await service.call('review:apply', { manifest_path, index, edits: [{ key: 'ppt/slides/slide1.xml#2', descr: 'Edited' }] });
      expect(applied, `review:apply ${index}`).toMatchObject({ ok: false, error: { code: 'EOUTSIDE_OUTPUT' } });
    }
    expect(await treeDigest(outside)).toEqual(before);
  });

  it('still shows decks whose files are real, or links that stay inside the output folder', async () => {
    await deckAt(path.join(output, 'heart.pptx'));
    await reportAt(path.join(output, 'heart.alt-text.json'), path.join(output, 'heart.pptx'));
    await deckAt(path.join(output, 'kept', 'lungs.pptx'));
    await reportAt(path.join(output, 'kept', 'lungs.alt-text.json'), path.join(output, 'lungs.pptx'));
    await fs.symlink('kept', path.join(output, 'alias'));
    const manifest_path = await manifestNaming([path.join(output, 'heart.pptx'), path.join(output, 'alias', 'lungs.pptx')]);
    for (const index of [0, 1]) {
      const got = await service.handle('review:get', { manifest_path, index });
      expect(got.pictures.map((picture) => picture.after)).toEqual(['A heart']);
    }
  });
});
