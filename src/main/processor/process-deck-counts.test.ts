import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import { createProvider } from '../describe/create-provider';
import { DescriptionCache } from '../describe/description-cache';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { buildOutcomesDeck } from '../fixtures/outcome-decks';
import { processDeck } from './process-deck';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * What the processor tells the batch about a deck, beyond its report: why the pictures it left
 * alone were left alone (a finished row says "2 in slide layouts (left alone)"), and, as it
 * goes, how many pictures the model will be asked about (the batch's ETA counts those).
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
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-counts-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('processDeck counts for the batch', () => {
  it('says why skipped pictures were skipped, and how many pictures the model will be asked about', async () => {
    const input = await buildOutcomesDeck(dir);
    const config = processorTestConfig(server.url, { read_text_in_images: false });
    const progress: ProcessorProgressEvent[] = [];
    const { result } = await processDeck({
      input,
      output: path.join(dir, 'out.pptx'),
      config,
      provider: createProvider(config.model, {}),
      cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
      onProgress: (event) => progress.push(event),
    });
    expect(result).toMatchObject({ pictures: 4, described: 1, preserved: 1, skipped: 2 });
    expect(result.skipped_reasons).toEqual({ 'in-layout': 1, linked: 1, 'no-image': 0, 'unreadable-image': 0, 'nothing-to-describe': 0 });
    expect(progress[0]).toMatchObject({ pictures_found: 4, pictures_done: 0, pictures_to_describe: 1 });
    expect(progress.filter((event) => event.pictures_found !== undefined).every((event) => event.pictures_to_describe === 1)).toBe(true);
  });
});
