import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessorPictureEvent } from '../../shared/processor-protocol';
import { parseProcessorLine } from '../../shared/processor-protocol';
import { Sandbox } from '../batch/testing/altgen-cli';
import { createProvider } from '../describe/create-provider';
import { DescriptionCache } from '../describe/description-cache';
import type { FakeModelServer } from '../describe/testing/fake-model-server';
import { startFakeModelServer } from '../describe/testing/fake-model-server';
import { buildDeck } from '../fixtures/deck-builder';
import { PAUSE_FILE_ENV } from './pause-gate';
import { processDeck } from './process-deck';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * What a processor does for the batch's queue: it waits out the user's pause before each
 * request to the model (the real `altgen process`, in its own process, against the stand-in
 * model server), and it reports every picture it settled for the deck's log.
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
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-pause-log-'));
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const DECK = {
  title: 'Cardiac anatomy',
  slides: [
    { title: 'The heart', pictures: [{ name: 'Picture 2', imageSize: 64 }, { name: 'Picture 3', descr: 'Anterior view of the heart with the coronary arteries labelled', imageSize: 64, imageSeed: 7 }] },
    { title: 'The valves', pictures: [{ name: 'Picture 5', imageSize: 64, imageSeed: 9 }] },
  ],
};

describe('a processor of a paused batch', () => {
  it('asks the model nothing while the pause file is there, and describes the deck once it is gone', async () => {
    const sandbox = await Sandbox.create('altgen-paused-processor-');
    try {
      const deck = sandbox.path('lecture.pptx');
      await buildDeck(deck, DECK);
      const config = await sandbox.writeConfig(`model:\n  base_url: ${JSON.stringify(server.url)}\n  max_retries: 0\nalt_text:\n  read_text_in_images: false\ncache:\n  enabled: false\n`);
      const pauseFile = sandbox.path('paused');
      await fs.writeFile(pauseFile, '');
      const running = sandbox.start(['process', deck, '--output', sandbox.path('copy.pptx'), '--config', config], { [PAUSE_FILE_ENV]: pauseFile });
      // The deck is opened and its first picture prepared: it reports its pictures, then waits.
      await running.waitForOutput(/"pictures_found":3/, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(server.chatRequests()).toHaveLength(0);
      await fs.rm(pauseFile);
      const result = await running.done;
      expect(result.code, result.stderr).toBe(0);
      expect(server.chatRequests()).toHaveLength(2);
    } finally {
      await sandbox.remove();
    }
  }, 120_000);

  it('goes on at once without a pause file', async () => {
    const sandbox = await Sandbox.create('altgen-unpaused-processor-');
    try {
      const deck = sandbox.path('lecture.pptx');
      await buildDeck(deck, DECK);
      const config = await sandbox.writeConfig(`model:\n  base_url: ${JSON.stringify(server.url)}\nalt_text:\n  read_text_in_images: false\ncache:\n  enabled: false\n`);
      const result = await sandbox.run(['process', deck, '--output', sandbox.path('copy.pptx'), '--config', config], { [PAUSE_FILE_ENV]: sandbox.path('no-such-file') });
      expect(result.code, result.stderr).toBe(0);
      // Every picture settled is on stdout for the deck's log.
      const pictures = result.stdout.split('\n').map(parseProcessorLine).filter((event) => event?.type === 'picture');
      expect(pictures).toHaveLength(3);
    } finally {
      await sandbox.remove();
    }
  }, 120_000);
});

describe('processDeck, for the deck log', () => {
  it('reports each picture it settled: what was decided, the model\'s time and its calls', async () => {
    const input = path.join(dir, 'lecture.pptx');
    await buildDeck(input, DECK);
    const config = processorTestConfig(server.url, { read_text_in_images: false });
    const pictures: ProcessorPictureEvent[] = [];
    await processDeck({
      input,
      output: path.join(dir, 'copy.pptx'),
      config,
      provider: createProvider(config.model, {}),
      cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
      onPicture: (event) => pictures.push(event),
    });
    expect(pictures).toEqual([
      expect.objectContaining({ type: 'picture', slide: 1, shape: 'Picture 2', decision: 'described', model_calls: 1, cached: false, model_ms: expect.any(Number) }),
      expect.objectContaining({ type: 'picture', slide: 1, shape: 'Picture 3', decision: 'preserved', model_calls: 0, model_ms: null }),
      expect.objectContaining({ type: 'picture', slide: 2, shape: 'Picture 5', decision: 'described', model_calls: 1, model_ms: expect.any(Number) }),
    ]);
    for (const picture of pictures) expect(picture.reason).not.toBe('');
  }, 60_000);
});
