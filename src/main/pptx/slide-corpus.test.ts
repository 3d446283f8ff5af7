import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { AltTextEdit, PictureRef, Relationships } from './pptx-types';
import { layoutAndMasterParts, slideMasterParts, slideParts, type MasterSource } from './presentation-parts';
import { parseRelationships, relatedPart, relsPartFor } from './relationships';
import { findPictures } from './slide-pictures';
import { slideInfo } from './slide-text';
import { applyAltTextEdits } from './xml-attribute-editor';
import { decodeXmlPart, encodeXmlPart } from './xml-encoding';
import { descendants, parseXml, XmlParseError, type XmlElement } from './xml-tree';

/**
 * The slide layer against real decks (`ALTGEN_CORPUS_DIR=../shared/corpus/files`): every
 * part of every readable deck parses or is refused with an XmlParseError, and an edit of
 * every picture reads back, is well-formed, and changes nothing outside the edited elements.
 */

const corpusDir = process.env.ALTGEN_CORPUS_DIR;
const decks = corpusDir ? readdirSync(corpusDir).filter((name) => /\.(pptx|pptm|potx|potm|ppsx|ppsm)$/i.test(name)).sort() : [];

interface Deck {
  readonly zip: JSZip;
  read(part: string): Promise<string | undefined>;
  rels(part: string): Promise<Relationships>;
}

async function openDeck(file: string): Promise<Deck | null> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(readFileSync(file));
  } catch {
    return null; // not a ZIP (encrypted or legacy): the package reader refuses these
  }
  const read = async (part: string) => {
    const entry = zip.file(part);
    return entry ? decodeXmlPart(await entry.async('uint8array'), part).text : undefined;
  };
  const rels = async (part: string) => {
    const xml = await read(relsPartFor(part));
    return xml === undefined ? new Map() : parseRelationships(xml, part);
  };
  return { zip, read, rels };
}

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

describe.skipIf(!corpusDir)('slide layer on the corpus', () => {
  it.each(decks)('%s', async (name) => {
    const deck = await openDeck(path.join(corpusDir ?? '', name));
    if (!deck) return;
    const presentation = relatedPart(await deck.rels(''), 'officeDocument');
    const presentationXml = presentation ? await deck.read(presentation) : undefined;
    if (!presentation || presentationXml === undefined) return;

    let slides: string[];
    let others: string[];
    try {
      const presentationRels = await deck.rels(presentation);
      slides = slideParts(presentationXml, presentationRels);
      const masters = new Map<string, MasterSource>();
      for (const master of slideMasterParts(presentationXml, presentationRels)) {
        const xml = await deck.read(master);
        if (xml !== undefined) masters.set(master, { xml, rels: await deck.rels(master) });
      }
      others = layoutAndMasterParts(presentationXml, presentationRels, masters);
    } catch (error) {
      // A damaged presentation part is refused cleanly (the add-in in the corpus has an empty one).
      expect(error).toBeInstanceOf(XmlParseError);
      return;
    }

    for (const [index, part] of [...slides, ...others].entries()) {
      const bytes = await deck.zip.file(part)?.async('uint8array');
      if (!bytes) continue; // a listed part that is missing: the package reader reports it
      const { text: xml, encoding } = decodeXmlPart(bytes, part);
      expect(encodeXmlPart(xml, encoding).equals(Buffer.from(bytes))).toBe(true);

      const slideNumber = index < slides.length ? index + 1 : 0;
      const rels = await deck.rels(part);
      const pictures = findPictures(xml, rels, { part, slideNumber });
      if (slideNumber > 0) {
        const notesPart = relatedPart(rels, 'notesSlide');
        const notesXml = notesPart ? await deck.read(notesPart) : undefined;
        const info = slideInfo(xml, { number: slideNumber, part, ...(notesXml === undefined ? {} : { notesXml, notesPart: notesPart ?? '' }) });
        expect(info.text.length).toBeLessThanOrEqual(2000);
      }
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
  });
});
