import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../shared/batch-types';
import { ManifestStore } from '../batch/manifest-store';
import { listFiles, makeLectureDecks, Sandbox } from '../batch/testing/altgen-cli';
import type { FakeBehaviour, FakeModelServer } from '../describe/testing/fake-model-server';
import { FAKE_REFUSAL, fakeDescriptionFor, startFakeModelServer } from '../describe/testing/fake-model-server';
import { EXIT } from './exit-codes';

/**
 * `altgen batch` with the real built-in processor (`altgen process`, the real Ollama client)
 * against an Ollama-speaking loopback server that goes away, comes back and misbehaves. What
 * counts: the batch waits for the server and goes on by itself, and no deck ever gets text
 * that is not a description the model gave.
 */

/**
 * A TCP relay on a port of its own in front of the fake server: stopping it refuses new
 * connections and cuts open ones, as a model server that quits does; starting it again
 * listens on the same port, as the server coming back.
 */
interface Relay {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function startRelay(upstreamPort: number): Promise<Relay> {
  let server: net.Server | null = null;
  let port = 0;
  const sockets = new Set<net.Socket>();
  const start = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(upstreamPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server!.address() as net.AddressInfo).port;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    start,
    stop: async () => {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
}

let sandbox: Sandbox;
let fake: FakeModelServer;
let relay: Relay;
let lectures: string;
let out: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-wait-model-');
  fake = await startFakeModelServer();
  relay = await startRelay(fake.port);
  lectures = sandbox.path('lectures');
  out = sandbox.path('out');
});

afterEach(async () => {
  await relay.stop();
  await fake.stop();
  await sandbox.remove();
});

async function writeConfig(extra: { batch?: Record<string, number>; model?: Record<string, number> } = {}): Promise<string> {
  const section = (entries: Record<string, string | number | boolean>) => Object.entries(entries).map(([key, value]) => `  ${key}: ${value}`);
  return sandbox.writeConfig(
    [
      'batch_processing:',
      ...section({ progress_update_interval: 1, ...extra.batch }),
      'model:',
      ...section({ base_url: relay.url, max_retries: 0, ...extra.model }),
      'alt_text:',
      ...section({ read_text_in_images: false }),
      '',
    ].join('\n'),
  );
}

/** Every picture's alt text (`descr`, null when absent) by shape name, over all slides. */
async function altTexts(deck: string): Promise<Map<string, string | null>> {
  const zip = await JSZip.loadAsync(await fs.readFile(deck));
  const texts = new Map<string, string | null>();
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!/^ppt\/slides\/slide\d+\.xml$/.test(name)) continue;
    const xml = await entry.async('string');
    for (const match of xml.matchAll(/<p:cNvPr\b([^>]*)>/g)) {
      const attrs = match[1] ?? '';
      const shape = /\bname="([^"]*)"/.exec(attrs)?.[1] ?? '';
      const descr = /\bdescr="([^"]*)"/.exec(attrs)?.[1];
      if (/^(Picture|Image)/.test(shape) || descr !== undefined) texts.set(shape, descr === undefined ? null : decodeXml(descr));
    }
  }
  return texts;
}

function decodeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The answers the server gave to chat requests that it answered whole. */
function answersGiven(isWhole: (request: FakeModelServer['requests'][number]) => boolean): Set<string> {
  return new Set(
    fake
      .chatRequests()
      .filter(isWhole)
      .flatMap((request) => (request.images[0] ? [fakeDescriptionFor(request.images[0].sha256)] : [])),
  );
}

/** The picture `makeLectureDecks` leaves without alt text, and the one it describes itself. */
const NEEDS_TEXT = 'Picture 1';
const HUMAN_TEXT = 'Sagittal MRI of the knee';

async function manifestItems(stdout: string): Promise<QueueItem[]> {
  const manifest = /^Manifest: (.+)$/m.exec(stdout)?.[1];
  expect(manifest, stdout).toBeDefined();
  return [...(await ManifestStore.open(manifest!)).allItems()];
}

