import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { deckEntries, tinyPng, writeZip, type DeckSpec, type ZipEntries } from '../fixtures/deck-builder';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { openDeck, type Deck } from './deck';
import { PackageError } from './package-error';

/** The deck model: real decks written by the fixture builder and pptxgenjs, opened as every reader opens them. */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'deck-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function deckFile(spec: DeckSpec, edit?: (entries: ZipEntries) => void): Promise<string> {
  const entries = deckEntries(spec);
  edit?.(entries);
  const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
  await writeZip(file, entries);
  return file;
}

async function withDeck<T>(file: string, use: (deck: Deck) => T | Promise<T>): Promise<T> {
  const deck = await openDeck(file, DEFAULT_CONFIG.limits);
  try {
    return await use(deck);
  } finally {
    await deck.close();
  }
}

const LECTURE: DeckSpec = {
  title: 'Cardiology 101',
  slides: [
    { title: 'The heart', text: 'Four chambers', notes: 'Point at the valves.', pictures: [{ imageSize: 64, imageSeed: 1 }, { descr: 'Aortic valve', imageSeed: 2 }] },
    { title: 'Sounds', pictures: [{ media: 'audio', imageSize: 64, imageSeed: 3 }, { shape: 'filled-shape', imageSize: 64, imageSeed: 1 }] },
  ],
};

describe('openDeck', () => {
  it('reads slides in show order with their title, text and notes, and the deck title, language and size', async () => {
    const file = await deckFile(LECTURE, (entries) => {
      // The show plays slide 2 first: the order of p:sldIdLst, not of the file names.
      const presentation = String(entries.get('ppt/presentation.xml'));
      const ids = /<p:sldIdLst>(.*)<\/p:sldIdLst>/.exec(presentation)?.[1] ?? '';
      const [first, second] = ids.match(/<p:sldId [^>]*\/>/g) ?? [];
      entries.set('ppt/presentation.xml', presentation.replace(ids, `${second}${first}`));
    });
    await withDeck(file, (deck) => {
      expect(deck.slides.map((s) => [s.number, s.part, s.info.title])).toEqual([
        [1, 'ppt/slides/slide2.xml', 'Sounds'],
        [2, 'ppt/slides/slide1.xml', 'The heart'],
      ]);
      expect(deck.slides[1]?.info).toMatchObject({ text: 'Four chambers', notes: 'Point at the valves.' });
      expect(deck.title).toBe('Cardiology 101');
      expect(deck.language).toBe('en-US');
      expect(deck.slideSize).toEqual({ cx: 12_192_000, cy: 6_858_000 });
      expect(deck.signed).toBe(false);
      expect(deck.slideParts).toEqual(['ppt/slides/slide2.xml', 'ppt/slides/slide1.xml']);
    });
  });

  it('lists every kind of picture with the facts of its image, the same image once', async () => {
    await withDeck(await deckFile(LECTURE), (deck) => {
      expect(deck.pictures.map((p) => [p.ref.part, p.ref.kind, p.ref.media, p.slide?.number ?? null])).toEqual([
        ['ppt/slides/slide1.xml', 'picture', false, 1],
        ['ppt/slides/slide1.xml', 'picture', false, 1],
        ['ppt/slides/slide2.xml', 'picture', true, 2],
        ['ppt/slides/slide2.xml', 'shape-fill', false, 2],
      ]);
      for (const picture of deck.pictures) expect(picture.key).toBe(`${picture.ref.part}#${picture.ref.shapeId}`);
      const [first, second, , filled] = deck.pictures;
      expect(first?.image).toMatchObject({ widthPx: 64, heightPx: 64, problem: null });
      expect(second?.image).toMatchObject({ widthPx: 16, heightPx: 16 });
      // Seed 1 twice: the same bytes, the same identity.
      expect(filled?.image?.identity).toBe(first?.image?.identity);
      expect(second?.image?.identity).not.toBe(first?.image?.identity);
      expect([...deck.parts.keys()]).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml', 'ppt/slideMasters/slideMaster1.xml', 'ppt/slideLayouts/slideLayout1.xml']);
    });
  });

  it('reads the data of charts and tables on slides, so that planning needs no I/O', async () => {
    const file = path.join(dir, 'graphics.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        const slide = pptx.addSlide();
        slide.addChart('bar', [{ name: 'Deaths', labels: ['A', 'B'], values: [1, 2] }], { x: 1, y: 1, w: 4, h: 3, showTitle: true, title: 'Mortality' });
        slide.addTable([[{ text: 'Drug' }, { text: 'Dose' }]], { x: 5, y: 1, w: 4 });
        slide.addImage({ data: `image/png;base64,${tinyPng(3, 64).toString('base64')}`, x: 1, y: 4.5, w: 1, h: 1 });
      }),
    );
    await withDeck(file, (deck) => {
      expect(deck.graphics.map((g) => [g.kind, g.data?.kind])).toEqual([
        ['chart', 'chart'],
        ['table', 'table'],
      ]);
      expect(deck.pictures).toHaveLength(1);
    });
  });

  it('leaves out a listed slide whose part is missing, keeping the numbers of the others', async () => {
    const file = await deckFile({ slides: [{ title: 'One' }, { title: 'Two' }, { title: 'Three' }] }, (entries) => entries.delete('ppt/slides/slide2.xml'));
    await withDeck(file, (deck) => {
      expect(deck.slides.map((s) => [s.number, s.info.title])).toEqual([
        [1, 'One'],
        [3, 'Three'],
      ]);
      expect(deck.slideParts).toHaveLength(3);
    });
  });

  it('knows a signed deck', async () => {
    const file = await deckFile({ slides: [{}] }, (entries) => entries.set('_xmlsignatures/sig1.xml', '<Signature/>'));
    await withDeck(file, (deck) => expect(deck.signed).toBe(true));
  });

  it('refuses a part that is not well-formed as a damaged deck, naming the part, and closes the file', async () => {
    const file = await deckFile({ slides: [{}] }, (entries) => entries.set('ppt/slides/slide1.xml', `${String(entries.get('ppt/slides/slide1.xml'))}<p:sld/>`));
    const error = await openDeck(file, DEFAULT_CONFIG.limits).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(PackageError);
    expect(error).toMatchObject({ code: 'ECORRUPT', message: expect.stringMatching(/^The deck is damaged: ppt\/slides\/slide1\.xml is not well-formed XML/) });
  });

  it('refuses a DOCTYPE in any XML part before reading anything else', async () => {
    const file = await deckFile({ slides: [{}] }, (entries) => {
      entries.set('ppt/theme/theme1.xml', String(entries.get('ppt/theme/theme1.xml')).replace('<a:theme', '<!DOCTYPE a:theme><a:theme'));
      // A damaged slide too: the DOCTYPE is what is reported.
      entries.set('ppt/slides/slide1.xml', '<p:sld');
    });
    await expect(openDeck(file, DEFAULT_CONFIG.limits)).rejects.toMatchObject({ code: 'EUNSAFE_XML', message: expect.stringContaining('ppt/theme/theme1.xml') });
  });
});
