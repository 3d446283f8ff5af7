import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import type { AppServiceOptions } from './app-service';
import { AppService } from './app-service';
import { listVolumes } from './folder-places';
import { RECENT_LIMIT } from './recent-folders';

/**
 * What a person types into the app (paths with `~` and quotes, the model server's address
 * before saving it), the places the folder browser offers, and the settings that used to live
 * only in config.yaml, through the AppService as both hosts call it.
 */

let root: string;
let lectures: string;
let service: AppService;

function makeService(options: Partial<AppServiceOptions> = {}): AppService {
  return new AppService({
    host: { kind: 'web', version: '0.0.0-test' },
    env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') },
    homeDir: root,
    ...options,
  });
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-inputs-'));
  lectures = path.join(root, 'Lectures', 'Fall 2026');
  await fs.mkdir(lectures, { recursive: true });
  await buildDeck(path.join(lectures, 'anatomy.pptx'), { slides: [{ title: 'Heart', pictures: [{}] }] });
  service = makeService();
});

afterEach(async () => {
  await service.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

describe('paths as people type them', () => {
  it('finds decks under ~/…, a path in double or single quotes, and a file:// address', async () => {
    for (const typed of ['~/Lectures/Fall 2026', `"${lectures}"`, `'${lectures}'`, `file://${lectures.split(path.sep).map(encodeURIComponent).join('/')}`]) {
      const preview = await service.handle('inputs:discover', { paths: [typed] });
      expect(preview.input_root, typed).toBe(lectures);
      expect(preview.files.map((file) => file.relative_path), typed).toEqual(['anatomy.pptx']);
    }
  });

  it('reads relative names against the base folder when the host has one (altgen serve), and refuses them with advice when not', async () => {
    const served = makeService({ baseDir: path.join(root, 'Lectures') });
    expect((await served.handle('inputs:discover', { paths: ['Fall 2026'] })).input_root).toBe(lectures);
    expect(await service.call('inputs:discover', { paths: ['Fall 2026'] })).toEqual({
      ok: false,
      error: { code: 'EBAD_PATH', message: `“Fall 2026” is not a full path. Type the full path, for example ${path.join(root, 'Lectures')}.` },
    });
  });

  it('refuses a mistyped folder before anything runs, and starts nothing', async () => {
    const answer = await service.call('batch:start', { paths: ['~/Lectures/Fall 2062'], output_dir: path.join(root, 'out'), dry_run: true });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'ENOT_FOUND', message: `There is no folder or file at ${path.join(root, 'Lectures', 'Fall 2062')}: check the spelling, or choose Browse… to pick it.` },
    });
    expect(await service.handle('batch:get-current', null)).toBeNull();
  });

  it('takes the output folder as typed too, and says which field a bad one is', async () => {
    expect(await service.call('batch:start', { paths: [lectures], output_dir: 'copies', dry_run: true })).toMatchObject({
      ok: false,
      error: { code: 'EBAD_OUTPUT_DIR', message: expect.stringContaining('“copies” is not a full path.') },
    });
    const started = await service.handle('batch:start', { paths: ['~/Lectures/Fall 2026'], output_dir: '"~/Fall 2026 (alt text)"', dry_run: true });
    expect(path.dirname(started.manifest_path)).toBe(path.join(root, 'Fall 2026 (alt text)'));
    await service.whenIdle();
  });

  it('lists a folder typed with ~ in the folder browser', async () => {
    expect((await service.handle('folders:list', { path: '~/Lectures' })).entries).toEqual([{ name: 'Fall 2026', kind: 'folder' }]);
    expect(await service.call('folders:list', { path: 'Lectures' })).toMatchObject({ ok: false, error: { code: 'EBAD_PATH' } });
  });
});

