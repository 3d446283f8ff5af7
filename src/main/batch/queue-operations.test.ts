import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchEvent } from '../../shared/batch-events';
import type { AltgenConfig } from '../../shared/config-schema';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { newItem } from '../../shared/item-state';
import { buildDeck } from '../fixtures/deck-builder';
import type { BatchRunOptions } from './batch-runner';
import { BatchRunner } from './batch-runner';
import { readDeckLog } from './deck-log';
import { discoverInputs } from './discover-inputs';
import { ManifestStore } from './manifest-store';
import { editStoppedBatch, QUEUE_MESSAGES } from './queue-edits';
import { waitUntil } from './testing/altgen-cli';

/**
 * The queue people know from HandBrake, through the real runner, real decks and real processor
 * processes (the scripted test processor): pause and go on, move a deck to the front, skip or
 * remove it, put it back; on a running batch and on one that is not running.
 */

const SCRIPT = fileURLToPath(new URL('./test-processors/scripted-processor.mjs', import.meta.url));

let root: string;
let inputDir: string;
let outputDir: string;
let gate: string;
let started: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-queue-'));
  inputDir = path.join(root, 'lectures');
  outputDir = path.join(root, 'out');
  gate = path.join(root, 'gate');
  started = path.join(root, 'started');
  await fs.mkdir(inputDir, { recursive: true });
});

afterEach(async () => {
  delete process.env['ALTGEN_TEST_MODE_FILE'];
  await fs.rm(root, { recursive: true, force: true });
});

function config(batch: Partial<AltgenConfig['batch_processing']> = {}): AltgenConfig {
  return {
    ...DEFAULT_CONFIG,
    batch_processing: { ...DEFAULT_CONFIG.batch_processing, dry_run_validates_ollama: false, default_max_workers: 1, ...batch },
    processor: { command: ['node', SCRIPT, 'by-file', '{input}', '{output}'] },
  };
}

async function makeDecks(names: readonly string[]): Promise<void> {
  for (const name of names) {
    await buildDeck(path.join(inputDir, name), { title: name, slides: [{ title: 'Slide', pictures: [{ name: 'Picture 1' }] }] });
  }
}

/** The scripted processor's mode per deck; `a.pptx` waits for the gate file unless told otherwise. */
async function setModes(modes: Record<string, string | string[]>): Promise<void> {
  const file = path.join(root, 'modes.json');
  await fs.writeFile(file, JSON.stringify({ 'a.pptx': ['gated', '--gate', gate, '--started-file', started], '*': 'succeed', ...modes }));
  process.env['ALTGEN_TEST_MODE_FILE'] = file;
}

async function newRunner(events: BatchEvent[], options: Partial<BatchRunOptions> = {}): Promise<BatchRunner> {
  const discovery = options.resume ? null : await discoverInputs({ inputDir, outputDir });
  return new BatchRunner(discovery?.files ?? null, outputDir, {
    config: config(),
    inputRoot: discovery?.inputRoot ?? null,
    onEvent: (event) => events.push(event),
    ...options,
  });
}

/** The decks in the order they started. */
function startOrder(events: readonly BatchEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'item:updated' && e.item.status === 'processing' ? [path.basename(e.item.path)] : []));
}

async function manifestIn(dir: string): Promise<string> {
  const name = (await fs.readdir(dir)).find((n) => n.endsWith('_manifest.json'));
  if (!name) throw new Error(`no manifest in ${dir}`);
  return path.join(dir, name);
}

