import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { openDeck } from './deck';
import { PackageError } from './package-error';
import { encodeText } from './part-text';
import type { AltTextEdit, PictureRef } from './pptx-types';
import { parseRelationships, relsPartFor } from './relationships';
import { findPictures } from './slide-pictures';
import { applyAltTextEdits } from './xml-attribute-editor';
import { descendants, parseXml, type XmlElement } from './xml-tree';

/**
 * The slide layer against real decks (`ALTGEN_CORPUS_DIR=../shared/corpus/files`), read as
 * every reader reads them (`openDeck`): every readable deck opens or is refused with a
 * PackageError; every slide, layout and master encodes back to its bytes (the one codec of
 * part text); and an edit of every picture reads back, is well-formed, and changes nothing
 * outside the edited elements.
 */

const corpusDir = process.env.ALTGEN_CORPUS_DIR;
const decks = corpusDir ? readdirSync(corpusDir).filter((name) => /\.(pptx|pptm|potx|potm|ppsx|ppsm)$/i.test(name)).sort() : [];

/** Start offset → element end, for every cNvPr. */
function cNvPrEnds(xml: string): Map<number, XmlElement> {
  const elements = new Map<number, XmlElement>();
  for (const element of descendants(parseXml(xml))) if (element.local === 'cNvPr') elements.set(element.start, element);
  return elements;
}

/** Outside the edited cNvPr elements, `edited` must be `original` character for character. */
function expectChangedOnlyInside(original: string, edited: string, before: readonly PictureRef[], after: readonly PictureRef[]): void {
  const originalElements = cNvPrEnds(original);
  const editedElements = cNvPrEnds(edited);
  let fromOriginal = 0;
  let fromEdited = 0;
  before.forEach((picture, index) => {
    const old = originalElements.get(picture.cNvPr.start);
    const fresh = editedElements.get(after[index]?.cNvPr.start ?? -1);
    if (!old || !fresh) throw new Error(`cNvPr of picture ${picture.shapeId} not found`);
    const gap = original.slice(fromOriginal, old.start);
    expect(edited.slice(fromEdited, fresh.start)).toBe(gap);
    fromOriginal = old.end;
    fromEdited = fresh.end;
  });
  expect(edited.slice(fromEdited)).toBe(original.slice(fromOriginal));
}

function editFor(picture: PictureRef, index: number): AltTextEdit {
  return index % 3 === 2
    ? { span: picture.cNvPr, decorative: true }
    : { span: picture.cNvPr, descr: `Corpus alt ${index}: “ü” & <ok> 'q' "dq"\nline 2` };
}

describe('slide layer on the corpus', () => {
  it('finds the corpus', (ctx) => {
    if (!corpusDir) ctx.skip('ALTGEN_CORPUS_DIR is not set; ALTGEN_CORPUS_DIR=../shared/corpus/files runs this suite');
    expect(decks.length, `decks in ${corpusDir}`).toBeGreaterThan(50);
  });

  it.for(decks)('%s', async (name, ctx) => {
    let deck;
    try {
      deck = await openDeck(path.join(corpusDir ?? '', name), DEFAULT_CONFIG.limits);
    } catch (error) {
      // Encrypted, legacy, truncated, damaged: refused with a code and one line, so no slide is read.
      expect(error).toBeInstanceOf(PackageError);
      expect((error as PackageError).message).not.toMatch(/\n/);
      return ctx.skip(`refused by the reader (${(error as PackageError).code}), so no slide is read`);
    }
    try {
      for (const slide of deck.slides) expect(slide.info.text.length).toBeLessThanOrEqual(2000);
      const slideNumbers = new Map(deck.slides.map((slide) => [slide.part, slide.number]));
      for (const [part, { text: xml, encoding }] of deck.parts) {
        expect(encodeText(xml, encoding).equals(await deck.package.readBuffer(part, 1024 ** 3)), `${part} encodes back to its bytes`).toBe(true);
        const relsPart = relsPartFor(part);
        const rels = parseRelationships(deck.package.has(relsPart) ? await deck.package.readText(relsPart) : '<Relationships/>', part);
        const slideNumber = slideNumbers.get(part) ?? 0;
        const pictures = findPictures(xml, rels, { part, slideNumber });
        // The deck model lists exactly the pictures the slide layer finds (graphic frames apart).
        const inModel = deck.pictures.filter((picture) => picture.ref.part === part).map((picture) => picture.ref.cNvPr.start);
        expect(inModel).toEqual(pictures.filter((picture) => picture.kind !== 'graphic-frame').map((picture) => picture.cNvPr.start));
        for (const picture of pictures) expect(xml.slice(picture.cNvPr.start, picture.cNvPr.end)).toMatch(/^<([\w.-]+:)?cNvPr[\s/>]/);
        if (pictures.length === 0) continue;

        const edits = pictures.map(editFor);
        const edited = applyAltTextEdits(xml, edits);
        const reread = findPictures(edited, rels, { part, slideNumber });
        expect(reread).toHaveLength(pictures.length);
        reread.forEach((picture, i) => {
          const edit = edits[i] as AltTextEdit;
          expect(picture.shapeId).toBe(pictures[i]?.shapeId);
          if (edit.decorative) {
            expect(picture.decorative).toBe(true);
            expect(picture.descr).toBe(pictures[i]?.descr);
          } else {
            expect(picture.descr).toBe(edit.descr);
          }
        });
        expectChangedOnlyInside(xml, edited, pictures, reread);
        expect(applyAltTextEdits(edited, reread.map(editFor))).toBe(edited);
      }
    } finally {
      await deck.close();
    }
  });
});
