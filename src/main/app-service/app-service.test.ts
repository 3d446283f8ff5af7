import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { ManifestDocument } from '../../shared/batch-types';
import type { BatchSnapshot, BridgeEvent, InvokeChannel } from '../../shared/ipc-contract';
import { INVOKE_CHANNELS } from '../../shared/ipc-contract';
import { CLI_ENTRY, TSX_LOADER } from '../batch/testing/altgen-cli';
import { buildDeck, buildLegacyPpt } from '../fixtures/deck-builder';
import type { AppHost, AppServiceOptions } from './app-service';
import { AppService } from './app-service';
import type { ReviewApplier } from './review-applier';

const SCRIPT = fileURLToPath(new URL('../batch/test-processors/scripted-processor.mjs', import.meta.url));
const WEB: AppHost = { kind: 'web', version: '0.0.0-test' };

let root: string;
let lectures: string;
let output: string;
let configDir: string;
let service: AppService;
let events: BridgeEvent[];

function env(): NodeJS.ProcessEnv {
  return { ...process.env, ALTGEN_CONFIG_DIR: configDir, ALTGEN_DATA_DIR: path.join(root, 'data') };
}

function makeService(options: Partial<AppServiceOptions> = {}): AppService {
  const created = new AppService({ host: WEB, env: env(), homeDir: root, ...options });
  created.subscribe((event) => events.push(event));
  return created;
}

async function writeConfig(text: string): Promise<void> {
  await fs.mkdir(configDir, { recursive: true });
  await fs.writeFile(path.join(configDir, 'config.yaml'), text);
}

/** A config whose processor is the scripted test processor, told per file what to do. */
async function useScriptedProcessor(modes: Record<string, string | string[]> = {}): Promise<void> {
  const modeFile = path.join(root, 'modes.json');
  await fs.writeFile(modeFile, JSON.stringify(modes));
  process.env['ALTGEN_TEST_MODE_FILE'] = modeFile;
  await writeConfig(
    [
      'batch_processing:',
      '  dry_run_validates_ollama: false',
      'processor:',
      `  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPT)}, by-file, "{input}", "{output}"]`,
      '',
    ].join('\n'),
  );
}

async function makeDecks(names: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const name of names) {
    const file = path.join(lectures, name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await buildDeck(file, { slides: [{ title: name, pictures: [{ name: 'Picture 1' }, { descr: 'A human heart, anterior view' }] }] });
    paths.push(file);
  }
  return paths;
}

function batchEvents(): BatchEvent[] {
  return events.flatMap((e) => (e.event === 'batch:changed' ? [e.payload] : []));
}

async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function finished(): Promise<BatchSnapshot> {
  await service.whenIdle();
  const snapshot = await service.handle('batch:get-current', null);
  if (!snapshot) throw new Error('no current batch');
  return snapshot;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-app-'));
  lectures = path.join(root, 'Lectures');
  output = path.join(root, 'Lectures (alt text)');
  configDir = path.join(root, 'config');
  await fs.mkdir(lectures, { recursive: true });
  events = [];
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  service = makeService();
});

afterEach(async () => {
  await service.shutdown();
  await fs.rm(root, { recursive: true, force: true });
});