async function indexByName(manifestPath: string): Promise<Map<string, number>> {
  const items = (await ManifestStore.open(manifestPath)).allItems();
  return new Map(items.map((item, index) => [path.basename(item.path), index]));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pausing a running batch', () => {
  it('starts no deck while paused, lets the running one finish, and starts the rest once it goes on', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    await setModes({});
    const events: BatchEvent[] = [];
    const runner = await newRunner(events);
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    expect(await runner.pause()).toBe(true);
    expect(await runner.pause()).toBe(false);
    await fs.writeFile(gate, '');
    await waitUntil('a.pptx to finish', () => events.some((e) => e.type === 'item:updated' && e.item.status === 'complete'), 30_000);
    // Long enough for the next deck to start, were the pause not holding it.
    await sleep(600);
    const paused = events.findIndex((e) => e.type === 'batch:pause-changed' && e.paused);
    expect(startOrder(events.slice(paused))).toEqual([]);
    expect(runner.paused).toBe(true);

    expect(await runner.continue()).toBe(true);
    const summary = await done;
    expect(summary.counts).toMatchObject({ complete: 3, failed: 0, pending: 0 });
    const continued = events.findIndex((e) => e.type === 'batch:pause-changed' && !e.paused);
    expect(continued).toBeGreaterThan(paused);
    // A deck the runner started before the pause came (while a.pptx waited for the model, the
    // runner may start the next one) is not started again; the others start once it goes on.
    // (The first deck let go may start a moment before "continued" is said.)
    const beforePause = startOrder(events.slice(0, paused));
    expect(beforePause[0]).toBe('a.pptx');
    expect(startOrder(events.slice(paused))).toEqual(['b.pptx', 'c.pptx'].filter((name) => !beforePause.includes(name)));
    expect([...beforePause, ...startOrder(events.slice(paused))]).toEqual(['a.pptx', 'b.pptx', 'c.pptx']);
  }, 60_000);

  it('lets a deck that waited the pause out take longer than file_timeout_seconds, and its processor starts no step while paused', async () => {
    await makeDecks(['a.pptx']);
    await setModes({ 'a.pptx': ['pausable', '--delay-ms', '400', '--started-file', started] });
    const events: BatchEvent[] = [];
    const runner = await newRunner(events, { config: config({ file_timeout_seconds: 1 }) });
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    await runner.pause();
    // Twice the deck's time limit, paused.
    await sleep(2_000);
    const paused = events.findIndex((e) => e.type === 'batch:pause-changed' && e.paused);
    const stepsWhilePaused = events.slice(paused).filter((e) => e.type === 'item:progressed' && (e.progress.pictures_done ?? 0) > 0);
    // At most the step that was under way when the pause came.
    expect(stepsWhilePaused.length).toBeLessThanOrEqual(1);
    await runner.continue();
    const summary = await done;
    expect(summary.counts).toMatchObject({ complete: 1, failed: 0 });
    const item = (await ManifestStore.open(summary.manifest_path)).itemAt(0);
    // Not stopped for taking too long and run again: the pause did not count.
    expect(item).toMatchObject({ status: 'complete', attempts: 0, error_code: null });
  }, 60_000);
});