describe('the folder browser’s places', () => {
  it('offers home and the folders used lately, most recent first, without those that are gone', async () => {
    const other = path.join(root, 'Other');
    await fs.mkdir(other);
    await buildDeck(path.join(other, 'b.pptx'), { slides: [{ title: 'B', pictures: [{}] }] });
    await service.handle('inputs:discover', { paths: [lectures] });
    await service.handle('inputs:discover', { paths: [path.join(other, 'b.pptx')] });
    await expect.poll(async () => (await service.handle('folders:places', null)).recent).toEqual([other, lectures]);
    const places = await service.handle('folders:places', null);
    expect(places.home).toBe(root);
    await fs.rm(other, { recursive: true });
    // Another AppService (the other host) sees the same list, without the removed folder.
    expect((await makeService().handle('folders:places', null)).recent).toEqual([lectures]);
  });

  it(`keeps at most ${RECENT_LIMIT} recent folders`, async () => {
    for (let i = 0; i < RECENT_LIMIT + 2; i += 1) {
      const folder = path.join(root, `deck-folder-${i}`);
      await fs.mkdir(folder);
      await buildDeck(path.join(folder, 'a.pptx'), { slides: [{ title: 'A', pictures: [{}] }] });
      await service.handle('inputs:discover', { paths: [folder] });
    }
    await expect.poll(async () => (await service.handle('folders:places', null)).recent[0]).toBe(path.join(root, `deck-folder-${RECENT_LIMIT + 1}`));
    expect((await service.handle('folders:places', null)).recent).toHaveLength(RECENT_LIMIT);
  });

  it('lists the volumes and network shares under the system’s mount folders', async () => {
    const media = path.join(root, 'media');
    const gvfs = path.join(root, 'gvfs');
    await fs.mkdir(path.join(media, 'USB STICK'), { recursive: true });
    await fs.mkdir(path.join(gvfs, 'smb-share:server=fs1,share=lectures'), { recursive: true });
    await fs.writeFile(path.join(media, 'not-a-volume.txt'), '');
    const volumes = await listVolumes('linux', [
      { dir: media, kind: 'volume' },
      { dir: gvfs, kind: 'network' },
      { dir: path.join(root, 'absent'), kind: 'volume' },
    ]);
    expect(volumes).toEqual([
      { name: 'USB STICK', path: path.join(media, 'USB STICK'), kind: 'volume' },
      { name: 'lectures on fs1', path: path.join(gvfs, 'smb-share:server=fs1,share=lectures'), kind: 'network' },
    ]);
  });
});

