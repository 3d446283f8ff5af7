import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/batch-end-notice';
import type { BatchEvent } from '../../shared/batch-events';
import type { BridgeEvent } from '../../shared/ipc-contract';
import { QUEUE_MESSAGES } from '../batch/queue-edits';
import { buildDeck } from '../fixtures/deck-builder';
import type { AppHost } from './app-service';
import { AppService } from './app-service';

/**
 * The queue over the bridge, as both hosts serve it: pause and go on, the user's changes to a
 * running batch and to one that is not running, a deck's log, "When done", and History's names
 * and clean-up. Real decks, real temp folders, the scripted test processor in its own processes.
 */

const SCRIPT = fileURLToPath(new URL('../batch/test-processors/scripted-processor.mjs', import.meta.url));
const WEB: AppHost = { kind: 'web', version: '0.0.0-test' };

let root: string;
let lectures: string;
let output: string;
let gate: string;
let started: string;
let events: BridgeEvent[];
let service: AppService;

function makeService(host: AppHost = WEB): AppService {
  const created = new AppService({ host, env: { ...process.env, ALTGEN_CONFIG_DIR: path.join(root, 'config'), ALTGEN_DATA_DIR: path.join(root, 'data') }, homeDir: root });
  created.subscribe((event) => events.push(event));
  return created;
}

/** The scripted processor: `a.pptx` waits for the gate file, every other deck succeeds at once. */
async function useScriptedProcessor(): Promise<void> {
  const modes = path.join(root, 'modes.json');
  await fs.writeFile(modes, JSON.stringify({ 'a.pptx': ['gated', '--gate', gate, '--started-file', started], '*': 'succeed' }));
  process.env['ALTGEN_TEST_MODE_FILE'] = modes;
  await fs.mkdir(path.join(root, 'config'), { recursive: true });
  await fs.writeFile(
    path.join(root, 'config', 'config.yaml'),
    `batch_processing:\n  dry_run_validates_ollama: false\n  default_max_workers: 1\nprocessor:\n  command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(SCRIPT)}, by-file, "{input}", "{output}"]\n`,
  );
}

async function makeDecks(names: readonly string[]): Promise<void> {
  for (const name of names) await buildDeck(path.join(lectures, name), { slides: [{ title: name, pictures: [{ name: 'Picture 1' }] }] });
}

function batchEvents(): BatchEvent[] {
  return events.flatMap((e) => (e.event === 'batch:changed' ? [e.payload] : []));
}

function startOrder(): string[] {
  return batchEvents().flatMap((e) => (e.type === 'item:updated' && e.item.status === 'processing' ? [path.basename(e.item.path)] : []));
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startGated(names: readonly string[]): Promise<string> {
  await useScriptedProcessor();
  await makeDecks(names);
  const { manifest_path } = await service.handle('batch:start', { paths: [lectures], output_dir: output, dry_run: false });
  await waitFor('a.pptx to start', () => existsSync(started));
  return manifest_path;
}

/** The index of each deck in the batch. */
async function indexOf(manifestPath: string): Promise<Map<string, number>> {
  const snapshot = await service.handle('batch:open', { manifest_path: manifestPath });
  return new Map(snapshot.rows.map((row) => [path.basename(row.path), row.index]));
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-queue-service-'));
  lectures = path.join(root, 'Fall 2026', 'Cardiology');
  output = path.join(root, 'Fall 2026', 'Cardiology (alt text)');
  gate = path.join(root, 'gate');
  started = path.join(root, 'started');
  await fs.mkdir(lectures, { recursive: true });
  events = [];
  service = makeService();
});

afterEach(async () => {
  await fs.writeFile(gate, '');
  await service.shutdown();
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  await fs.rm(root, { recursive: true, force: true });
});

