import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import { DescriptionCache } from '../describe/description-cache';
import { ModelFailures } from '../describe/model-failures';
import { createProvider } from '../describe/create-provider';
import { ModelUnusableError } from '../describe/model-provider';
import type { FakeBehaviour, FakeModelServer } from '../describe/testing/fake-model-server';
import { FAKE_REFUSAL, startFakeModelServer } from '../describe/testing/fake-model-server';
import type { SlideSpec } from '../fixtures/deck-builder';
import { buildDeck } from '../fixtures/deck-builder';
import { processDeck } from './process-deck';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * The processor and a model that answers uselessly: a picture the model failed on is not asked
 * again (in the deck, nor in the batch's other decks through the shared memory), every fresh
 * answer is reported as it comes, and answer after answer unusable stops the deck.
 */

let server: FakeModelServer;
let dir: string;

beforeAll(async () => {
  server = await startFakeModelServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-model-answers-'));
  server.script(() => undefined);
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** One slide per seed, each with one picture of that seed and no alt text. */
function slides(seeds: readonly number[]): SlideSpec[] {
  return seeds.map((seed, i) => ({ title: `Slide ${i + 1}`, pictures: [{ name: `Picture ${i + 1}`, imageSeed: seed, imageSize: 64 }] }));
}

async function run(name: string, seeds: readonly number[], options: { failures?: ModelFailures; events?: ProcessorProgressEvent[] } = {}) {
  const input = path.join(dir, `${name}.pptx`);
  await buildDeck(input, { title: name, slides: slides(seeds) });
  const output = path.join(dir, 'out', `${name}.pptx`);
  await fs.mkdir(path.dirname(output), { recursive: true });
  const config = processorTestConfig(server.url, { read_text_in_images: false });
  const run = processDeck({
    input,
    output,
    config,
    provider: createProvider(config.model, {}),
    cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
    ...(options.failures ? { modelFailures: options.failures } : {}),
    onProgress: (event) => options.events?.push(event),
  });
  return { output, run };
}

const pictureRequests = () => server.chatRequests().filter((r) => r.images.length > 0);

describe('processing a deck with a model that answers uselessly', () => {
  it('asks about a refused picture once, however many slides show it, and says why each needs review', async () => {
    server.script((): FakeBehaviour => ({ refusal: true }));
    const { run: processing } = await run('logo', [1, 1, 1, 2]);
    const { result, report } = await processing;
    expect(pictureRequests()).toHaveLength(2);
    expect(result).toMatchObject({ pictures: 4, described: 0, needs_review: 4, model_failed: 4, model_calls: 2 });
    const reasons = report.pictures.map((p) => p.reason);
    expect(reasons.filter((r) => /^The model's answer could not be used \(the model refused to describe the picture: "I'm sorry/.test(r))).toHaveLength(2);
    expect(reasons.filter((r) => /earlier in this batch .*it was not asked again, and nothing was written/.test(r))).toHaveLength(2);
    expect(report.pictures.every((p) => p.after === null && p.needs_review)).toBe(true);
  });

  it('shares what failed with the batch’s next deck through the run’s folder, and a new run asks again', async () => {
    server.script(() => ({ status: 500 }));
    const shared = path.join(dir, 'failures');
    await fs.mkdir(shared);
    await (await run('first', [1, 2])).run;
    expect(pictureRequests()).toHaveLength(2);
    await (await run('second', [2, 3], { failures: new ModelFailures(shared) })).run;
    // Picture 2 failed in "first", which had no shared folder: "second" asked about it, and about 3.
    expect(pictureRequests()).toHaveLength(4);
    const third = await (await run('third', [2, 3, 4], { failures: new ModelFailures(shared) })).run;
    expect(pictureRequests()).toHaveLength(5);
    expect(third.result).toMatchObject({ needs_review: 3, model_failed: 3, model_calls: 1 });
    expect(third.report.pictures.map((p) => p.reason)).toEqual([
      expect.stringMatching(/earlier in this batch \(The model server at .* failed with HTTP 500 \(1 attempt\): fake server error 500\)/),
      expect.stringMatching(/earlier in this batch/),
      expect.stringMatching(/^The model's answer could not be used \(The model server at .* failed with HTTP 500/),
    ]);
    // Another run of the batch has another folder: it asks again.
    await (await run('again', [2], { failures: new ModelFailures(path.join(dir, 'next-run')) })).run;
    expect(pictureRequests()).toHaveLength(6);
  });

  it('reports every fresh answer as it comes, usable or not, with what the model answered', async () => {
    server.script((request) => (request.images[0] && pictureRequests().indexOf(request) === 1 ? { garbage: true } : undefined));
    const events: ProcessorProgressEvent[] = [];
    await (await run('answers', [1, 2, 1], { events })).run;
    const answers = events.filter((e) => e.model_answer).map((e) => [e.model_answer, e.model_problem]);
    // Picture 1 comes from the cache the second time: not a fresh answer. Pictures 1 and 2 are
    // asked at the same time, so their answers may come in either order.
    expect(answers).toHaveLength(2);
    expect(answers).toEqual(
      expect.arrayContaining([
        ['usable', undefined],
        ['unusable', expect.stringMatching(/answered with something that is not JSON: "this is not json/)],
      ]),
    );
  });

  it('stops the deck, writing nothing, after eight unusable answers in a row, naming what the model answered', async () => {
    server.script(() => ({ refusal: true }));
    const { output, run: processing } = await run('refused', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const failure = await processing.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelUnusableError);
    expect((failure as Error).message).toBe(
      `The model "llava:latest" answered 8 pictures in a row and none of its answers could be used (the last: the model refused to describe the picture: "${FAKE_REFUSAL.slice(0, 57)}..."). ` +
        'Check that the model works (for Ollama: `ollama run llava:latest`, and the server\'s log) or set model.name to another vision model, then resume.',
    );
    expect(pictureRequests()).toHaveLength(8);
    await expect(fs.access(output)).rejects.toThrow();
  });

  it('goes on when a usable answer comes between the unusable ones', async () => {
    // Pictures 1-7 and 9-15 refused, picture 8 described: never eight unusable in a row.
    server.script((request) => (pictureRequests().indexOf(request) === 7 ? undefined : { refusal: true }));
    const { result } = await (await run('mixed', Array.from({ length: 15 }, (_, i) => i + 1))).run;
    expect(result).toMatchObject({ described: 1, needs_review: 14, model_failed: 14 });
  });
});
