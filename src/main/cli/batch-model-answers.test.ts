import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManifestDocument, QueueItem } from '../../shared/batch-types';
import { hasModelFailures } from '../../shared/batch-types';
import { ManifestStore } from '../batch/manifest-store';
import { makeLectureDecks, Sandbox } from '../batch/testing/altgen-cli';
import type { FakeBehaviour, FakeModelServer, RecordedRequest } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { INITIAL_LIMIT } from '../describe/concurrency-limit';
import { EXIT } from './exit-codes';

/**
 * `altgen batch` with the real built-in processor and the real Ollama client against a model
 * server that answers, but uselessly (refusals, not JSON, HTTP 500), or not at all (a wedged
 * server that still answers its version and model list). What counts: the batch says what
 * happened to the pictures, stops for a broken model with its own exit code and the model's
 * words, never asks twice about a picture that failed, waits for a wedged server instead of
 * failing decks, and a resume after the fix asks only about what failed.
 */

let sandbox: Sandbox;
let fake: FakeModelServer;
let lectures: string;
let out: string;

beforeEach(async () => {
  sandbox = await Sandbox.create('altgen-model-answers-');
  fake = await startFakeModelServer();
  lectures = sandbox.path('lectures');
  out = sandbox.path('out');
});

afterEach(async () => {
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
      ...section({ base_url: fake.url, max_retries: 0, ...extra.model }),
      'alt_text:',
      ...section({ read_text_in_images: false }),
      '',
    ].join('\n'),
  );
}

/** Chat requests that carry a picture (not the minimal requests that check the server answers). */
const pictureRequests = (): RecordedRequest[] => fake.chatRequests().filter((request) => request.images.length > 0);

/** The lecture a picture request is about (its slide title is in the prompt). */
const lectureOf = (request: RecordedRequest): number => Number(/Lecture (\d+)\b/.exec(request.prompt ?? '')?.[1]);

async function manifestOf(stdout: string): Promise<ManifestDocument> {
  const manifest = /^Manifest: (.+)$/m.exec(stdout)?.[1];
  expect(manifest, stdout).toBeDefined();
  return (await ManifestStore.open(manifest!)).snapshot();
}

const count = (items: readonly QueueItem[], status: QueueItem['status']) => items.filter((item) => item.status === status).length;

