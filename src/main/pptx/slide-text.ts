import type { SlideInfo } from './pptx-types';
import { contentChildren } from './xml-markup-compatibility';
import { DML, PML } from './xml-namespaces';
import { paragraphTexts } from './paragraph-text';
import { attribute, child, parseXml, type XmlElement } from './xml-tree';

/**
 * The words around a picture, as context for describing it: the slide's title, its other
 * text and the speaker notes.
 *
 * - Title: the text of the first non-empty `title`/`ctrTitle` placeholder, paragraphs joined
 *   by spaces.
 * - Text: every other shape's text in document order (groups, tables in graphic frames),
 *   without the slide-number, date and footer placeholders. One line per paragraph.
 * - Notes: the notes page's body placeholder only (not its slide image, number, header...).
 *
 * Whitespace runs inside a paragraph become one space; empty paragraphs are dropped; each
 * value is cut at a word boundary to `MAX_CONTEXT_CHARS` with an ellipsis. Text in charts and
 * SmartArt lives in other parts and is not read here. Only the `mc:AlternateContent` branch
 * PowerPoint shows is read, so alternative versions of a shape do not repeat its text.
 */

export const MAX_CONTEXT_CHARS = 2000;

export interface SlideSource {
  readonly number: number;
  readonly part: string;
  /** The slide's notes page (`notesSlide` relationship), when it has one. */
  readonly notesXml?: string;
  readonly notesPart?: string;
}

const TITLE_TYPES = new Set(['title', 'ctrTitle']);
const BOILERPLATE_TYPES = new Set(['sldNum', 'dt', 'ftr']);

/** `parsed`: the slide already parsed from `slideXml`, so that a caller parses each slide once. */
export function slideInfo(slideXml: string, source: SlideSource, parsed?: XmlElement): SlideInfo {
  const titles: string[] = [];
  const text: string[] = [];
  for (const { placeholderType, paragraphs } of shapeTexts(parsed ?? parseXml(slideXml, source.part))) {
    if (placeholderType !== null && TITLE_TYPES.has(placeholderType)) titles.push(paragraphs.join(' '));
    else if (placeholderType === null || !BOILERPLATE_TYPES.has(placeholderType)) text.push(...paragraphs);
  }
  const title = titles.find((candidate) => candidate !== '');
  return {
    number: source.number,
    part: source.part,
    title: title === undefined ? null : bounded(title),
    text: bounded(text.join('\n')),
    notes: source.notesXml === undefined ? null : notesText(source.notesXml, source.notesPart ?? 'notes slide'),
    notesPart: source.notesPart ?? null,
  };
}

function notesText(notesXml: string, part: string): string | null {
  const paragraphs: string[] = [];
  for (const shape of shapeTexts(parseXml(notesXml, part))) {
    if (shape.placeholderType === 'body') paragraphs.push(...shape.paragraphs);
  }
  return paragraphs.length === 0 ? null : bounded(paragraphs.join('\n'));
}

interface ShapeText {
  /** `p:ph/@type` (default `obj`) of a placeholder, null for other shapes. */
  readonly placeholderType: string | null;
  /** Non-empty paragraphs, whitespace collapsed. */
  readonly paragraphs: readonly string[];
}

function shapeTexts(root: XmlElement): ShapeText[] {
  const shapeTree = child(child(root, PML, 'cSld'), PML, 'spTree');
  const shapes: ShapeText[] = [];
  if (shapeTree) collectShapes(shapeTree, shapes);
  return shapes;
}

function collectShapes(container: XmlElement, shapes: ShapeText[]): void {
  for (const shape of contentChildren(container)) {
    if (!PML.has(shape.uri)) continue;
    if (shape.local === 'grpSp') {
      collectShapes(shape, shapes);
    } else if (shape.local === 'sp') {
      const placeholder = child(child(child(shape, PML, 'nvSpPr'), PML, 'nvPr'), PML, 'ph');
      const paragraphs = paragraphTexts(child(shape, PML, 'txBody'));
      if (paragraphs.length > 0) {
        shapes.push({ placeholderType: placeholder ? (attribute(placeholder, 'type') ?? 'obj') : null, paragraphs });
      }
    } else if (shape.local === 'graphicFrame') {
      const paragraphs = paragraphTexts(child(shape, DML, 'graphic'));
      if (paragraphs.length > 0) shapes.push({ placeholderType: null, paragraphs });
    }
  }
}

function bounded(text: string, limit = MAX_CONTEXT_CHARS): string {
  if (text.length <= limit) return text;
  let cut = limit - 1;
  const boundary = Math.max(text.lastIndexOf(' ', cut), text.lastIndexOf('\n', cut));
  if (boundary > limit * 0.8) cut = boundary;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}
