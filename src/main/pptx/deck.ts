import path from 'node:path';
import type { ReportGraphicKind } from '../../shared/alt-text-report';
import type { LimitsConfig } from '../../shared/config-schema';
import { deckLanguage } from './deck-language';
import { readImageFacts, type DeckImage } from './deck-images';
import { readTheme } from './deck-themes';
import { readGraphicData, type GraphicData } from './graphic-frame-text';
import { damagedXmlError } from './package-error';
import { isSigned, openPackage, PRESENTATION_PART, refuseDeclarations, type PackageOpenOptions, type PackageReader } from './package-reader';
import type { TextPart } from './part-text';
import type { PictureRef, Relationships, SlideInfo } from './pptx-types';
import { layoutAndMasterParts, slideMasterParts, slideParts, slideSize, type MasterSource } from './presentation-parts';
import { parseRelationships, relatedPart, relsPartFor } from './relationships';
import { findPictures } from './slide-pictures';
import { slideInfo } from './slide-text';
import { parseXml, XmlParseError, type XmlElement } from './xml-tree';

export type { DeckImage } from './deck-images';

/**
 * A deck as everything else sees it: `openDeck` is the only way anything reads a deck (the dry
 * run, the processor, `altgen apply`). What the processor plans from is all here, read once,
 * so that planning does no I/O and the dry run and the run plan from the same facts.
 *
 * Guarantees:
 * - Reading is bounded by `limits` (package-reader.ts underneath) and refuses what every
 *   reader refuses, with the same codes and sentences: the container sniffed by magic bytes,
 *   the ZIP checked, a DOCTYPE in any XML part (`refuseDeclarations`, before anything else is
 *   read, so that every configuration refuses the same decks), a part that is not well-formed
 *   (a `PackageError` ECORRUPT, "The deck is damaged: …").
 * - Slides are in show order (`p:sldIdLst`), numbered by their place in it; a listed slide
 *   whose part is missing keeps its number and is left out of `slides`, as PowerPoint's repair
 *   leaves it out. Layouts and masters follow the masters' own lists.
 * - Pictures (`p:pic`, picture placeholders, shapes filled with a picture, the icons and poster
 *   frames of media) are found on slides, layouts and masters, as slide-pictures.ts finds
 *   them; graphic frames AltGen can put into words (charts, SmartArt, tables) on slides only,
 *   with their data read (`graphics`).
 * - Every embedded image a picture shows has its facts (deck-images.ts): header pixel size,
 *   identity, or the problem that keeps it from being read.
 * - The deck's own reader stays open until `close()`, for what comes after planning: reading
 *   images to describe them, the notes planner, the raw copy.
 *
 * - The parsed XML of the presentation, every slide, layout and master (with their
 *   relationships) and the masters' themes (deck-themes.ts: a broken theme is left out) is
 *   kept (`xml`), for the accessibility audit (src/main/audit), which resolves text styles,
 *   colours and backgrounds through them.
 *
 * Not read: notes masters, handouts, charts' embedded workbooks, and anything the processor
 * copies raw without looking at it.
 */

/** One part as parsed, with its relationships. */
export interface DeckPartXml {
  readonly part: string;
  readonly root: XmlElement;
  readonly rels: Relationships;
}

/**
 * The parsed parts the audit reads: each was parsed once while the deck was opened, so that
 * the audit parses nothing again.
 */
export interface DeckXml {
  readonly presentation: XmlElement;
  /** Every slide of `slides`, by part. */
  readonly slides: ReadonlyMap<string, DeckPartXml>;
  /** Slide layouts and masters, by part. */
  readonly templates: ReadonlyMap<string, DeckPartXml>;
  /** The themes the masters name, by part. */
  readonly themes: ReadonlyMap<string, XmlElement>;
}

export interface DeckSlide {
  /** 1-based place in the show. */
  readonly number: number;
  readonly part: string;
  /** Title, text and speaker notes: the context a picture is described in. */
  readonly info: SlideInfo;
}