describe('a model that answers, but nothing it answers can be used', () => {
  it('refusing every picture: the batch stops (exit 6) naming the refusal, counts the pictures, and a resume after the fix asks only about what failed', async () => {
    await makeLectureDecks(lectures, 12);
    // The model describes the first two pictures, then refuses every one.
    fake.script((request) => (request.images.length > 0 && pictureRequests().indexOf(request) >= 2 ? { refusal: true } : undefined));
    const config = await writeConfig();
    const first = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(first.code, first.stdout + first.stderr).toBe(EXIT.modelUnusable);
    expect(first.stdout).toMatch(
      /^Stopped: The model "llava" answered 8 pictures in a row and none of its answers could be used \(the last: the model refused to describe the picture: "I'm sorry, but I can't help/m,
    );
    expect(first.stdout).toMatch(/`ollama run llava`.*then resume\.$/m);
    expect(first.stdout).not.toMatch(/Success:/);

    // Eight refused: the eighth's deck was stopped at once (back in the queue) unless it had just finished.
    const document = await manifestOf(first.stdout);
    const items = document.queue.items;
    const refused = items.filter(hasModelFailures).length;
    expect(refused === 7 || refused === 8, `${refused} decks with refused pictures`).toBe(true);
    expect(pictureRequests()).toHaveLength(10);
    expect(count(items, 'complete')).toBe(2 + refused);
    expect(count(items, 'pending')).toBe(10 - refused);
    expect(count(items, 'failed')).toBe(0);
    expect(document.metadata).toMatchObject({ stop_reason: 'model-unusable', pictures: { described: 2, needs_review: refused, model_failed: refused, drafted: 0 } });
    expect(first.stdout).toMatch(new RegExp(`^  Described: +2\\n  Need review: ${refused} ⚠️ \\(the model could not describe ${refused}; nothing was written for them\\)\\n  Drafted: +0$`, 'm'));
    expect(first.stdout).toMatch(/^Resume command: .* batch --resume --batch-id /m);

    const status = await sandbox.run(['status', '--output-dir', out]);
    expect(status.stdout).toMatch(/unfinished \(model-unusable\) +12 files/);
    expect(status.stdout).toContain(`pictures: 2 described, ${refused} need review (the model could not describe ${refused}), 0 drafted`);
    const json = JSON.parse((await sandbox.run(['status', '--output-dir', out, '--json'])).stdout) as { pictures: unknown }[];
    expect(json[0]?.pictures).toEqual({ described: 2, needs_review: refused, model_failed: refused, drafted: 0 });

    // The model is fixed: the resume asks about the refused pictures and the rest, never the described ones.
    fake.script(() => undefined);
    const described = pictureRequests().slice(0, 2).map(lectureOf);
    const asked = pictureRequests().length;
    const resumed = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config], {}, 240_000);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    const lectures12 = Array.from({ length: 12 }, (_, i) => i + 1);
    expect(pictureRequests().slice(asked).map(lectureOf).sort((a, b) => a - b)).toEqual(lectures12.filter((n) => !described.includes(n)));
    expect(resumed.stdout).toMatch(/Completed: 12 ✅/);
    expect(resumed.stdout).toMatch(/Success: +100\.0%/);
    expect(resumed.stdout).toMatch(/^  Described: +12\n  Need review: 0\n/m);
    const after = (await manifestOf(resumed.stdout)).queue.items;
    expect(after.map((item) => [item.status, item.result?.described, item.result?.model_failed])).toEqual(items.map(() => ['complete', 1, 0]));
  }, 600_000);

  it.each<[string, FakeBehaviour, RegExp]>([
    ['HTTP 500 (a model that fails to load)', { status: 500 }, /the last: The model server at \S+ failed with HTTP 500 \(1 attempt\): fake server error 500\)/],
    ['an answer that is not JSON', { garbage: true }, /the last: The model server at \S+ answered with something that is not JSON: "this is not json/],
  ])('%s for every picture: the batch stops with exit 6 and the server’s own words, and writes nothing', async (_name, behaviour, words) => {
    await makeLectureDecks(lectures, 9);
    fake.script(() => behaviour);
    const config = await writeConfig();
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.modelUnusable);
    expect(result.stdout).toMatch(/^Stopped: The model "llava" answered 8 pictures in a row and none of its answers could be used/m);
    expect(result.stdout).toMatch(words);
    expect(result.stdout).toMatch(/^  Described: +0$/m);
    // Eight, plus at most one from each other deck already asking when the eighth answer came
    // (the in-flight limit starts at 4). Each processor holds back its own requests once answers
    // come back unusable; no gate spans processors yet, so a deck started just before can send
    // one more (seen in CI: 9).
    expect(pictureRequests().length).toBeGreaterThanOrEqual(8);
    expect(pictureRequests().length).toBeLessThanOrEqual(8 + INITIAL_LIMIT - 1);
    const items = (await manifestOf(result.stdout)).queue.items;
    expect(count(items, 'pending')).toBeGreaterThanOrEqual(1);
    expect(count(items, 'failed')).toBe(0);
    for (const item of items.filter((i) => i.status === 'complete')) expect(item.result).toMatchObject({ described: 0, needs_review: 1, model_failed: 1 });
  }, 300_000);

  it('a big deck the model refuses: its processor stops after eight pictures, the deck stays pending and nothing is written', async () => {
    const deck = path.join(lectures, 'atlas.pptx');
    await fs.mkdir(lectures, { recursive: true });
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    await buildDeck(deck, { title: 'Atlas', slides: seeds.map((seed) => ({ title: `Plate ${seed}`, pictures: [{ name: `Picture ${seed}`, imageSeed: seed }] })) });
    fake.script(() => ({ refusal: true }));
    const config = await writeConfig();
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.modelUnusable);
    expect(result.stdout).toMatch(/The model "llava(:latest)?" answered 8 pictures in a row/);
    expect(pictureRequests()).toHaveLength(8);
    expect((await manifestOf(result.stdout)).queue.items).toMatchObject([{ status: 'pending', attempts: 0 }]);
    await expect(fs.access(path.join(out, 'atlas.pptx'))).rejects.toThrow();
  }, 300_000);
});

