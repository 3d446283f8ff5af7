import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AltgenConfig } from '../../shared/config-schema';
import { DescriptionCache } from '../describe/description-cache';
import { createProvider } from '../describe/create-provider';
import { startFakeModelServer, type FakeModelServer } from '../describe/testing/fake-model-server';
import { deckEntries, tinyPng, writeZip, type DeckSpec, type ZipEntries } from '../fixtures/deck-builder';
import { pptxgenjsDeck } from '../fixtures/graphic-decks';
import { withoutNotes } from '../fixtures/notes-decks';
import { chartEmf, vectorPictureDeckEntries } from '../fixtures/vector-decks';
import { PackageError } from '../pptx/package-error';
import { processDeck } from './process-deck';
import { processorTestConfig } from './testing/processor-test-config';

/**
 * Issue 11, as the processor meets it: decks the package reader wrongly refused (bytes after
 * the end record, an honest 1000:1 vector picture), and one it let through in one setting
 * only (a DOCTYPE in `[Content_Types].xml`, read only when notes pages are added).
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
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'altgen-process-package-'));
  server.script(() => undefined);
  server.requests.length = 0;
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const LECTURE: DeckSpec = {
  title: 'Respiratory physiology',
  slides: [{ title: 'Spirometry', text: 'Flow against volume', pictures: [{ name: 'Picture 2', imageSize: 64 }], notes: 'Explain the loop' }],
};

async function processFile(input: string, config: AltgenConfig = processorTestConfig(server.url)) {
  const output = path.join(dir, 'out', path.basename(input));
  await fs.mkdir(path.dirname(output), { recursive: true });
  const done = await processDeck({
    input,
    output,
    config,
    provider: createProvider(config.model, {}),
    cache: new DescriptionCache({ dir: path.join(dir, 'cache'), enabled: true }),
  });
  return { ...done, output };
}

async function refusal(promise: Promise<unknown>): Promise<PackageError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof PackageError)) throw new Error(`expected a PackageError, got ${String(error)}`);
  return error;
}

const hasPython = spawnSync('python3', ['-c', 'import zipfile']).status === 0;

function pythonAccepts(file: string): boolean {
  const check = spawnSync('python3', ['-c', 'import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z:\n  assert z.testzip() is None', file]);
  return check.status === 0;
}

describe('processDeck › decks wrongly refused (issue 11)', () => {
  it('processes a deck with a stray byte after its end record into a valid copy', async (ctx) => {
    const input = path.join(dir, 'downloaded.pptx');
    await writeZip(input, deckEntries(LECTURE));
    await fs.writeFile(input, Buffer.concat([await fs.readFile(input), Buffer.from([0x0a])]));
    const { result, output } = await processFile(input);
    expect(result).toMatchObject({ pictures: 1, described: 1 });
    if (!hasPython) ctx.skip("python3 is not installed: the copy was not checked with Python's zipfile");
    expect(pythonAccepts(output)).toBe(true);
  });

  it('processes a deck whose vector picture compresses beyond 667:1, under the default limits', async () => {
    const input = path.join(dir, 'vector.pptx');
    await writeZip(input, vectorPictureDeckEntries(chartEmf(4 * 1024 * 1024)));
    const { result, output } = await processFile(input);
    expect(result.pictures).toBe(1);
    expect((await fs.stat(output)).size).toBeGreaterThan(0);
  });
});

/**
 * A picture for the model and a chart, on a slide without notes: with long descriptions in
 * the notes, the processor creates a notes page for the chart's and adds it to
 * `[Content_Types].xml`, which here declares a DOCTYPE.
 */
async function doctypeDeck(file: string): Promise<void> {
  const deck = await pptxgenjsDeck((pptx) => {
    const slide = pptx.addSlide();
    slide.addImage({ data: `image/png;base64,${tinyPng(3, 64).toString('base64')}`, x: 0.5, y: 0.5, w: 2, h: 2 });
    slide.addChart('line', [{ name: 'Heart rate', labels: ['0 min', '5 min', '10 min'], values: [72, 110, 85] }], {
      x: 3, y: 1, w: 6, h: 4, showTitle: true, title: 'Heart rate during exercise',
    });
  });
  const zip = await JSZip.loadAsync(deck);
  const entries: ZipEntries = new Map();
  for (const entry of Object.values(zip.files)) if (!entry.dir) entries.set(entry.name, await entry.async('nodebuffer'));
  const withoutNotesPages = withoutNotes(entries);
  const types = String(withoutNotesPages.get('[Content_Types].xml'));
  expect(types).toContain('<Types');
  withoutNotesPages.set('[Content_Types].xml', types.replace('<Types', '<!DOCTYPE Types [<!ENTITY lol "lol">]><Types'));
  await writeZip(file, withoutNotesPages);
}

describe('processDeck › a DOCTYPE in [Content_Types].xml (issue 11)', () => {
  const settings: [string, Partial<AltgenConfig['alt_text']>][] = [
    ['the default settings', {}],
    ['long_descriptions: notes', { long_descriptions: 'notes' }],
  ];
  for (const [name, altText] of settings) {
    it(`is refused with EUNSAFE_XML under ${name}, before any model call and without a copy`, async () => {
      const input = path.join(dir, 'doctype.pptx');
      await doctypeDeck(input);
      const error = await refusal(processFile(input, processorTestConfig(server.url, altText)));
      expect(error.code).toBe('EUNSAFE_XML');
      expect(error.message).toMatch(/\[Content_Types\]\.xml declares a DOCTYPE/);
      expect(server.requests).toHaveLength(0);
      expect(await fs.readdir(path.join(dir, 'out'))).toEqual([]);
    });
  }
});
