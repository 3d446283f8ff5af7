import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDeck } from '../fixtures/deck-builder';
import { listFiles, processesMentioning, Sandbox, waitUntil } from '../batch/testing/altgen-cli';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { fakeDescriptionFor, startFakeModelServer } from '../describe/testing/fake-model-server';
import { EXIT } from './exit-codes';

/**
 * `altgen batch` with the real built-in processors, kept alive across decks, asking the
 * runner's one model scheduler (batch/model-broker.ts), against the loopback stand-in server
 * limited to a few requests at once. What counts: one call per picture however many running
 * decks show it, and a batch killed with SIGKILL while requests are out leaves no processor
 * behind and resumes with every picture described exactly once.
 */

let sandbox: Sandbox;
let fake: FakeModelServer;
let lectures: string;
let out: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-scheduling-');
  fake = await startFakeModelServer({ capacity: { slots: 2, latencyMs: 400 } });
  lectures = sandbox.path('lectures');
  out = sandbox.path('out');
});

afterEach(async () => {
  await fake.stop();
  await sandbox.remove();
});

function writeConfig(workers: number): Promise<string> {
  return sandbox.writeConfig(
    [
      'batch_processing:',
      `  default_max_workers: ${workers}`,
      '  progress_update_interval: 1',
      'model:',
      `  base_url: ${fake.url}`,
      '  max_retries: 0',
      'alt_text:',
      '  read_text_in_images: false',
      '',
    ].join('\n'),
  );
}

/** `decks` decks of `pictures` pictures each; `seed(deck, picture)` picks each image. */
async function makeDecks(decks: number, pictures: number, seed: (deck: number, picture: number) => number): Promise<string[]> {
  await fs.mkdir(lectures, { recursive: true });
  const files: string[] = [];
  for (let d = 1; d <= decks; d += 1) {
    const file = path.join(lectures, `lecture ${String(d).padStart(2, '0')}.pptx`);
    await buildDeck(file, {
      title: `Lecture ${d}`,
      slides: Array.from({ length: pictures }, (_, p) => ({ title: `Lecture ${d} plate ${p + 1}`, pictures: [{ name: `Picture ${p + 1}`, imageSeed: seed(d, p + 1) }] })),
    });
    files.push(file);
  }
  return files;
}

/** Every picture's alt text over all slides of a deck. */
async function altTexts(deck: string): Promise<string[]> {
  const zip = await JSZip.loadAsync(await fs.readFile(deck));
  const texts: string[] = [];
  for (const [name, entry] of Object.entries(zip.files)) {
    if (!/^ppt\/slides\/slide\d+\.xml$/.test(name)) continue;
    for (const match of (await entry.async('string')).matchAll(/<p:cNvPr\b[^>]*\bname="Picture[^"]*"[^>]*>/g)) texts.push(/\bdescr="([^"]*)"/.exec(match[0])?.[1] ?? '');
  }
  return texts;
}

/** How many picture requests the server received for each image (by sha256). */
function callsPerImage(requests = fake.chatRequests()): Map<string, number> {
  const calls = new Map<string, number>();
  for (const request of requests) for (const image of request.images) calls.set(image.sha256, (calls.get(image.sha256) ?? 0) + 1);
  return calls;
}

describe('one model scheduler for the whole batch', () => {
  it('four decks showing the same pictures at the same time cost one call per picture', async () => {
    const decks = await makeDecks(4, 3, (_deck, picture) => 100 + picture);
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', await writeConfig(4)], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/Completed: 4 ✅/);
    const calls = callsPerImage();
    expect(calls.size).toBe(3);
    expect([...calls.values()]).toEqual([1, 1, 1]);
    const answers = new Set([...calls.keys()].map(fakeDescriptionFor));
    for (const deck of decks) for (const text of await altTexts(path.join(out, path.basename(deck)))) expect(answers.has(text), text).toBe(true);
    // The stand-in's two slots were never exceeded: the scheduler kept its limit.
    expect(fake.slotStats().peakInService).toBeLessThanOrEqual(2);
  }, 300_000);

  it('with one worker and a 16-slot server, decks start while the server has room until all 16 slots are busy', async () => {
    // Slow answers and many slots: one deck's six pictures leave most of the server idle, and so
    // would two; the scheduler finds the 16 slots and the batch gives it pictures for them.
    fake.capacity({ slots: 16, latencyMs: 1_500 });
    await makeDecks(10, 6, (deck, picture) => 200 + deck * 10 + picture);
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', await writeConfig(1)], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout).toMatch(/Completed: 10 ✅/);
    // Counted at the server: every one of its slots had a request at the same time.
    expect(fake.slotStats().peakInService).toBe(16);
    const calls = callsPerImage();
    expect(calls.size).toBe(60);
    expect([...calls.values()].every((count) => count === 1)).toBe(true);
  }, 300_000);

  it.skipIf(process.platform === 'win32')('killed with SIGKILL while requests are out: no processor outlives it, and a resume describes every picture exactly once', async () => {
    const decks = await makeDecks(6, 3, (deck, picture) => deck * 10 + picture);
    const config = await writeConfig(3);
    const cli = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    await waitUntil('requests to be out', () => fake.chatRequests().filter((request) => request.images.length > 0).length >= 5, 120_000);
    cli.child.kill('SIGKILL');
    await cli.done;
    const beforeKill = fake.chatRequests().length;
    // The long-lived processors see their channel to the runner close and exit.
    await waitUntil('no processor left running', () => processesMentioning(sandbox.root).length === 0, 20_000);

    const resumed = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config], {}, 240_000);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(resumed.stdout).toMatch(/Completed: 6 ✅/);
    // Asked again only what the kill cut off, each once; nothing twice in one run.
    const again = callsPerImage(fake.chatRequests().slice(beforeKill));
    for (const count of again.values()) expect(count).toBe(1);
    const all = callsPerImage();
    expect(all.size).toBe(18);
    for (const count of all.values()) expect(count).toBeLessThanOrEqual(2);
    // Every picture has the answer to its own image, in the one copy of its deck.
    const written: string[] = [];
    for (const deck of decks) written.push(...(await altTexts(path.join(out, path.basename(deck)))));
    expect(written.sort()).toEqual([...all.keys()].map(fakeDescriptionFor).sort());
    expect((await listFiles(out)).filter((file) => file.endsWith('.pptx')).sort()).toEqual(decks.map((deck) => path.basename(deck)).sort());
  }, 300_000);
});