describe('AppService request validation', () => {
  const manifest = '/tmp/out/batch_20260101_120000_abcdef12_manifest.json';
  const bad: { readonly [C in InvokeChannel]: readonly unknown[] } = {
    'app:get-info': [{}, 1, 'x'],
    'inputs:discover': [null, {}, { paths: [] }, { paths: [''] }, { paths: ['/a\0b'] }, { paths: '/a' }, { paths: ['/a'], extra: 1 }],
    'batch:start': [
      { paths: ['/a'], output_dir: '/b' },
      { paths: ['/a'], output_dir: '', dry_run: false },
      { paths: ['/a'], output_dir: '/b', dry_run: 'yes' },
      { paths: ['/a'], output_dir: '/b', dry_run: false, max_workers: 0 },
      { paths: ['/a'], output_dir: '/b', dry_run: false, max_workers: 1.5 },
      { paths: ['/a'], output_dir: '/b', dry_run: false, processor: 'rm -rf /' },
      { paths: ['/a'], output_dir: '/b', dry_run: false, dry_run_manifest: '/etc/passwd' },
    ],
    'batch:resume': [{}, { manifest_path: '/etc/passwd' }, { manifest_path: 'batch_1_manifest.json' }, { manifest_path: manifest, only_index: -1 }, { manifest_path: manifest, retry_failed: 1 }],
    'batch:stop': [{}, { mode: 'later' }, null],
    'batch:try-model-now': [{}, true],
    'batch:pause': [{}, true],
    'batch:continue': [{ now: true }],
    'queue:move-to-front': [{ manifest_path: manifest }, { manifest_path: manifest, index: -1 }, { manifest_path: '/etc/passwd', index: 0 }],
    'queue:skip-file': [{ manifest_path: manifest, index: 1.5 }, { index: 0 }],
    'queue:remove-file': [{ manifest_path: manifest, index: '0' }, { manifest_path: manifest, index: 0, all: true }],
    'queue:put-back-file': [null, { manifest_path: 'batch_1_manifest.json', index: 0 }],
    'batch:get-log': [{ manifest_path: manifest }, { manifest_path: '/tmp/out/notes.jsonl', index: 0 }],
    'app:get-when-done': [{}],
    'app:set-when-done': [{}, { when_done: 'shutdown' }, { when_done: 'quit', delay: 5 }],
    'batch:get-current': [{ id: 1 }],
    'batch:open': [{ manifest_path: '/tmp/notes.txt' }, { manifest_path: manifest, x: 1 }],
    'batches:list': [[]],
    'batches:clean-up': [null, {}, { dry_run: 'yes' }],
    'model:check': [{ url: 'http://evil' }],
    'settings:get': [0],
    'settings:save': [
      { model: { name: '' } },
      { model: { base_url: 'file:///etc/passwd' } },
      { model: { api_key_env: 'HOME' } },
      { processor: { command: 'sh -c evil' } },
      { alt_text: { char_limit: 5 } },
      { batch_processing: { stop_on_error_threshold: 2 } },
      { batch_processing: { default_max_workers: 'four' } },
      null,
    ],
    'review:get': [{ manifest_path: manifest }, { manifest_path: manifest, index: 'one' }],
    'review:apply': [
      { manifest_path: manifest, index: 0 },
      { manifest_path: manifest, index: 0, edits: [{ key: 'k' }] },
      { manifest_path: manifest, index: 0, edits: [{ key: 'k', descr: 'x'.repeat(5000) }] },
      { manifest_path: manifest, index: 0, edits: [{ key: 'k', descr: 'ok', extra: true }] },
    ],
    'folders:list': [{}, { path: '' }, { path: 42 }],
    'folders:places': [{}, 'home'],
    'cache:clear': [{ all: true }],
    'shell:open-path': [{}, { path: 'a.pptx' }, { path: ['/a'] }],
    'shell:show-in-folder': [{ path: '' }, { path: '/a', reveal: true }],
    'dialog:pick-folder': [{ title: 'x' }],
    'review:get-queue': [{}, { manifest_path: '/tmp/out/notes.json' }],
    'review:get-summary': [{ manifest_path: manifest, deck: '/a.pptx' }],
    'review:get-picture': [{ manifest_path: manifest, deck: 'a.pptx', key: 'k' }, { manifest_path: manifest, deck: '/a.pptx' }],
    'review:get-image': [{ manifest_path: manifest, deck: '/a.pptx', key: '' }],
    'review:act': [
      { manifest_path: manifest, deck: '/a.pptx', key: 'k' },
      { manifest_path: manifest, deck: '/a.pptx', key: 'k', action: { type: 'delete' } },
      { manifest_path: manifest, deck: '/a.pptx', key: 'k', action: { type: 'edit', alt: 'x'.repeat(5000) } },
      { manifest_path: manifest, deck: '/a.pptx', key: 'k', action: { type: 'revert', to: 'yesterday' } },
      { manifest_path: manifest, deck: '/a.pptx', key: 'k', action: { type: 'accept', alt: 'sneaked in' } },
    ],
    'review:regenerate': [{ manifest_path: manifest, deck: '/a.pptx', key: 'k' }, { manifest_path: manifest, deck: '/a.pptx', key: 'k', hint: 'x'.repeat(600) }],
    'review:apply-all': [{ manifest_path: manifest, force: true }],
    'review:undo-apply': [null],
    'review:export': [{ manifest_path: manifest, format: 'pdf' }, { manifest_path: manifest }],
    'review:get-slides': [{}, { manifest_path: manifest, deck: '/a.pptx' }],
    'review:decide-slide': [
      { manifest_path: manifest, deck: '/a.pptx', key: 'ppt/slides/slide1.xml#missing-slide-title' },
      { manifest_path: manifest, deck: '/a.pptx', key: 'ppt/slides/slide1.xml#missing-slide-title', decision: 'delete' },
      { manifest_path: manifest, deck: 'a.pptx', key: 'k', decision: 'accept' },
    ],
  };

  it.each(INVOKE_CHANNELS.map((channel) => [channel] as const))('rejects bad requests on %s with EBAD_REQUEST', async (channel) => {
    expect(bad[channel].length).toBeGreaterThan(0);
    for (const request of bad[channel]) {
      const answer = await service.call(channel, request);
      expect(answer, `${channel} ${JSON.stringify(request)}`).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    }
  });

  it('rejects unknown channels and names the problem', async () => {
    expect(await service.call('fs:delete', { path: '/' })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST', message: expect.stringContaining('Unknown channel') } });
    // A path the desktop app cannot place is a sentence for the field, not a schema complaint.
    const answer = await service.call('batch:start', { paths: ['relative'], output_dir: '/b', dry_run: true });
    expect(answer).toEqual({ ok: false, error: { code: 'EBAD_PATH', message: `“relative” is not a full path. Type the full path, for example ${path.join(root, 'Lectures')}.` } });
  });

  it('answers app:get-info with the host and the config in use', async () => {
    expect(await service.handle('app:get-info', null)).toMatchObject({ host: 'web', version: '0.0.0-test', config_path: null });
    await writeConfig('model:\n  name: llava\n');
    expect((await service.handle('app:get-info', undefined)).config_path).toBe(path.join(configDir, 'config.yaml'));
  });
});

describe('AppService batches', () => {
  it('previews what a folder would run, with the reason for every file left out', async () => {
    await makeDecks(['01 anatomy.pptx', 'year2/02 physiology.pptm', 'saved-as.ppt']);
    await buildLegacyPpt(path.join(lectures, 'old.ppt'));
    const preview = await service.handle('inputs:discover', { paths: [lectures] });
    expect(preview.input_root).toBe(lectures);
    expect(preview.suggested_output_dir).toBe(output);
    expect(preview.files.map((f) => [f.relative_path, f.action, f.code])).toEqual([
      ['01 anatomy.pptx', 'process', null],
      ['old.ppt', 'skip', 'ELEGACY_FORMAT'],
      ['saved-as.ppt', 'process', null],
      [path.join('year2', '02 physiology.pptm'), 'process', null],
    ]);
    // A 2007+ deck with a 97–2003 name is processed, and the preview says so (and how its copy is named).
    expect(preview.files.find((f) => f.relative_path === 'saved-as.ppt')?.reason).toMatch(/PowerPoint 2007\+ deck with a 97–2003 name.*saved-as\.pptx/);
    expect(preview.files.find((f) => f.relative_path === '01 anatomy.pptx')?.reason).toBeNull();
    const files = await service.handle('inputs:discover', { paths: [path.join(lectures, '01 anatomy.pptx'), path.join(lectures, 'year2')] });
    expect(files.files.map((f) => f.action)).toEqual(['process', 'process']);
    // A mistyped path is the field's error, not a row of a batch of nothing.
    expect(await rejection(service.handle('inputs:discover', { paths: [path.join(lectures, '01 anatomy.pptx'), path.join(root, 'nowhere')] }))).toMatchObject({
      code: 'ENOT_FOUND',
      message: `There is no folder or file at ${path.join(root, 'nowhere')}: check the spelling, or choose Browse… to pick it.`,
    });
    await fs.mkdir(path.join(root, 'empty'));
    expect(await rejection(service.handle('inputs:discover', { paths: [path.join(root, 'empty')] }))).toMatchObject({ code: 'ENO_DECKS' });
  });

  it('runs a batch: the snapshot comes first, then every event, and the final snapshot has rows, pictures, durations and counts', async () => {
    await useScriptedProcessor({ 'b.pptx': 'fail' });
    await makeDecks(['a.pptx', 'b.pptx', 'sub/c.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    expect(started.manifest_path).toBe(path.join(output, `batch_${started.batch_id}_manifest.json`));
    const snapshot = await finished();
    expect(snapshot).toMatchObject({
      batch_id: started.batch_id,
      state: 'finished',
      stop_reason: 'finished',
      dry_run: false,
      input_root: lectures,
      output_dir: output,
      counts: { total: 3, complete: 2, failed: 1, pending: 0, processing: 0 },
      eta_ms: 0,
      totals: null,
    });
    const [a, b, c] = snapshot.rows;
    expect(a).toMatchObject({ relative_path: 'a.pptx', status: 'complete', pictures_done: 2, pictures_total: 2, output_path: path.join(output, 'a.pptx') });
    expect(a?.duration_ms).toBeGreaterThan(0);
    expect(b).toMatchObject({ status: 'failed', error_code: 'EPROCESSOR_FAILED', error: expect.stringContaining('scripted failure') });
    expect(c).toMatchObject({ relative_path: path.join('sub', 'c.pptx'), status: 'complete' });
    const firstSnapshot = events.findIndex((e) => e.event === 'batch:snapshot-replaced');
    const firstChange = events.findIndex((e) => e.event === 'batch:changed');
    expect(firstSnapshot).toBeGreaterThanOrEqual(0);
    expect(firstSnapshot).toBeLessThan(firstChange);
    const types = batchEvents().map((e) => e.type);
    expect(types[0]).toBe('batch:started');
    expect(types.at(-1)).toBe('batch:finished');
    expect(types).toContain('item:progressed');
    expect(await service.handle('batch:open', { manifest_path: started.manifest_path })).toMatchObject({ counts: snapshot.counts });
  });

  it('reports dry-run totals and checks nothing is written', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await writeConfig('batch_processing:\n  dry_run_validates_ollama: false\n');
    await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: true });
    const snapshot = await finished();
    expect(snapshot).toMatchObject({ dry_run: true, state: 'finished', totals: { decks: 2, pictures: 4, pictures_missing_alt: 2 } });
    expect(snapshot.rows[0]).toMatchObject({ pictures_total: 2, pictures_missing_alt: 1, output_path: null });
    expect((await fs.readdir(output)).filter((name) => name.endsWith('.pptx'))).toEqual([]);
  });

  it('refuses a real batch without a processor with ENO_PROCESSOR, and leaves no batch behind', async () => {
    await makeDecks(['a.pptx']);
    const error = await rejection(service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false }));
    expect(error).toMatchObject({ code: 'ENO_PROCESSOR', message: expect.stringContaining('processor.command') });
    expect(service.isRunning).toBe(false);
    expect(await service.handle('batch:get-current', null)).toBeNull();
    expect(await service.call('batch:start', { paths: [lectures], output_dir: lectures, dry_run: true })).toMatchObject({
      ok: false,
      error: { code: 'EBAD_OUTPUT_DIR', message: expect.stringContaining('must differ from the input folder') },
    });
  });

  it('runs one batch at a time: a second start or a resume while one runs is EBUSY', async () => {
    await useScriptedProcessor({ '*': ['slow', '--delay-ms', '1500'] });
    await makeDecks(['a.pptx', 'b.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    expect(service.isRunning).toBe(true);
    expect(await service.call('batch:start', { paths: [lectures], output_dir: path.join(root, 'other'), dry_run: true })).toMatchObject({ ok: false, error: { code: 'EBUSY' } });
    expect(await service.call('batch:resume', { manifest_path: started.manifest_path })).toMatchObject({ ok: false, error: { code: 'EBUSY' } });
    await service.handle('batch:stop', { mode: 'now' });
    expect((await service.handle('batch:get-current', null))?.state).toMatch(/stopping|stopped/);
    const snapshot = await finished();
    expect(snapshot).toMatchObject({ state: 'stopped', stop_reason: 'stop-now', counts: { pending: 2, complete: 0 } });
  });

  it('stops after the running file, lists the batch as unfinished and resumes it from the index', async () => {
    await useScriptedProcessor({ '*': ['slow', '--delay-ms', '600'] });
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    await waitFor(() => batchEvents().some((e) => e.type === 'item:progressed'));
    await service.handle('batch:stop', { mode: 'after-current' });
    const stopped = await finished();
    expect(stopped).toMatchObject({ state: 'stopped', stop_reason: 'stop-after-current', stop_message: expect.any(String), counts: { complete: 1, pending: 2 } });

    // A fresh service (the app after a restart) finds it in the index and offers it for Resume.
    service = makeService();
    const known = await service.handle('batches:list', null);
    expect(known).toEqual([
      expect.objectContaining({ batch_id: started.batch_id, manifest_path: started.manifest_path, unfinished: true, problem: null, stop_reason: 'stop-after-current' }),
    ]);
    await useScriptedProcessor({ '*': 'succeed' });
    const resumed = await service.handle('batch:resume', { manifest_path: started.manifest_path });
    expect(resumed.batch_id).toBe(started.batch_id);
    expect(await finished()).toMatchObject({ state: 'finished', counts: { complete: 3, pending: 0 } });
    expect((await service.handle('batches:list', null))[0]).toMatchObject({ unfinished: false, end_time: expect.any(String) });
  });

  it('shuts down while a batch is still being prepared: the batch stops, its files stay pending for a resume', async () => {
    await useScriptedProcessor({ '*': ['slow', '--delay-ms', '40000'] });
    await makeDecks(['a.pptx', 'b.pptx']);
    const starting = service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    const started = Date.now();
    await service.shutdown();
    // Without stopping the processors, shutdown would wait out their 40 s (a generous bound:
    // CI's cores may be busy).
    expect(Date.now() - started).toBeLessThan(15_000);
    const { manifest_path } = await starting;
    expect(service.isRunning).toBe(false);
    expect(await service.handle('batch:open', { manifest_path })).toMatchObject({ state: 'stopped', stop_reason: 'interrupted', counts: { pending: 2 } });
  });

  it('retries one failed file on resume', async () => {
    await useScriptedProcessor({ 'b.pptx': 'fail' });
    await makeDecks(['a.pptx', 'b.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    expect((await finished()).counts).toMatchObject({ complete: 1, failed: 1 });
    expect(await service.call('batch:resume', { manifest_path: started.manifest_path, only_index: 0 })).toMatchObject({
      ok: false,
      error: { code: 'EBAD_REQUEST', message: expect.stringContaining('only failed or skipped') },
    });
    await useScriptedProcessor({});
    await service.handle('batch:resume', { manifest_path: started.manifest_path, only_index: 1 });
    expect((await finished()).counts).toMatchObject({ complete: 2, failed: 0 });
    // A resume right after the last event works: if need be it waits for the batch to let go of its manifest.
    await useScriptedProcessor({ 'a.pptx': 'fail' });
    await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'second'), dry_run: false });
    const ended = await waitFor(() => batchEvents().find((e) => e.type === 'batch:finished' && e.batch_id !== started.batch_id));
    const again = await service.handle('batch:resume', { manifest_path: path.join(root, 'second', `batch_${ended.batch_id}_manifest.json`), retry_failed: true });
    expect(again.batch_id).toBe(ended.batch_id);
    expect((await finished()).counts).toMatchObject({ complete: 1, failed: 1 });
  });

  it.skipIf(process.platform === 'win32')('refuses to retry a link that leads outside the input folder, and processes nothing outside', async () => {
    await useScriptedProcessor();
    await makeDecks(['a.pptx']);
    const outside = path.join(root, 'elsewhere');
    await fs.mkdir(outside, { recursive: true });
    await fs.writeFile(path.join(outside, 'secret.pptx'), 'x');
    await fs.symlink(path.join(outside, 'secret.pptx'), path.join(lectures, 'link.pptx'));
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    const done = await finished();
    expect(done.counts).toMatchObject({ complete: 1, skipped: 1 });
    const document = JSON.parse(await fs.readFile(started.manifest_path, 'utf8')) as ManifestDocument;
    const index = document.queue.items.findIndex((item) => item.error_code === 'EOUTSIDE_INPUT');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(await service.call('batch:resume', { manifest_path: started.manifest_path, only_index: index })).toMatchObject({
      ok: false,
      error: { code: 'EBAD_REQUEST', message: expect.stringMatching(/^link\.pptx cannot be retried: Link to a file outside .*copy the deck into the folder/) },
    });
    expect(JSON.parse(await fs.readFile(started.manifest_path, 'utf8')).queue.items[index]).toMatchObject({ status: 'skipped', error_code: 'EOUTSIDE_INPUT' });
  });

  it('opens a batch from its manifest and makes it the current one when none runs', async () => {
    await useScriptedProcessor();
    await makeDecks(['a.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    await finished();
    service = makeService();
    events = [];
    const opened = await service.handle('batch:open', { manifest_path: started.manifest_path });
    expect(opened).toMatchObject({ state: 'finished', counts: { complete: 1 }, rows: [expect.objectContaining({ status: 'complete' })] });
    expect(events).toEqual([{ event: 'batch:snapshot-replaced', payload: opened }]);
    expect(await service.handle('batch:get-current', null)).toEqual(opened);
    expect(await service.call('batch:open', { manifest_path: path.join(output, 'batch_20200101_000000_00000000_manifest.json') })).toMatchObject({
      ok: false,
      error: { code: 'EMANIFEST_UNREADABLE' },
    });
  });
});

describe('AppService shell policy', () => {
  async function finishedBatch(): Promise<string> {
    await useScriptedProcessor();
    await makeDecks(['a.pptx']);
    const started = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    await finished();
    return started.manifest_path;
  }

  it('opens and reveals only paths inside a batch this app knows, through the host', async () => {
    const opened: string[] = [];
    const revealed: string[] = [];
    service = makeService({
      host: { ...WEB, kind: 'electron', openPath: async (p) => void opened.push(p), showInFolder: async (p) => void revealed.push(p) },
    });
    const outside = path.join(root, 'secret.pptx');
    await fs.writeFile(outside, 'x');
    // Before any batch, nothing is allowed.
    expect(await service.call('shell:show-in-folder', { path: outside })).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
    await finishedBatch();
    await service.handle('shell:open-path', { path: path.join(output, 'a.pptx') });
    await service.handle('shell:show-in-folder', { path: path.join(lectures, 'a.pptx') });
    await service.handle('shell:open-path', { path: output });
    expect(opened).toEqual([path.join(output, 'a.pptx'), output]);
    expect(revealed).toEqual([path.join(lectures, 'a.pptx')]);

    for (const denied of [outside, path.join(output, '..', 'secret.pptx'), '/etc/passwd', root]) {
      expect(await service.call('shell:open-path', { path: denied }), denied).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
      expect(await service.call('shell:show-in-folder', { path: denied }), denied).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
    }
    await fs.symlink(outside, path.join(output, 'link.pptx'));
    expect(await service.call('shell:open-path', { path: path.join(output, 'link.pptx') })).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
    await fs.writeFile(path.join(lectures, 'run-me.sh'), '#!/bin/sh\n');
    expect(await service.call('shell:open-path', { path: path.join(lectures, 'run-me.sh') })).toMatchObject({ ok: false, error: { code: 'EFORBIDDEN' } });
    await service.handle('shell:show-in-folder', { path: path.join(lectures, 'run-me.sh') });
    expect(await service.call('shell:open-path', { path: path.join(output, 'gone.pptx') })).toMatchObject({ ok: false, error: { code: 'ENOT_FOUND' } });
    expect(opened).toHaveLength(2);
  });

  it('answers ENOT_AVAILABLE in the web host, and null for the folder picker', async () => {
    await finishedBatch();
    expect(await service.call('shell:open-path', { path: path.join(output, 'a.pptx') })).toMatchObject({ ok: false, error: { code: 'ENOT_AVAILABLE' } });
    expect(await service.call('shell:show-in-folder', { path: output })).toMatchObject({ ok: false, error: { code: 'ENOT_AVAILABLE' } });
    expect(await service.handle('dialog:pick-folder', null)).toBeNull();
  });
});

describe('AppService folders, settings, model and review', () => {
  it('lists folders and decks only, hidden entries left out, folders first', async () => {
    await makeDecks(['b.pptx', 'A.pptm', 'sub/x.pptx']);
    await fs.mkdir(path.join(lectures, '.hidden'));
    await fs.writeFile(path.join(lectures, '.secret.pptx'), '');
    await fs.writeFile(path.join(lectures, '~$b.pptx'), '');
    await fs.writeFile(path.join(lectures, 'notes.txt'), '');
    const listing = await service.handle('folders:list', { path: lectures });
    expect(listing).toEqual({
      path: lectures,
      parent: root,
      entries: [
        { name: 'sub', kind: 'folder' },
        { name: 'A.pptm', kind: 'deck' },
        { name: 'b.pptx', kind: 'deck' },
      ],
    });
    expect((await service.handle('folders:list', { path: null })).path).toBe(root);
    expect((await service.handle('folders:list', { path: '/' })).parent).toBeNull();
    expect(await service.call('folders:list', { path: path.join(root, 'nope') })).toMatchObject({ ok: false, error: { code: 'ENOT_FOUND' } });
  });

  it('reads and saves settings in the user config.yaml, keeping its comments', async () => {
    expect(await service.handle('settings:get', null)).toMatchObject({ path: path.join(configDir, 'config.yaml'), config: { model: { name: 'llava' } } });
    await writeConfig('# my settings\nmodel:\n  name: llava # the default\nunknown_key: kept\n');
    const saved = await service.handle('settings:save', { model: { name: 'qwen2.5vl' }, alt_text: { char_limit: 150 } });
    expect(saved.config.model.name).toBe('qwen2.5vl');
    expect(saved.config.alt_text.char_limit).toBe(150);
    const text = await fs.readFile(path.join(configDir, 'config.yaml'), 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('name: qwen2.5vl # the default');
    expect(text).toContain('unknown_key: kept');
    expect((await service.handle('settings:get', null)).config.alt_text.char_limit).toBe(150);
  });

  it('refuses to overwrite a config.yaml that does not load, with ECONFIG', async () => {
    await writeConfig('model:\n  name: [unclosed\n');
    expect(await service.call('settings:save', { model: { name: 'x' } })).toMatchObject({ ok: false, error: { code: 'ECONFIG' } });
    expect(await fs.readFile(path.join(configDir, 'config.yaml'), 'utf8')).toBe('model:\n  name: [unclosed\n');
  });

  it('checks the model server from the settings', async () => {
    const server = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ models: [{ name: 'llava:latest' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await writeConfig(`model:\n  base_url: ${url}\n  name: llava\n`);
      expect(await service.handle('model:check', null)).toMatchObject({ state: 'ok', base_url: url, model: 'llava', fix: null });
      await service.handle('settings:save', { model: { name: 'missing-model' } });
      expect(await service.handle('model:check', null)).toMatchObject({ state: 'model-missing', fix: 'ollama pull missing-model' });
    } finally {
      server.close();
    }
    expect(await service.handle('model:check', null)).toMatchObject({ state: 'unreachable' });
  });

  it('shows a processed deck for review and hands checked edits to the applier', async () => {
    const applied: Parameters<ReviewApplier>[] = [];
    service = makeService({
      applyReview: async (...args) => {
        applied.push(args);
        return { output_path: args[0].outputPath, changed: 1 };
      },
    });
    await useScriptedProcessor();
    await makeDecks(['a.pptx', 'b.pptx']);
    const { manifest_path } = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
    await finished();
    const report = {
      deck: path.join(lectures, 'a.pptx'),
      output: path.join(output, 'a.pptx'),
      pictures: [
        { key: 'ppt/slides/slide1.xml#2', slide: 1, shape_id: '2', shape_name: 'Picture 1', image_hash: 'ab', before: null, after: 'A heart', decision: 'described', reason: 'missing', needs_review: false, draft: false, model: 'llava', thumbnail: 'data:image/png;base64,iVBORw0KGgo=' },
        { key: 'ppt/slides/slide1.xml#3', slide: 1, shape_id: '3', shape_name: 'Picture 2', image_hash: 'cd', before: 'x', after: null, decision: 'needs-review', reason: 'refusal', needs_review: true, draft: false, model: 'llava', thumbnail: 'javascript:alert(1)' },
      ],
    };
    await fs.writeFile(path.join(output, 'a.alt-text.json'), JSON.stringify(report));
    const review = await service.handle('review:get', { manifest_path, index: 0 });
    expect(review).toMatchObject({ deck_path: path.join(lectures, 'a.pptx'), output_path: path.join(output, 'a.pptx'), report_path: path.join(output, 'a.alt-text.json') });
    expect(review.pictures.map((p) => [p.key, p.after, p.needs_review, p.thumbnail])).toEqual([
      ['ppt/slides/slide1.xml#2', 'A heart', false, 'data:image/png;base64,iVBORw0KGgo='],
      ['ppt/slides/slide1.xml#3', null, true, null],
    ]);
    expect(await service.call('review:get', { manifest_path, index: 1 })).toMatchObject({ ok: false, error: { code: 'ENOT_FOUND', message: expect.stringContaining('review report is missing') } });
    expect(await service.call('review:get', { manifest_path, index: 9 })).toMatchObject({ ok: false, error: { code: 'EREVIEW_REFUSED' } });
    expect(await service.call('review:apply', { manifest_path, index: 0, edits: [{ key: 'nope', descr: 'x' }] })).toMatchObject({ ok: false, error: { code: 'EBAD_REQUEST' } });
    expect(await service.handle('review:apply', { manifest_path, index: 0, edits: [{ key: 'ppt/slides/slide1.xml#2', descr: 'A heart' }] })).toEqual({ output_path: path.join(output, 'a.pptx'), changed: 0 });
    expect(applied).toHaveLength(0);
    const result = await service.handle('review:apply', { manifest_path, index: 0, edits: [{ key: 'ppt/slides/slide1.xml#3', descr: '  Chest X-ray,\n PA view ' }] });
    expect(result).toEqual({ output_path: path.join(output, 'a.pptx'), changed: 1 });
    const [[target, edited]] = applied as [Parameters<ReviewApplier>];
    expect(target.outputPath).toBe(path.join(output, 'a.pptx'));
    expect(edited.pictures.map((p) => p.after)).toEqual(['A heart', 'Chest X-ray, PA view']);
    expect(edited['deck']).toBe(report.deck);
  });
});

describe('AppService settings for its processors', () => {
  it('runs the processor with the settings the app shows and saves, never a config.yaml in its working folder', async () => {
    // The built-in processor from source, as the app runs it; its working folder is the app's.
    await service.shutdown();
    service = makeService({ builtInProcessor: [process.execPath, '--import', TSX_LOADER, CLI_ENTRY] });
    const stray = path.join(root, 'working folder');
    await fs.mkdir(stray);
    await fs.writeFile(path.join(stray, 'config.yaml'), 'alt_text:\n  policy: overwrite\n  read_text_in_images: false\nmodel:\n  provider: offline\n');
    await fs.mkdir(lectures, { recursive: true });
    await buildDeck(path.join(lectures, 'heart.pptx'), { slides: [{ title: 'Heart', pictures: [{ descr: 'A human heart, anterior view' }] }] });
    const resultOf = async (snapshot: BatchSnapshot) => {
      const document = JSON.parse(await fs.readFile(snapshot.manifest_path, 'utf8')) as ManifestDocument;
      return document.queue.items[0];
    };
    const cwd = process.cwd();
    process.chdir(stray);
    try {
      // Nothing saved: the app shows the defaults (keep human alt text, ask Ollama), and so the processor works.
      expect((await service.handle('settings:get', null)).config.alt_text.policy).toBe('preserve');
      await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'out 1'), dry_run: false });
      const first = await resultOf(await finished());
      expect(first).toMatchObject({ status: 'complete', result: { pictures: 1, preserved: 1, drafted: 0 } });

      // Saved in the app: those settings, whatever the working folder's file says.
      await fs.writeFile(path.join(stray, 'config.yaml'), 'alt_text:\n  policy: missing-only\n');
      await service.handle('settings:save', { alt_text: { policy: 'overwrite' }, model: { provider: 'offline' } });
      await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'out 2'), dry_run: false });
      const second = await resultOf(await finished());
      expect(second).toMatchObject({ status: 'complete', result: { pictures: 1, preserved: 0, drafted: 1 } });
    } finally {
      process.chdir(cwd);
    }
  });
});