export interface DeckPicture {
  /** `<part>#<shape id>`: the report's key. */
  readonly key: string;
  readonly ref: PictureRef;
  /** The slide it is on; null in a slide layout or master. */
  readonly slide: DeckSlide | null;
  /**
   * The embedded image it shows (an SVG picture's PNG fallback when there is one, else the
   * SVG); null when the picture is linked, has no picture data, or names no part at all.
   */
  readonly image: DeckImage | null;
}

export interface DeckGraphic {
  readonly key: string;
  readonly ref: PictureRef;
  readonly kind: ReportGraphicKind;
  /** What it shows, as read from the deck; null when that cannot be read. */
  readonly data: GraphicData | null;
}

export interface Deck {
  readonly path: string;
  /** The bounded reader of the deck, open until `close()`. */
  readonly package: PackageReader;
  /** ZIP entries, and all of them unpacked. */
  readonly entryCount: number;
  readonly uncompressedBytes: number;
  /** An OPC digital signature, which any copy loses. */
  readonly signed: boolean;
  /** The title in the document properties, else the first slide title, else the file name. */
  readonly title: string;
  /** The language most of the slides' text is written in (`en` when nothing says). */
  readonly language: string;
  readonly slideSize: { readonly cx: number; readonly cy: number } | null;
  /** Every slide part the show lists, in order; a part may be missing from the package. */
  readonly slideParts: readonly string[];
  readonly slides: readonly DeckSlide[];
  /** Pictures on slides in show order, then in masters and layouts. */
  readonly pictures: readonly DeckPicture[];
  /** Charts, SmartArt graphics and tables on slides, in show order. */
  readonly graphics: readonly DeckGraphic[];
  /** Slides, layouts and masters as text with their encoding: what alt text is written into. */
  readonly parts: ReadonlyMap<string, TextPart>;
  /** The parsed presentation, slides, layouts, masters and themes. */
  readonly xml: DeckXml;
  close(): Promise<void>;
}

export async function openDeck(file: string, limits: LimitsConfig, options: PackageOpenOptions = {}): Promise<Deck> {
  const reader = await openPackage(file, limits, options);
  try {
    return await readDeck(reader, file);
  } catch (error) {
    await reader.close();
    throw error instanceof XmlParseError ? damagedXmlError(error) : error;
  }
}

/** The key of a shape in the report and in `altgen apply`. */
function shapeKey(ref: PictureRef): string {
  return `${ref.part}#${ref.shapeId}`;
}

