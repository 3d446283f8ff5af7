import { describe, expect, it } from 'vitest';
import { deckEntries } from '../fixtures/deck-builder';
import type { Relationships } from './pptx-types';
import {
  deckLanguage,
  layoutAndMasterParts,
  slideLayoutParts,
  slideMasterParts,
  slideParts,
  slideSize,
  type MasterSource,
} from './presentation-parts';
import { parseRelationships, relatedPart, relsPartFor } from './relationships';
import { findPictures } from './slide-pictures';
import { slideInfo } from './slide-text';
import { part as partOf, pptxgenjsParts, relsXml, STRICT, TRANSITIONAL } from './slide-test-xml';

const PRESENTATION = 'ppt/presentation.xml';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function textParts(entries: ReadonlyMap<string, string | Buffer>): Map<string, string> {
  const parts = new Map<string, string>();
  for (const [name, data] of entries) if (typeof data === 'string') parts.set(name, data);
  return parts;
}

function relsOf(parts: ReadonlyMap<string, string>, part: string): Relationships {
  const xml = parts.get(relsPartFor(part));
  return xml === undefined ? new Map() : parseRelationships(xml, part);
}

describe('slideParts', () => {
  it('lists slides in show order, not file-name order, skipping ids that lead nowhere', () => {
    const ns = TRANSITIONAL;
    const presentation =
      `<p:presentation xmlns:p="${ns.p}" xmlns:r="${ns.r}"><p:sldIdLst>` +
      '<p:sldId id="256" r:id="rId12"/><p:sldId id="257" r:id="rId10"/><p:sldId id="258" r:id="rId99"/>' +
      '<p:sldId id="259" r:id="rId13"/><p:sldId id="260" r:id="rId1"/><p:sldId id="261" r:id="rId11"/><p:sldId id="262" r:id="rId12"/>' +
      '</p:sldIdLst></p:presentation>';
    const rels = parseRelationships(
      relsXml([
        { id: 'rId1', type: `${REL}/slideMaster`, target: 'slideMasters/slideMaster1.xml' },
        { id: 'rId10', type: `${REL}/slide`, target: 'slides/slide1.xml' },
        { id: 'rId11', type: `${REL}/slide`, target: '/ppt/slides/slide2.xml' },
        { id: 'rId12', type: `${REL}/slide`, target: 'slides/slide3.xml' },
        { id: 'rId13', type: `${REL}/slide`, target: 'https://example.org/s.xml', external: true },
      ]),
      PRESENTATION,
    );
    expect(slideParts(presentation, rels)).toEqual(['ppt/slides/slide3.xml', 'ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);
  });

  it('reads Strict presentations', () => {
    const ns = STRICT;
    const presentation = `<p:presentation xmlns:p="${ns.p}" xmlns:r="${ns.r}"><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`;
    const rels = parseRelationships(
      relsXml([{ id: 'rId2', type: 'http://purl.oclc.org/ooxml/officeDocument/relationships/slide', target: 'slides/slide1.xml' }]),
      PRESENTATION,
    );
    expect(slideParts(presentation, rels)).toEqual(['ppt/slides/slide1.xml']);
  });

  it('has no slides when the list is missing', () => {
    expect(slideParts(`<p:presentation xmlns:p="${TRANSITIONAL.p}"/>`, new Map())).toEqual([]);
  });
});

describe('reading a whole deck', () => {
  it('walks a fixture deck from presentation.xml to pictures, text and notes', () => {
    const parts = textParts(
      deckEntries({
        slides: [
          { title: 'Anatomy', pictures: [{ descr: 'Heart' }, { inGroup: true }, { inGroup: true, decorative: true }], notes: 'Say hello' },
          { title: 'Physiology', text: 'Pressure', pictures: [{}] },
        ],
      }),
    );
    const presentationXml = partOf(parts, PRESENTATION);
    const presentationRels = relsOf(parts, PRESENTATION);
    const slides = slideParts(presentationXml, presentationRels);
    expect(slides).toEqual(['ppt/slides/slide1.xml', 'ppt/slides/slide2.xml']);

    const found = slides.flatMap((slide, index) => findPictures(partOf(parts, slide), relsOf(parts, slide), { part: slide, slideNumber: index + 1 }));
    expect(found.map((p) => [p.slideNumber, p.descr, p.inGroup, p.decorative, p.image.kind === 'embedded' ? p.image.part : null])).toEqual([
      [1, 'Heart', false, false, 'ppt/media/image1.png'],
      [1, null, true, false, 'ppt/media/image2.png'],
      [1, null, true, true, 'ppt/media/image3.png'],
      [2, null, false, false, 'ppt/media/image4.png'],
    ]);

    const notesPart = relatedPart(relsOf(parts, 'ppt/slides/slide1.xml'), 'notesSlide');
    expect(notesPart).toBe('ppt/notesSlides/notesSlide1.xml');
    const info = slideInfo(partOf(parts, 'ppt/slides/slide1.xml'), {
      number: 1,
      part: 'ppt/slides/slide1.xml',
      notesXml: partOf(parts, notesPart ?? ''),
      notesPart: notesPart ?? '',
    });
    expect(info).toMatchObject({ title: 'Anatomy', text: '', notes: 'Say hello' });
    expect(slideInfo(partOf(parts, 'ppt/slides/slide2.xml'), { number: 2, part: 'ppt/slides/slide2.xml' })).toMatchObject({
      title: 'Physiology',
      text: 'Pressure',
      notes: null,
    });
  });

  it('lists masters and their layouts for reporting', async () => {
    const parts = await pptxgenjsParts((pptx) => {
      pptx.defineSlideMaster({ title: 'EXTRA', objects: [] });
      pptx.addSlide();
      pptx.addSlide({ masterName: 'EXTRA' });
    });
    const presentationXml = partOf(parts, PRESENTATION);
    const presentationRels = relsOf(parts, PRESENTATION);
    const masterParts = slideMasterParts(presentationXml, presentationRels);
    expect(masterParts).toEqual(['ppt/slideMasters/slideMaster1.xml']);
    const masters = new Map<string, MasterSource>(masterParts.map((m) => [m, { xml: partOf(parts, m), rels: relsOf(parts, m) }]));
    const layouts = slideLayoutParts(partOf(parts, masterParts[0] ?? ''), relsOf(parts, masterParts[0] ?? ''));
    expect(layouts).toEqual(['ppt/slideLayouts/slideLayout1.xml', 'ppt/slideLayouts/slideLayout2.xml']);
    expect(layoutAndMasterParts(presentationXml, presentationRels, masters)).toEqual([
      'ppt/slideMasters/slideMaster1.xml',
      'ppt/slideLayouts/slideLayout1.xml',
      'ppt/slideLayouts/slideLayout2.xml',
    ]);
    expect(layoutAndMasterParts(presentationXml, presentationRels, new Map())).toEqual(['ppt/slideMasters/slideMaster1.xml']);
  });
});

describe('slideSize', () => {
  it('reads p:sldSz in EMU', () => {
    const parts = textParts(deckEntries({ slides: [{}] }));
    expect(slideSize(partOf(parts, PRESENTATION))).toEqual({ cx: 12_192_000, cy: 6_858_000 });
    expect(slideSize(`<p:presentation xmlns:p="${TRANSITIONAL.p}"/>`)).toBeNull();
  });
});

describe('deckLanguage', () => {
  it('takes the language most text is marked with, across parts', () => {
    const run = (lang: string) => `<a:r><a:rPr lang="${lang}"/><a:t>x</a:t></a:r>`;
    const slide = (...langs: string[]) =>
      `<p:sld xmlns:p="${TRANSITIONAL.p}" xmlns:a="${TRANSITIONAL.a}"><p:cSld><p:spTree><p:sp><p:txBody><a:p>${langs.map(run).join('')}` +
      '<a:endParaRPr lang="x-none"/></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>';
    expect(deckLanguage(slide('de-DE', 'en-US', 'de-DE'))).toBe('de-DE');
    expect(deckLanguage([slide('en-GB'), slide('fr-FR', 'fr-FR')])).toBe('fr-FR');
    expect(deckLanguage(slide())).toBeNull();
  });

  it('reads the default text style of presentation.xml', () => {
    const presentation =
      `<p:presentation xmlns:p="${TRANSITIONAL.p}" xmlns:a="${TRANSITIONAL.a}"><p:defaultTextStyle>` +
      '<a:defPPr><a:defRPr lang="nl-NL"/></a:defPPr><a:lvl1pPr marL="0"><a:defRPr sz="1800"/></a:lvl1pPr>' +
      '</p:defaultTextStyle></p:presentation>';
    expect(deckLanguage(presentation)).toBe('nl-NL');
  });
});
