import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modelSchema } from '../../shared/config-schema';
import { describePicture, type DescribeDependencies } from './describe-picture';
import { DescriptionCache } from './description-cache';
import { createProvider } from './create-provider';
import { ModelMissingError } from './model-provider';
import type { PromptContext } from './prompts';
import { fakeDescriptionFor, startFakeModelServer, type FakeModelServer } from './testing/fake-model-server';

let server: FakeModelServer;
let dir: string;

beforeEach(async () => {
  server = await startFakeModelServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'altgen-describe-picture-'));
});

afterEach(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function deps(overrides: Record<string, unknown> = {}): DescribeDependencies {
  return {
    provider: createProvider(modelSchema.parse({ base_url: server.url, max_retries: 0, ...overrides }), {}, { refusedRetryDelayMs: 10 })!,
    cache: new DescriptionCache({ dir }),
    maxDimension: 256,
    soffice: null,
  };
}

function slide(title: string): PromptContext {
  return { deckTitle: 'Cardiology', slideTitle: title, slideText: '', notes: null, course: null, language: 'en', charLimit: 125, category: 'auto' };
}

const logo = await sharp({ create: { width: 600, height: 200, channels: 4, background: '#cc000080' } }).png().toBuffer();

describe('describePicture', () => {
  it('describes a picture once, however many slides it is on', async () => {
    const first = await describePicture({ bytes: logo, name: 'image1.png', context: slide('Chest X-ray findings') }, deps());
    const sent = server.chatRequests()[0];
    expect(sent?.images[0]).toMatchObject({ format: 'png', width: 256 });
    expect(first).toMatchObject({
      kind: 'described',
      text: fakeDescriptionFor(sent?.images[0]?.sha256 ?? ''),
      imageHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      model: 'ollama:llava:latest',
      fromCache: false,
      category: 'diagnostic',
    });
    const again = await describePicture({ bytes: logo, name: 'image7.png', context: slide('Muscles of the heart') }, deps());
    expect(again).toMatchObject({ kind: 'described', text: first.kind === 'described' ? first.text : '', fromCache: true });
    expect(server.chatRequests()).toHaveLength(1);
  });

  it('asks again for a picture whose answer needed review, since that is never cached', async () => {
    server.script(() => ({ refusal: true }));
    const outcome = await describePicture({ bytes: logo, name: 'image1.png', context: slide('Rash') }, deps());
    expect(outcome).toMatchObject({ kind: 'needs-review', reason: 'the model refused to describe the picture', rawAnswer: expect.stringMatching(/^I'm sorry/) });
    server.script(() => ({ text: 'This image shows a red company logo.' }));
    expect(await describePicture({ bytes: logo, name: 'image1.png', context: slide('Rash') }, deps())).toMatchObject({
      kind: 'described',
      text: 'A red company logo.',
      fromCache: false,
    });
    expect(server.chatRequests()).toHaveLength(2);
  });

  it('skips a picture it cannot prepare without calling the model', async () => {
    const emf = Buffer.alloc(120);
    emf.writeUInt32LE(1, 0);
    emf.write(' EMF', 40, 'latin1');
    expect(await describePicture({ bytes: emf, name: 'image2.emf', context: slide('Old clip art') }, deps())).toMatchObject({
      kind: 'skipped',
      reason: 'EMF/WMF pictures need LibreOffice to be described; install it and run again',
    });
    expect(server.chatRequests()).toHaveLength(0);
  });

  it('lets model errors through for the processor to handle', async () => {
    await expect(describePicture({ bytes: logo, name: 'image1.png', context: slide('x') }, deps({ name: 'bakllava' }))).rejects.toBeInstanceOf(
      ModelMissingError,
    );
  });
});

describe('describePicture with own prompt templates', () => {
  it('describes again when a template changes, and uses the cache while it does not', async () => {
    const custom = (text: string): PromptContext => ({ ...slide('Aortic valve'), category: 'default', templates: { default: text } });
    const first = await describePicture({ bytes: logo, name: 'image1.png', context: custom('Describe it for a first-year student.') }, deps());
    const same = await describePicture({ bytes: logo, name: 'image1.png', context: custom('Describe it for a first-year student.') }, deps());
    const changed = await describePicture({ bytes: logo, name: 'image1.png', context: custom('Describe it for a radiology resident.') }, deps());
    expect(first).toMatchObject({ kind: 'described', fromCache: false });
    expect(same).toMatchObject({ kind: 'described', fromCache: true });
    expect(changed).toMatchObject({ kind: 'described', fromCache: false });
    expect(server.chatRequests().map((r) => r.prompt?.split('\n')[0])).toEqual([
      'Describe it for a first-year student.',
      'Describe it for a radiology resident.',
    ]);
  });
});