describe('the queue of a running batch, over the bridge', () => {
  it('pauses and goes on, moves a deck to the front, skips one and removes another, each shown in the batch\'s picture', async () => {
    const manifest = await startGated(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx']);
    const index = await indexOf(manifest);
    await service.handle('batch:pause', null);
    expect(service.currentSnapshot()?.user_paused).toBe(true);
    await service.handle('queue:move-to-front', { manifest_path: manifest, index: index.get('d.pptx')! });
    await service.handle('queue:skip-file', { manifest_path: manifest, index: index.get('b.pptx')! });
    const refused = await service.call('queue:remove-file', { manifest_path: manifest, index: index.get('a.pptx')! });
    expect(refused).toEqual({ ok: false, error: { code: 'EUSAGE', message: 'a.pptx cannot be removed: it is being processed now.' } });
    expect(service.currentSnapshot()).toMatchObject({ queue_front: [index.get('d.pptx')] });
    await fs.writeFile(gate, '');
    await waitFor('a.pptx to finish', () => service.currentSnapshot()?.rows[index.get('a.pptx')!]?.status === 'complete');
    await service.handle('batch:continue', null);
    await service.whenIdle();
    // a.pptx may have started before the batch's first picture was sent (it is in that picture, not an event).
    expect(startOrder().filter((name) => name !== 'a.pptx')).toEqual(['d.pptx', 'c.pptx']);
    const snapshot = service.currentSnapshot()!;
    expect(snapshot.user_paused).toBe(false);
    expect(snapshot.rows[index.get('b.pptx')!]).toMatchObject({ status: 'skipped', error_code: 'ESKIPPED_BY_USER', skip_reason: QUEUE_MESSAGES.skip });
    expect(batchEvents().filter((e) => e.type === 'batch:pause-changed').map((e) => e.type === 'batch:pause-changed' && e.paused)).toEqual([true, false]);
  }, 60_000);

  it('changes the queue of a batch that is not running in its manifest, and shows that batch again', async () => {
    const manifest = await startGated(['a.pptx', 'b.pptx', 'c.pptx']);
    await service.handle('batch:stop', { mode: 'after-current' });
    await fs.writeFile(gate, '');
    await service.whenIdle();
    const index = await indexOf(manifest);
    events = [];
    await service.handle('queue:remove-file', { manifest_path: manifest, index: index.get('c.pptx')! });
    const shown = events.flatMap((e) => (e.event === 'batch:snapshot-replaced' && e.payload ? [e.payload] : []));
    expect(shown.at(-1)?.rows[index.get('c.pptx')!]).toMatchObject({ status: 'skipped', error_code: 'EREMOVED_BY_USER' });
    await service.handle('queue:put-back-file', { manifest_path: manifest, index: index.get('c.pptx')! });
    await service.handle('queue:move-to-front', { manifest_path: manifest, index: index.get('c.pptx')! });
    expect(service.currentSnapshot()).toMatchObject({ queue_front: [index.get('c.pptx')] });
    expect(service.currentSnapshot()?.rows[index.get('c.pptx')!]?.status).toBe('pending');

    await service.handle('batch:resume', { manifest_path: manifest });
    await service.whenIdle();
    // The first deck may start before the resumed batch's first picture is sent (it is in that
    // picture, not an event): the order is read from the manifest's start times instead.
    const stored = JSON.parse(await fs.readFile(manifest, 'utf8')) as { queue: { items: { path: string; started_at: string }[] } };
    const resumed = stored.queue.items.filter((item) => ['b.pptx', 'c.pptx'].includes(path.basename(item.path)));
    expect(resumed.sort((x, y) => Date.parse(x.started_at) - Date.parse(y.started_at)).map((item) => path.basename(item.path))).toEqual(['c.pptx', 'b.pptx']);
    // Every deck has its log; the removed one's tells what the user did, then its run.
    const log = await service.handle('batch:get-log', { manifest_path: manifest, index: index.get('c.pptx')! });
    expect(log.entries.map((entry) => (entry.kind === 'queue' ? entry.message : entry.kind))).toEqual([
      QUEUE_MESSAGES.remove,
      QUEUE_MESSAGES.putBack,
      QUEUE_MESSAGES.front,
      'started',
      'ended',
    ]);
  }, 60_000);
});

describe('When done', () => {
  it('asks the page to notify in the browser once a batch is done by itself, and not when the user stopped it', async () => {
    expect(await service.handle('app:get-when-done', null)).toBe('nothing');
    expect(await service.call('app:set-when-done', { when_done: 'quit' })).toMatchObject({ ok: false, error: { code: 'ENOT_AVAILABLE' } });
    expect(await service.handle('app:set-when-done', { when_done: 'notify' })).toBe('notify');
    await startGated(['a.pptx', 'b.pptx']);
    await fs.writeFile(gate, '');
    await service.whenIdle();
    await waitFor('the notification', () => events.some((e) => e.event === 'app:notification-requested'));
    expect(events.filter((e) => e.event === 'app:notification-requested').map((e) => e.payload)).toEqual([{ title: 'Batch finished', body: '2 decks done.' }]);

    events = [];
    await fs.rm(gate);
    await fs.rm(started);
    const { manifest_path } = await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'second'), dry_run: false });
    await waitFor('a.pptx to start', () => existsSync(started));
    await service.handle('batch:stop', { mode: 'now' });
    await service.whenIdle();
    expect(manifest_path).not.toBe('');
    expect(events.filter((e) => e.event === 'app:notification-requested')).toEqual([]);
  }, 60_000);

  it('notifies through a host that can, and quits the app once the batch has let go of its manifest', async () => {
    const notices: Notice[] = [];
    let quitWhileRunning: boolean | null = null;
    const desktop: AppHost = { ...WEB, kind: 'electron', notify: (notice) => notices.push(notice), quit: () => (quitWhileRunning = service.isRunning) };
    await service.shutdown();
    service = makeService(desktop);
    // The desktop app has always said when a batch ends.
    expect(await service.handle('app:get-when-done', null)).toBe('notify');
    await startGated(['a.pptx']);
    await fs.writeFile(gate, '');
    await service.whenIdle();
    await waitFor('the notification', () => notices.length > 0);
    expect(notices).toEqual([{ title: 'Batch finished', body: '1 deck done.' }]);
    expect(events.filter((e) => e.event === 'app:notification-requested')).toEqual([]);

    expect(await service.handle('app:set-when-done', { when_done: 'quit' })).toBe('quit');
    await fs.rm(gate);
    await fs.rm(started);
    await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'second'), dry_run: false });
    await waitFor('a.pptx to start', () => existsSync(started));
    expect(quitWhileRunning).toBeNull();
    await fs.writeFile(gate, '');
    await service.whenIdle();
    await waitFor('the quit', () => quitWhileRunning !== null);
    expect(quitWhileRunning).toBe(false);
  }, 60_000);
});

