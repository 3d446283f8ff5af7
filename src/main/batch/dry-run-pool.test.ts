import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { buildDeck, buildLegacyPpt, deckEntries, writeTruncatedCopy, writeZip } from '../fixtures/deck-builder';
import { createDeckInspector } from './dry-run-pool';
import { inspectDeck } from './inspect-deck';

/**
 * The dry run in threads of bounded memory: real decks, real worker threads (from source, as
 * tsx runs them), a deck built to exhaust a thread's heap.
 */

let dir: string;
let good: string;
let legacy: string;
let truncated: string;
/** One slide with 60,000 pictures (30 MB of XML): reading it takes far more than 64 MB of heap. */
let heavy: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-dry-run-pool-'));
  good = path.join(dir, 'good.pptx');
  await buildDeck(good, { slides: [{ title: 'Heart', pictures: [{ imageSize: 64 }, { descr: 'Anterior view of the heart', imageSize: 64 }] }] });
  legacy = path.join(dir, 'old.ppt');
  await buildLegacyPpt(legacy);
  truncated = path.join(dir, 'cut.pptx');
  await writeTruncatedCopy(good, truncated, 0.5);
  heavy = path.join(dir, 'heavy.pptx');
  const entries = deckEntries({ slides: [{ pictures: [{ imageSize: 64 }] }] });
  const slide = String(entries.get('ppt/slides/slide1.xml'));
  const picture = /<p:pic>.*<\/p:pic>/.exec(slide)?.[0] ?? '';
  entries.set('ppt/slides/slide1.xml', slide.replace(picture, picture.repeat(60_000)));
  await writeZip(heavy, entries);
}, 60_000);

afterAll(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('createDeckInspector', () => {
  it('inspects decks in its threads exactly as inspectDeck does, several at once', async () => {
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 2 });
    try {
      const files = [good, legacy, truncated, path.join(dir, 'gone.pptx'), good];
      const outcomes = await Promise.all(files.map((file) => inspector.inspect(file)));
      // The threads also say what the deck they read looked like on disk (its size and time).
      const { size, mtimeMs } = await fs.stat(good);
      const read = { size, mtime_ms: Math.trunc(mtimeMs) };
      const direct = await Promise.all(files.map((file) => inspectDeck(file, DEFAULT_CONFIG)));
      expect(outcomes).toEqual(direct.map((outcome) => (outcome.ok ? { ...outcome, fingerprint: read } : outcome)));
      expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.code))).toEqual(['ok', 'ELEGACY_FORMAT', 'ECORRUPT', 'ENOT_FOUND', 'ok']);
    } finally {
      await inspector.close();
    }
  }, 60_000);

  it('reads the decks queued behind one that takes its thread down with another thread, in order', async () => {
    // One thread holds two decks at a time (the one it reads and the next): when the first
    // exhausts its heap, the one queued behind it must not be failed with it.
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1, heapMb: 64 });
    try {
      const outcomes = await Promise.all([heavy, good, legacy, good].map((file) => inspector.inspect(file)));
      expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.code))).toEqual(['ECRASHED', 'ok', 'ELEGACY_FORMAT', 'ok']);
    } finally {
      await inspector.close();
    }
  }, 120_000);

  it('fails only the deck that takes its thread down when it is read in the middle of a request', async () => {
    // One thread: the four decks go to it in one request (dry-run-pool.ts, BATCH_DECKS). The
    // deck before the heavy one was read but its answer was lost with the thread; the crash is
    // the heavy deck's alone, and the others are read again by the next thread.
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1, heapMb: 64 });
    try {
      const outcomes = await Promise.all([good, heavy, legacy, good].map((file) => inspector.inspect(file)));
      expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.code))).toEqual(['ok', 'ECRASHED', 'ELEGACY_FORMAT', 'ok']);
    } finally {
      await inspector.close();
    }
  }, 120_000);

  it('times out only the deck that takes too long in the middle of a request, each deck on its own time', async () => {
    // Reading the heavy deck takes many seconds; a small deck, milliseconds. The decks of one
    // request are timed one by one, from when each began, not from when the request was sent.
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1, timeoutMs: 2_000 });
    try {
      const outcomes = await Promise.all([good, good, heavy, good].map((file) => inspector.inspect(file)));
      expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.code))).toEqual(['ok', 'ok', 'ETIMEOUT', 'ok']);
    } finally {
      await inspector.close();
    }
  }, 120_000);

  it('fails a deck that exhausts its thread’s heap with the reason, and goes on with the next decks', async () => {
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1, heapMb: 64 });
    try {
      const before = await inspector.inspect(good);
      expect(before.ok).toBe(true);
      expect(await inspector.inspect(heavy)).toEqual({
        ok: false,
        status: 'failed',
        code: 'ECRASHED',
        message: 'Reading it needed more than 64 MB of memory and was stopped: the deck is too large or too complex to read safely.',
      });
      // A new thread takes the next decks.
      expect(await Promise.all([inspector.inspect(good), inspector.inspect(legacy)])).toEqual([before, await inspectDeck(legacy, DEFAULT_CONFIG)]);
    } finally {
      await inspector.close();
    }
    // The default heap reads it: it was the bound, not the deck, that stopped it.
    const roomy = createDeckInspector(DEFAULT_CONFIG, { parallel: 1 });
    try {
      expect(await roomy.inspect(heavy)).toMatchObject({ ok: true, inspection: { pictures: 60_000 } });
    } finally {
      await roomy.close();
    }
  }, 120_000);

  it('stops a deck that takes longer than the time allowed, and goes on', async () => {
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1, timeoutMs: 1 });
    try {
      expect(await inspector.inspect(heavy)).toEqual({ ok: false, status: 'failed', code: 'ETIMEOUT', message: 'Reading it took longer than 0.001 s (file_timeout_seconds); stopped.' });
    } finally {
      await inspector.close();
    }
  }, 60_000);

  it('takes the time allowed from file_timeout_seconds', async () => {
    const config = { ...DEFAULT_CONFIG, batch_processing: { ...DEFAULT_CONFIG.batch_processing, file_timeout_seconds: 0.001 } };
    const inspector = createDeckInspector(config, { parallel: 1 });
    try {
      expect(await inspector.inspect(heavy)).toMatchObject({ ok: false, code: 'ETIMEOUT' });
    } finally {
      await inspector.close();
    }
  }, 60_000);

  it('rejects the decks still waiting when it is closed, and any after', async () => {
    const inspector = createDeckInspector(DEFAULT_CONFIG, { parallel: 1 });
    const waiting = [inspector.inspect(heavy), inspector.inspect(good)].map((promise) => promise.catch((error: Error) => error.message));
    await inspector.close();
    expect(await Promise.all(waiting)).toEqual([
      'The dry run was closed before the deck was read.',
      'The dry run was closed before the deck was read.',
    ]);
    await expect(inspector.inspect(good)).rejects.toThrow('The dry run has been closed.');
  });
});