describe('the model server goes away mid-batch', () => {
  it('the batch waits, goes on by itself when the server is back on the same port, and writes only real answers', async () => {
    const decks = await makeLectureDecks(lectures, 4);
    fake.script(() => ({ delayMs: 200 }));
    const config = await writeConfig({ batch: { default_max_workers: 2 } });
    const cli = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    await cli.waitForOutput(/^Progress: 2\/4/m, 60_000);
    await relay.stop();
    await cli.waitForOutput(/^Model server unavailable; waiting for it to come back \(until \d\d:\d\d\)…$/m, 30_000);
    // Refused for a while, then back on the same port before the runner's next poll.
    await new Promise((r) => setTimeout(r, 1000));
    await relay.start();
    const result = await cli.done;
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/^Model server is back; resuming$/m);
    expect(result.stdout).toMatch(/Completed: 4 ✅/);
    const items = await manifestItems(result.stdout);
    expect(items.map((i) => [i.status, i.attempts])).toEqual(decks.map(() => ['complete', 0]));

    const given = answersGiven(() => true);
    for (const deck of decks) {
      const texts = await altTexts(path.join(out, path.relative(lectures, deck)));
      expect(given.has(texts.get(NEEDS_TEXT) ?? ''), `${deck}: ${texts.get(NEEDS_TEXT)}`).toBe(true);
      expect([...texts.values()]).toContain(HUMAN_TEXT);
    }
    expect((await listFiles(out)).filter((f) => f.includes('altgen-tmp'))).toEqual([]);
  }, 90_000);

  it('with model_wait_minutes tiny, the batch stops paused (exit 5) and a resume finishes it', async () => {
    const decks = await makeLectureDecks(lectures, 2);
    await relay.stop();
    const config = await writeConfig({ batch: { model_wait_minutes: 0.05, default_max_workers: 2 } });
    const started = Date.now();
    const first = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    expect(first.code, first.stdout + first.stderr).toBe(EXIT.paused);
    expect(Date.now() - started).toBeGreaterThan(3000);
    expect(first.stdout).toMatch(/^Model server unavailable; waiting for it to come back \(until \d\d:\d\d\)…$/m);
    expect(first.stdout).not.toMatch(/Model server is back/);
    expect(first.stdout).toMatch(/^Stopped: The model server did not come back within 0\.05 minutes: [^`]*\. Start the model server \(for example with ollama serve\), then resume the batch\.$/m);
    expect(first.stdout).toMatch(/Pending: +2/);
    expect(first.stdout).toMatch(/Failed: +0/);
    const resume = /^Resume command: (.+)$/m.exec(first.stdout)?.[1];
    expect(resume).toMatch(/ batch --resume --batch-id \S+ --output-dir /);

    await relay.start();
    const batchId = /--batch-id (\S+)/.exec(resume!)![1]!;
    const resumed = await sandbox.run(['batch', '--resume', '--batch-id', batchId, '--output-dir', out, '--config', config]);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(resumed.stdout).toMatch(/Completed: 2 ✅/);
    const given = answersGiven(() => true);
    for (const deck of decks) expect(given.has((await altTexts(path.join(out, path.relative(lectures, deck)))).get(NEEDS_TEXT) ?? '')).toBe(true);
  }, 90_000);
});

describe('a model server that misbehaves', () => {
  it('slow answers, 500s, dropped connections, garbage and refusals: only real answers are written, the rest need review', async () => {
    const decks = await makeLectureDecks(lectures, 7);
    // By deck (its slide title is in the prompt), the same on every retry.
    const behaviours: Record<number, FakeBehaviour> = {
      2: { delayMs: 1000 },
      3: { status: 500 },
      4: { drop: 'mid-response' },
      5: { garbage: true },
      6: { refusal: true },
    };
    const firstTries = new Set<number>();
    fake.script((request) => {
      const lecture = Number(/Lecture (\d+)\b/.exec(request.prompt ?? '')?.[1]);
      // Deck 7: its first request is dropped before any answer, the retry is answered.
      if (lecture === 7 && !firstTries.has(7)) {
        firstTries.add(7);
        return { drop: 'before-response' };
      }
      return behaviours[lecture];
    });
    const config = await writeConfig({ batch: { default_max_workers: 2 }, model: { max_retries: 1, timeout_seconds: 20 } });
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 120_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/Completed: 7 ✅/);
    expect(result.stdout).not.toMatch(/Model server unavailable/);

    const answered = answersGiven((request) => {
      const lecture = Number(/Lecture (\d+)\b/.exec(request.prompt ?? '')?.[1]);
      return ![3, 4, 5, 6].includes(lecture);
    });
    const items = await manifestItems(result.stdout);
    for (const [i, deck] of decks.entries()) {
      const lecture = i + 1;
      const texts = await altTexts(path.join(out, path.relative(lectures, deck)));
      const item = items.find((it) => it.path === deck)!;
      expect([...texts.values()]).toContain(HUMAN_TEXT);
      if ([3, 4, 5, 6].includes(lecture)) {
        // Nothing written: no error text, no refusal, no filler; the picture needs review.
        expect(texts.get(NEEDS_TEXT), `lecture ${lecture}`).toBeNull();
        expect(item.result).toMatchObject({ needs_review: 1, described: 0 });
      } else {
        expect(answered.has(texts.get(NEEDS_TEXT) ?? ''), `lecture ${lecture}: ${texts.get(NEEDS_TEXT)}`).toBe(true);
        expect(item.result).toMatchObject({ needs_review: 0, described: 1 });
      }
      for (const text of texts.values()) expect(text ?? '').not.toMatch(/error|HTTP|not json|server|sorry|can't help/i);
    }
    expect([...answered].some((text) => text.includes(FAKE_REFUSAL))).toBe(false);
  }, 120_000);
});