describe('settings typed before they are saved', () => {
  it('checks the model server address typed in Settings, not the saved one, and lists its models', async () => {
    const model = await startFakeModelServer({ models: ['llava:latest', 'qwen2.5vl:7b'] });
    try {
      const typed = { provider: 'ollama' as const, base_url: model.url, name: 'qwen2.5vl:7b' };
      expect(await service.handle('model:check', typed)).toMatchObject({ state: 'ok', base_url: model.url, model: 'qwen2.5vl:7b', models: ['llava:latest', 'qwen2.5vl:7b'] });
      expect(await service.handle('model:check', { ...typed, name: 'bakllava' })).toMatchObject({ state: 'model-missing', models: ['llava:latest', 'qwen2.5vl:7b'] });
      // The saved address (the default, where nothing listens in this test) is what null checks.
      expect((await service.handle('model:check', null)).base_url).toBe('http://127.0.0.1:11434');
    } finally {
      await model.stop();
    }
  });

  it('saves the settings that used to exist only in config.yaml', async () => {
    const saved = await service.handle('settings:save', {
      alt_text: { course: 'Year 1 anatomy', language: 'de', long_descriptions: 'notes', read_text_in_images: false, include_layouts: true },
      batch_processing: { model_wait_minutes: 5 },
      cache: { enabled: false },
    });
    expect(saved.config.alt_text).toMatchObject({ course: 'Year 1 anatomy', language: 'de', long_descriptions: 'notes', read_text_in_images: false, include_layouts: true });
    expect(saved.config.batch_processing.model_wait_minutes).toBe(5);
    expect(saved.config.cache.enabled).toBe(false);
    expect((await service.handle('settings:save', { alt_text: { course: null } })).config.alt_text.course).toBeNull();
    for (const bad of [{ alt_text: { language: 'Deutsch!' } }, { alt_text: { course: 'two\nlines' } }, { batch_processing: { model_wait_minutes: -1 } }, { cache: { dir: '/tmp' } }]) {
      expect(await service.call('settings:save', bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    }
  });

  it('saves the model servers list to config.yaml, checks each server with its own kind and key variable, and refuses a key value', async () => {
    const lab = await startFakeModelServer({ models: ['llava:latest'] });
    const cloud = await startFakeModelServer({ models: ['qwen2.5vl'] });
    try {
      const servers = [
        { base_url: lab.url, provider: 'ollama' as const },
        { base_url: `${cloud.url}/v1`, provider: 'openai' as const, name: 'qwen2.5vl', api_key_env: 'ALTGEN_TEST_LAB_KEY' },
      ];
      const saved = await service.handle('settings:save', { model: { servers } });
      expect(saved.config.model.servers).toEqual(servers);
      const text = await fs.readFile(path.join(root, 'config', 'config.yaml'), 'utf8');
      expect(text).toContain(`servers: [{base_url: ${lab.url}, provider: ollama}, {base_url: ${cloud.url}/v1, provider: openai, name: qwen2.5vl, api_key_env: ALTGEN_TEST_LAB_KEY}]`);
      // A new service reads what was saved: the list is the batch's, not the screen's.
      const reread = makeService();
      expect((await reread.handle('settings:get', null)).config.model.servers).toEqual(servers);
      await reread.shutdown();

      const keyed = makeService({ env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data'), ALTGEN_TEST_LAB_KEY: 'sk-lab' } });
      try {
        const check = await keyed.handle('model:check', { provider: 'openai', base_url: `${cloud.url}/v1`, name: 'qwen2.5vl', api_key_env: 'ALTGEN_TEST_LAB_KEY' });
        expect(check).toMatchObject({ state: 'ok', base_url: `${cloud.url}/v1`, model: 'qwen2.5vl' });
        expect(cloud.requests.at(-1)).toMatchObject({ api: 'openai', authorization: 'Bearer sk-lab' });
      } finally {
        await keyed.shutdown();
      }

      for (const bad of [
        { model: { servers: [{ base_url: lab.url, api_key_env: 'sk-abc123' }] } },
        { model: { servers: [{ base_url: 'ftp://lab' }] } },
        { model: { servers: [{ base_url: lab.url, provider: 'offline' }] } },
        { model: { servers: [{ base_url: lab.url, key: 'sk-abc123' }] } },
      ]) {
        expect(await service.call('settings:save', bad), JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
      }
      expect(await service.call('model:check', { provider: 'openai', base_url: cloud.url, name: 'x', api_key_env: 'sk-abc123' })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
      expect((await service.handle('settings:get', null)).config.model.servers).toEqual(servers);
    } finally {
      await lab.stop();
      await cloud.stop();
    }
  });

  it('clears the description cache, and only its own files', async () => {
    const cache = path.join(root, 'data', 'cache');
    const key = 'ab'.padEnd(64, '0');
    await fs.mkdir(path.join(cache, 'ab'), { recursive: true });
    await fs.writeFile(path.join(cache, 'ab', `${key}.json`), '{}');
    await fs.writeFile(path.join(cache, 'ab', `${'ab'.padEnd(64, '1')}.json`), '{}');
    await fs.writeFile(path.join(cache, 'keep-me.txt'), 'not the cache’s');
    expect(await service.handle('cache:clear', null)).toEqual({ removed: 2, folder: cache });
    expect(await fs.readdir(cache)).toEqual(['keep-me.txt']);
    expect(await service.handle('cache:clear', null)).toEqual({ removed: 0, folder: cache });
  });
});