describe('changing the queue of a running batch', () => {
  it('starts the decks moved to the front first, the last one moved first, and keeps that order in the manifest', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx', 'e.pptx']);
    await setModes({});
    const events: BatchEvent[] = [];
    const runner = await newRunner(events);
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    const manifest = await manifestIn(outputDir);
    const index = await indexByName(manifest);
    await runner.moveToFront(index.get('e.pptx')!);
    await runner.moveToFront(index.get('d.pptx')!);
    expect(runner.queueFront).toEqual([index.get('d.pptx'), index.get('e.pptx')]);
    // Durable before it is reported: a fresh reader of the manifest sees the order.
    expect((await ManifestStore.open(manifest)).snapshot().metadata['queue_front']).toEqual([index.get('d.pptx'), index.get('e.pptx')]);
    expect(events.filter((e) => e.type === 'queue:reordered').map((e) => e.type === 'queue:reordered' && e.front)).toEqual([
      [index.get('e.pptx')],
      [index.get('d.pptx'), index.get('e.pptx')],
    ]);
    await fs.writeFile(gate, '');
    await done;
    expect(startOrder(events)).toEqual(['a.pptx', 'd.pptx', 'e.pptx', 'b.pptx', 'c.pptx']);
  }, 60_000);

  it('skips a deck for now and removes another; a resume takes up the skipped one only, and a removed one put back runs on the next resume', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx', 'd.pptx']);
    await setModes({});
    const events: BatchEvent[] = [];
    const runner = await newRunner(events);
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    const manifest = await manifestIn(outputDir);
    const index = await indexByName(manifest);
    await runner.skip(index.get('b.pptx')!);
    await runner.remove(index.get('c.pptx')!);
    // The one in work cannot be skipped, nor one already skipped.
    await expect(runner.skip(index.get('a.pptx')!)).rejects.toMatchObject({ code: 'EUSAGE', message: 'a.pptx cannot be skipped: it is being processed now.' });
    await expect(runner.remove(index.get('b.pptx')!)).rejects.toMatchObject({ code: 'EUSAGE', message: 'b.pptx cannot be removed: it is skipped.' });
    await fs.writeFile(gate, '');
    const first = await done;
    expect(first.counts).toMatchObject({ complete: 2, skipped: 2, pending: 0 });
    expect(startOrder(events)).toEqual(['a.pptx', 'd.pptx']);
    let items = (await ManifestStore.open(manifest)).allItems();
    expect(items[index.get('b.pptx')!]).toMatchObject({ status: 'skipped', error_code: 'ESKIPPED_BY_USER', skip_reason: QUEUE_MESSAGES.skip });
    expect(items[index.get('c.pptx')!]).toMatchObject({ status: 'skipped', error_code: 'EREMOVED_BY_USER', skip_reason: QUEUE_MESSAGES.remove });

    const resumeEvents: BatchEvent[] = [];
    await (await newRunner(resumeEvents, { resume: true })).run();
    expect(startOrder(resumeEvents)).toEqual(['b.pptx']);

    await editStoppedBatch(manifest, 'put-back', index.get('c.pptx')!);
    const lastEvents: BatchEvent[] = [];
    const last = await (await newRunner(lastEvents, { resume: true })).run();
    expect(startOrder(lastEvents)).toEqual(['c.pptx']);
    expect(last.counts).toMatchObject({ complete: 4, skipped: 0 });
    items = (await ManifestStore.open(manifest)).allItems();
    expect(items.map((item) => item.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    // Each change is in the deck's log, with its run.
    const log = await readDeckLog(outputDir, first.batch_id, index.get('c.pptx')!);
    expect(log.entries.map((entry) => (entry.kind === 'queue' ? entry.message : entry.kind))).toEqual([QUEUE_MESSAGES.remove, QUEUE_MESSAGES.putBack, 'started', 'ended']);
  }, 90_000);

  it('puts a deck removed while the batch runs back in the same run', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await setModes({});
    const events: BatchEvent[] = [];
    const runner = await newRunner(events);
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    const index = await indexByName(await manifestIn(outputDir));
    await runner.remove(index.get('b.pptx')!);
    await runner.putBack(index.get('b.pptx')!);
    await expect(runner.putBack(index.get('a.pptx')!)).rejects.toMatchObject({ code: 'EUSAGE', message: 'a.pptx was not skipped or removed at your request, so there is nothing to put back.' });
    await fs.writeFile(gate, '');
    expect((await done).counts).toMatchObject({ complete: 2, skipped: 0 });
  }, 60_000);
});

describe('changing the queue of a batch that is not running', () => {
  it('moves a deck to the front, and a resume starts it first', async () => {
    await makeDecks(['a.pptx', 'b.pptx', 'c.pptx']);
    await setModes({ 'a.pptx': 'succeed' });
    const at = '2026-11-28T10:00:00.000+00:00';
    const decks = ['a.pptx', 'b.pptx', 'c.pptx'].map((name) => newItem(path.join(inputDir, name), at));
    await fs.mkdir(outputDir, { recursive: true });
    const store = await ManifestStore.create({ outputDir, inputRoot: inputDir, metadata: { processor: 'scripted', dry_run: false, max_workers: 1 }, items: decks });
    await store.close();
    await editStoppedBatch(store.manifestPath, 'move-to-front', 2);
    await editStoppedBatch(store.manifestPath, 'move-to-front', 1);
    await expect(editStoppedBatch(store.manifestPath, 'put-back', 0)).rejects.toMatchObject({ code: 'EUSAGE' });
    const events: BatchEvent[] = [];
    await (await newRunner(events, { resume: true, batchId: store.batchId })).run();
    expect(startOrder(events)).toEqual(['b.pptx', 'c.pptx', 'a.pptx']);
  }, 60_000);

  it('is refused while the batch runs elsewhere: its runner holds the lock', async () => {
    await makeDecks(['a.pptx', 'b.pptx']);
    await setModes({});
    const runner = await newRunner([]);
    const done = runner.run();
    await waitUntil('a.pptx to start', () => existsSync(started), 30_000);
    const manifest = await manifestIn(outputDir);
    await expect(editStoppedBatch(manifest, 'skip', 1)).rejects.toMatchObject({ code: 'EBATCH_LOCKED' });
    await fs.writeFile(gate, '');
    await done;
  }, 60_000);
});