describe('History', () => {
  it('names batches by their folder, with the input folder, their time and counts, and cleans up old finished ones by the cleanup rules', async () => {
    const manifest = await startGated(['a.pptx', 'b.pptx']);
    await fs.writeFile(gate, '');
    await service.whenIdle();
    const [listed] = await service.handle('batches:list', null);
    expect(listed).toMatchObject({ name: 'Fall 2026 – Cardiology', input_root: lectures, counts: { complete: 2 }, duration_ms: expect.any(Number) });

    // An unfinished batch stays whatever its age; one whose manifest is gone is taken off the list.
    await fs.rm(gate);
    await fs.rm(started);
    const unfinished = (await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'unfinished'), dry_run: false })).manifest_path;
    await waitFor('a.pptx to start', () => existsSync(started));
    await service.handle('batch:stop', { mode: 'now' });
    await service.whenIdle();
    await fs.rm(started);
    const gone = (await service.handle('batch:start', { paths: [lectures], output_dir: path.join(root, 'gone'), dry_run: true })).manifest_path;
    await service.whenIdle();
    await fs.rm(gone);
    // The first batch finished long ago.
    const document = JSON.parse(await fs.readFile(manifest, 'utf8')) as { end_time: string };
    await fs.writeFile(manifest, JSON.stringify({ ...document, end_time: '2020-01-01T10:00:00.000+00:00' }));

    const preview = await service.handle('batches:clean-up', { dry_run: true });
    expect(preview).toEqual({ removed: [{ batch_id: expect.any(String), manifest_path: manifest, name: 'Fall 2026 – Cardiology' }], kept: 1, forgotten: 1, retention_days: 30 });
    expect(existsSync(manifest)).toBe(true);
    expect(await service.handle('batches:list', null)).toHaveLength(3);

    await service.handle('batches:clean-up', { dry_run: false });
    expect(existsSync(manifest)).toBe(false);
    expect(existsSync(path.join(output, '.altgen', 'logs'))).toBe(true);
    expect(await fs.readdir(path.join(output, '.altgen', 'logs'))).toEqual([]);
    expect((await service.handle('batches:list', null)).map((batch) => batch.manifest_path)).toEqual([unfinished]);
  }, 90_000);
});