async function readDeck(reader: PackageReader, file: string): Promise<Deck> {
  await refuseDeclarations(reader);
  const signed = await isSigned(reader);
  const readText = async (part: string): Promise<string | null> => (reader.has(part) ? reader.readText(part) : null);
  const relationshipsOf = async (part: string): Promise<Relationships> => parseRelationships((await readText(relsPartFor(part))) ?? '<Relationships/>', part);

  const presentationXml = await reader.readText(PRESENTATION_PART);
  const presentation = parseXml(presentationXml, 'presentation.xml');
  const presentationRels = await relationshipsOf(PRESENTATION_PART);
  const listed = slideParts(presentation, presentationRels);

  const parts = new Map<string, TextPart>();
  const slides: DeckSlide[] = [];
  const found: { readonly ref: PictureRef; readonly slide: DeckSlide | null }[] = [];
  const graphics: DeckGraphic[] = [];
  const slideXml = new Map<string, DeckPartXml>();
  for (const [index, part] of listed.entries()) {
    if (!reader.has(part)) continue;
    const text = await reader.readTextPart(part);
    parts.set(part, text);
    const rels = await relationshipsOf(part);
    const notesRel = [...rels.values()].find((r) => r.type.endsWith('/notesSlide') && !r.external);
    const notesXml = notesRel ? await readText(notesRel.target) : null;
    const parsed = parseXml(text.text, part);
    slideXml.set(part, { part, root: parsed, rels });
    const slide: DeckSlide = { number: index + 1, part, info: slideInfo(text.text, { number: index + 1, part, notesXml: notesXml ?? undefined }, parsed) };
    slides.push(slide);
    for (const ref of findPictures(text.text, rels, { part, slideNumber: index + 1 }, parsed)) {
      if (ref.kind !== 'graphic-frame') {
        found.push({ ref, slide });
        continue;
      }
      const kind = graphicKind(ref);
      if (kind) graphics.push({ key: shapeKey(ref), ref, kind, data: await readGraphicData(ref, readText, parsed) });
    }
  }
  // Masters are read first, for their lists of layouts; each part is read and parsed once.
  const readParts = new Map<string, { readonly text: TextPart; readonly rels: Relationships; readonly root: XmlElement; readonly part: string }>();
  const readPart = async (part: string) => {
    const text = await reader.readTextPart(part);
    const read = { part, text, rels: await relationshipsOf(part), root: parseXml(text.text, part) };
    readParts.set(part, read);
    return read;
  };
  const masters = new Map<string, MasterSource>();
  const themes = new Map<string, XmlElement>();
  for (const master of slideMasterParts(presentation, presentationRels)) {
    if (!reader.has(master)) continue;
    const { root, rels } = await readPart(master);
    masters.set(master, { xml: root, rels });
    const theme = relatedPart(rels, 'theme');
    const themeRoot = theme !== null && !themes.has(theme) ? await readTheme(reader, theme) : null;
    if (theme !== null && themeRoot) themes.set(theme, themeRoot);
  }
  for (const part of layoutAndMasterParts(presentation, presentationRels, masters)) {
    if (!reader.has(part)) continue;
    const { text, rels, root } = readParts.get(part) ?? (await readPart(part));
    parts.set(part, text);
    for (const ref of findPictures(text.text, rels, { part, slideNumber: 0 }, root)) {
      if (ref.kind !== 'graphic-frame') found.push({ ref, slide: null });
    }
  }

  const imagePartOf = (ref: PictureRef): string | null => {
    if (ref.image.kind !== 'embedded') return null;
    // SVG pictures: the PNG fallback when there is one, else the SVG itself.
    return reader.has(ref.image.part) ? ref.image.part : ref.image.svgPart;
  };
  const images = await readImageFacts(reader, [...new Set(found.flatMap(({ ref }) => imagePartOf(ref) ?? []))]);
  const pictures = found.map(({ ref, slide }): DeckPicture => {
    const part = imagePartOf(ref);
    return { key: shapeKey(ref), ref, slide, image: part === null ? null : (images.get(part) ?? null) };
  });

  let uncompressedBytes = 0;
  for (const entry of reader.entries.values()) uncompressedBytes += entry.uncompressedSize;
  return {
    path: file,
    package: reader,
    entryCount: reader.entries.size,
    uncompressedBytes,
    signed,
    title: await deckTitle(readText, slides, file),
    language: deckLanguage('auto', slides.map((s) => parts.get(s.part)?.text ?? ''), presentationXml),
    slideSize: slideSize(presentation),
    slideParts: listed,
    slides,
    pictures,
    graphics,
    parts,
    xml: { presentation, slides: slideXml, templates: readParts, themes },
    close: () => reader.close(),
  };
}

/** Graphic frames AltGen can describe from their data; OLE objects and 3D models are not. */
function graphicKind(ref: PictureRef): ReportGraphicKind | null {
  switch (ref.graphic?.kind) {
    case 'chart':
    case 'chartex':
      return 'chart';
    case 'smartart':
      return 'smartart';
    case 'table':
      return 'table';
    default:
      return null;
  }
}

async function deckTitle(readText: (part: string) => Promise<string | null>, slides: readonly DeckSlide[], file: string): Promise<string> {
  const core = await readText('docProps/core.xml');
  const title = core ? /<(?:\w+:)?title[^>]*>([^<]+)<\/(?:\w+:)?title>/.exec(core)?.[1]?.trim() : undefined;
  return title || slides.find((s) => s.info.title)?.info.title || path.basename(file, path.extname(file));
}
