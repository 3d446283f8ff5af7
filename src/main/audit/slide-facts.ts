import type { Deck } from '../pptx/deck';
import { DML, PML, TABLE_GRAPHIC } from '../pptx/xml-namespaces';
import { attribute, child, type XmlElement } from '../pptx/xml-tree';
import { slideContext, type SlideContext, type ThemeCache } from './slide-context';
import { slideShapes, type SlideShape } from './slide-shapes';
import { cellTextChain, shapeTextChain, textRuns, type TextRun } from './text-runs';

/**
 * One slide as the checks see it, worked out once: what it inherits (slide-context.ts), its
 * shapes in reading order with their boxes (slide-shapes.ts), and the text of every shape and
 * table cell with each run's resolved properties (text-runs.ts).
 */

/** The part of the deck model the audit reads. */
export type AuditDeck = Pick<Deck, 'slides' | 'xml' | 'language'>;

export interface TableCell {
  readonly row: number;
  readonly column: number;
  readonly element: XmlElement;
  readonly properties: XmlElement | undefined;
}

export interface TextBlock {
  /** The shape (`p:sp`), or the graphic frame of a table cell. */
  readonly shape: SlideShape;
  readonly body: XmlElement;
  readonly runs: readonly TextRun[];
  /** For the text of a table cell, the cell. */
  readonly cell: TableCell | null;
}

export interface SlideFacts {
  readonly number: number;
  readonly part: string;
  /** The text of its title placeholder, when it has text. */
  readonly title: string | null;
  readonly context: SlideContext;
  readonly shapes: readonly SlideShape[];
  readonly texts: readonly TextBlock[];
}

export function slideFacts(deck: AuditDeck): SlideFacts[] {
  const themes: ThemeCache = new Map();
  const facts: SlideFacts[] = [];
  for (const slide of deck.slides) {
    const xml = deck.xml.slides.get(slide.part);
    if (!xml) continue;
    const context = slideContext(deck.xml, slide.number, xml, themes);
    const shapes = slideShapes(context);
    const texts: TextBlock[] = [];
    for (const shape of shapes) {
      if (shape.kind === 'sp') {
        const body = child(shape.element, PML, 'txBody');
        if (body) texts.push({ shape, body, runs: textRuns(body, shapeTextChain(shape.element, shape.placeholder, context), context), cell: null });
      } else if (shape.kind === 'graphicFrame') {
        for (const cell of tableCells(tableOf(shape.element))) {
          const body = child(cell.element, DML, 'txBody');
          if (body) texts.push({ shape, body, runs: textRuns(body, cellTextChain(body, context), context), cell });
        }
      }
    }
    facts.push({ number: slide.number, part: slide.part, title: slide.info.title, context, shapes, texts });
  }
  return facts;
}

/** The `a:tbl` of a table frame. */
export function tableOf(frame: XmlElement): XmlElement | undefined {
  const data = child(child(frame, DML, 'graphic'), DML, 'graphicData');
  if (!TABLE_GRAPHIC.has(attribute(data, 'uri') ?? '')) return undefined;
  return child(data, DML, 'tbl');
}

/** Every cell of a table, row by row, merged continuation cells included (they keep their place in the grid). */
export function tableCells(table: XmlElement | undefined): TableCell[] {
  const cells: TableCell[] = [];
  let row = 0;
  for (const tr of table?.children ?? []) {
    if (!DML.has(tr.uri) || tr.local !== 'tr') continue;
    let column = 0;
    for (const tc of tr.children) {
      if (!DML.has(tc.uri) || tc.local !== 'tc') continue;
      cells.push({ row, column, element: tc, properties: child(tc, DML, 'tcPr') });
      column += 1;
    }
    row += 1;
  }
  return cells;
}
