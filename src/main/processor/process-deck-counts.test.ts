import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessorProgressEvent } from '../../shared/processor-protocol';
import { createProvider } from '../describe/create-provider';
import { DescriptionCache } from '../describe/description-cache';
import { buildOutcomesDeck } from '../fixtures/outcome-decks';
import { processDeck } from './process-deck';
import { useModelServerAndFolder } from './testing/model-server-and-folder';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * What the processor tells the batch about a deck, beyond its report: why the pictures it left
 * alone were left alone (a finished row says "2 in slide layouts (left alone)"), and, as it
 * goes, how many pictures the model will be asked about (the batch's ETA counts those).
 */

const fixture = useModelServerAndFolder('altgen-counts-');

describe('processDeck counts for the batch', () => {
  it('says why skipped pictures were skipped, and how many pictures the model will be asked about', async () => {
    const input = await buildOutcomesDeck(fixture.dir);
    const config = processorTestConfig(fixture.server.url, { read_text_in_images: false });
    const progress: ProcessorProgressEvent[] = [];
    const { result } = await processDeck({
      input,
      output: path.join(fixture.dir, 'out.pptx'),
      config,
      provider: createProvider(config.model, {}),
      cache: new DescriptionCache({ dir: path.join(fixture.dir, 'cache'), enabled: true }),
      onProgress: (event) => progress.push(event),
    });
    expect(result).toMatchObject({ pictures: 4, described: 1, preserved: 1, skipped: 2 });
    expect(result.skipped_reasons).toEqual({ 'in-layout': 1, linked: 1, 'no-image': 0, 'unreadable-image': 0, 'nothing-to-describe': 0 });
    expect(progress[0]).toMatchObject({ pictures_found: 4, pictures_done: 0, pictures_to_describe: 1 });
    expect(progress.filter((event) => event.pictures_found !== undefined).every((event) => event.pictures_to_describe === 1)).toBe(true);
  });
});