describe('a picture the model failed on is not asked again in the batch', () => {
  /** Four decks showing four pictures between them, nine times: some on two slides of a deck, some in several decks. */
  async function sharedPictureDecks(): Promise<void> {
    await fs.mkdir(lectures, { recursive: true });
    const decks: Record<string, number[]> = { a: [1, 2, 1], b: [2, 3], c: [3, 4, 1], d: [4] };
    for (const [name, seeds] of Object.entries(decks)) {
      await buildDeck(path.join(lectures, `${name}.pptx`), {
        title: `Deck ${name}`,
        slides: seeds.map((seed, i) => ({ title: `Lecture ${seed} slide ${i + 1}`, pictures: [{ name: `Picture ${i + 1}`, imageSeed: seed }] })),
      });
    }
  }
  const UNIQUE = 4;
  const SHOWN = 9;

  it('refusals: each picture is asked once; the summary says nine need review; the retry command asks again once each after the fix', async () => {
    await sharedPictureDecks();
    fake.script(() => ({ refusal: true }));
    const config = await writeConfig();
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(pictureRequests()).toHaveLength(UNIQUE);
    expect(result.stdout).toMatch(/Completed: 4 ✅/);
    expect(result.stdout).not.toMatch(/Success:/);
    expect(result.stdout).toMatch(new RegExp(`^  Need review: ${SHOWN} ⚠️ \\(the model could not describe ${SHOWN};`, 'm'));
    const retry = /^Ask the model again: (.+)$/m.exec(result.stdout)?.[1];
    expect(retry).toMatch(/ batch --resume --retry-needs-review --batch-id \S+ --output-dir /);

    // Fixed: the finished batch is found without its id, and each picture is asked once more.
    fake.script(() => undefined);
    const again = await sandbox.run(['batch', '--resume', '--retry-needs-review', '--output-dir', out, '--config', config], {}, 240_000);
    expect(again.code, again.stdout + again.stderr).toBe(EXIT.ok);
    expect(pictureRequests()).toHaveLength(2 * UNIQUE);
    expect(again.stdout).toMatch(new RegExp(`^  Described: +${SHOWN}\\n  Need review: 0\\n`, 'm'));
  }, 600_000);

  it('HTTP 500: at most 1 + max_retries requests per picture over the whole batch', async () => {
    await sharedPictureDecks();
    fake.script(() => ({ status: 500 }));
    const config = await writeConfig({ model: { max_retries: 1 } });
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(pictureRequests().length).toBeGreaterThanOrEqual(UNIQUE);
    expect(pictureRequests().length).toBeLessThanOrEqual(UNIQUE * (1 + 1));
    expect(result.stdout).toMatch(new RegExp(`^  Need review: ${SHOWN} ⚠️`, 'm'));
    // A later batch asks again: the memory lasts for one run.
    const firstBatch = pictureRequests().length;
    await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', sandbox.path('out-2'), '--config', config], {}, 240_000);
    expect(pictureRequests().length - firstBatch).toBeGreaterThanOrEqual(UNIQUE);
  }, 600_000);
});

describe('a wedged model server: it accepts requests and never answers, its version and model list still do', () => {
  const WAITING = /^Model server unavailable; waiting for it to come back \(until \d\d:\d\d\)…$/gm;

  it('no deck fails: the batch waits, says so once, and finishes by itself when the server answers again', async () => {
    await makeLectureDecks(lectures, 3);
    fake.script(() => ({ hang: true }));
    const config = await writeConfig({ model: { timeout_seconds: 1, max_retries: 1 } });
    const cli = sandbox.start(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config]);
    await cli.waitForOutput(WAITING, 120_000);
    // Polls go by while it stays wedged (its model list answers all along): still waiting.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    fake.script(() => undefined);
    const result = await cli.done;
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.ok);
    expect(result.stdout.match(WAITING)).toHaveLength(1);
    expect(result.stdout.match(/^Model server is back; resuming$/gm)).toHaveLength(1);
    expect(result.stdout).toMatch(/Completed: 3 ✅/);
    const items = (await manifestOf(result.stdout)).queue.items;
    expect(items.map((item) => [item.status, item.attempts, item.result?.described])).toEqual([
      ['complete', 0, 1],
      ['complete', 0, 1],
      ['complete', 0, 1],
    ]);
  }, 300_000);

  it('with model_wait_minutes tiny it stops paused (exit 5), nothing failed, and a resume finishes', async () => {
    await makeLectureDecks(lectures, 2);
    fake.script(() => ({ hang: true }));
    const config = await writeConfig({ batch: { model_wait_minutes: 0.05 }, model: { timeout_seconds: 1 } });
    const first = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(first.code, first.stdout + first.stderr).toBe(EXIT.paused);
    expect(first.stdout).toMatch(/accepts connections but answers nothing/);
    expect(first.stdout).toMatch(/Pending: +2/);
    expect(first.stdout).toMatch(/Failed: +0/);
    fake.script(() => undefined);
    const resumed = await sandbox.run(['batch', '--resume', '--output-dir', out, '--config', config], {}, 240_000);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(EXIT.ok);
    expect(resumed.stdout).toMatch(/Completed: 2 ✅/);
  }, 300_000);

  it('a deck that runs out of time while the model is silent does not fail: the batch waits for the server', async () => {
    await makeLectureDecks(lectures, 1);
    fake.script(() => ({ hang: true }));
    // The deck's time runs out before the picture's: the runner asks the server itself.
    const config = await writeConfig({ batch: { model_wait_minutes: 0.05, file_timeout_seconds: 2 }, model: { timeout_seconds: 4 } });
    const result = await sandbox.run(['batch', '--input-dir', lectures, '--output-dir', out, '--config', config], {}, 240_000);
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.paused);
    expect(result.stdout).toMatch(/has stopped answering: a deck ran out of time, and a minimal request then went unanswered \(no answer within 4 s\)/);
    expect((await manifestOf(result.stdout)).queue.items).toMatchObject([{ status: 'pending', attempts: 0 }]);
  }, 300_000);
});
