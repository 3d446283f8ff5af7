import { assertNever } from '../../shared/assert-never';
import { altTextLanguage, type AltTextLanguageOption, type AltTextPhrases } from '../text/alt-text-phrases';
import type { ChartFacts } from './chart-summary';
import { chartAltText, chartLongDescription, hasChartContent, readChartFacts } from './chart-summary';
import { PackageError } from './package-error';
import type { PictureRef } from './pptx-types';
import type { SmartArtFacts } from './smartart-summary';
import { hasSmartArtContent, readSmartArtFacts, readSmartArtLayout, smartArtAltText, smartArtLongDescription } from './smartart-summary';
import { capitalize, truncateAtWord } from '../text/plain-text';
import { paragraphTexts } from './paragraph-text';
import { contentChildren } from './xml-markup-compatibility';
import { DML, PML, TABLE_GRAPHIC } from './xml-namespaces';
import { attribute, child, parseXml, XmlParseError, type XmlElement } from './xml-tree';

/**
 * Alt text for a chart, SmartArt graphic or table, written from its own data (no model), in
 * two steps: `readGraphicData` reads what the frame shows out of the deck (the I/O, done once
 * when the deck is opened), and `graphicFrameText` puts it into words (pure: the same data
 * gives the same text, so the dry run and the run say the same).
 *
 * Guarantees:
 * - Parts are read only through `readPart` (the chart part, the SmartArt data and layout
 *   parts; the slide's part for a table unless its parsed tree is given), each at most once.
 * - `readGraphicData` gives null, never an exception, when there is nothing to read: OLE
 *   objects, 3D models and other frames, a missing part (`readPart` gave null), a part that is
 *   not well-formed or whose bytes are not text (`PackageError` ECORRUPT from `readPart`).
 * - A DOCTYPE in any part is not content but an attack: that `XmlParseError` (or the reader's
 *   `PackageError` EUNSAFE_XML) propagates, as do every other error `readPart` throws.
 * - `graphicFrameText` gives null when the data holds nothing meaningful: a chart without
 *   title, axis titles or any cached data, SmartArt without text, a table without text.
 * - `altText` aims at `charLimit` characters and is cut at word boundaries only;
 *   `longDescription` has everything, one item a line, for speaker notes or a review.
 * - The fixed words are in `language` (English without it); the deck's own text is as written.
 */

export type GraphicTextKind = 'chart' | 'smartart' | 'table';

/** What a frame shows, as read from the deck. */
export type GraphicData =
  | { readonly kind: 'chart'; readonly facts: ChartFacts }
  | { readonly kind: 'smartart'; readonly facts: SmartArtFacts }
  | { readonly kind: 'table'; readonly facts: TableFacts };

export interface GraphicFrameText {
  readonly kind: GraphicTextKind;
  readonly altText: string;
  readonly longDescription: string;
}

export interface GraphicFrameTextOptions extends AltTextLanguageOption {
  readonly charLimit: number;
}

/** The text of a package part, or null when the package has no such part. */
export type ReadPart = (partName: string) => Promise<string | null>;

/**
 * The data of the chart, SmartArt graphic or table `ref` shows; null when it shows something
 * else or its data cannot be read. `slide`: the parsed part that holds `ref` (tables live in
 * the slide itself), so that it is not read and parsed again.
 */
export async function readGraphicData(ref: PictureRef, readPart: ReadPart, slide?: XmlElement): Promise<GraphicData | null> {
  const graphic = ref.graphic;
  if (ref.kind !== 'graphic-frame' || graphic === null) return null;
  try {
    switch (graphic.kind) {
      case 'chart':
      case 'chartex': {
        const xml = graphic.chartPart === null ? null : await readPart(graphic.chartPart);
        if (xml === null || graphic.chartPart === null) return null;
        return { kind: 'chart', facts: readChartFacts(xml, graphic.chartPart) };
      }
      case 'smartart': {
        const dataXml = graphic.diagramDataPart === null ? null : await readPart(graphic.diagramDataPart);
        if (dataXml === null || graphic.diagramDataPart === null) return null;
        const layout = graphic.diagramLayoutPart === null ? null : await smartArtLayout(graphic.diagramLayoutPart, readPart);
        return { kind: 'smartart', facts: readSmartArtFacts(dataXml, layout, graphic.diagramDataPart) };
      }
      case 'table': {
        const root = slide ?? (await readSlide(ref, readPart));
        const facts = root ? readTableFacts(root, ref) : null;
        return facts ? { kind: 'table', facts } : null;
      }
      case 'other':
        return null;
      default:
        return assertNever(graphic, 'graphic frame content');
    }
  } catch (error) {
    if (isUnreadableContent(error)) return null;
    throw error;
  }
}

/** Alt text and a long description from a frame's data; null when it holds nothing to tell. */
export function graphicFrameText(data: GraphicData, options: GraphicFrameTextOptions): GraphicFrameText | null {
  switch (data.kind) {
    case 'chart':
      return hasChartContent(data.facts)
        ? { kind: 'chart', altText: chartAltText(data.facts, options), longDescription: chartLongDescription(data.facts, options) }
        : null;
    case 'smartart':
      return hasSmartArtContent(data.facts)
        ? { kind: 'smartart', altText: smartArtAltText(data.facts, options), longDescription: smartArtLongDescription(data.facts, options) }
        : null;
    case 'table': {
      const { facts } = data;
      if (facts.rows.every((row) => row.every((cell) => cell === ''))) return null;
      const phrases = altTextLanguage(options.language).phrases;
      return { kind: 'table', altText: tableAltText(facts, options.charLimit, phrases), longDescription: tableLongDescription(facts, phrases) };
    }
    default:
      return assertNever(data, 'graphic data');
  }
}

async function readSlide(ref: PictureRef, readPart: ReadPart): Promise<XmlElement | null> {
  const xml = await readPart(ref.part);
  return xml === null ? null : parseXml(xml, ref.part);
}

/** A layout part that cannot be read leaves the data model's own record of its layout. */
async function smartArtLayout(part: string, readPart: ReadPart) {
  try {
    const xml = await readPart(part);
    return xml === null ? null : readSmartArtLayout(xml, part);
  } catch (error) {
    if (isUnreadableContent(error)) return null;
    throw error;
  }
}

function isUnreadableContent(error: unknown): boolean {
  return (error instanceof XmlParseError || error instanceof PackageError) && error.code === 'ECORRUPT';
}

// ---------------------------------------------------------------------------------------------
// Tables live in the slide itself: the frame is found again by its `p:cNvPr`.

export interface TableFacts {
  readonly columns: number;
  /** Every row's cell texts ('' for an empty cell); merged-over cells left out. */
  readonly rows: readonly (readonly string[])[];
  /** The first row is styled as a header row (`a:tblPr/@firstRow`). */
  readonly headerRow: boolean;
}

/** The table of the frame `ref` in `root` (the part that holds it); null when the frame holds none. */
function readTableFacts(root: XmlElement, ref: PictureRef): TableFacts | null {
  const frame = findFrame(root, ref);
  const graphicData = child(child(frame, DML, 'graphic'), DML, 'graphicData');
  if (!TABLE_GRAPHIC.has(attribute(graphicData, 'uri') ?? '')) return null;
  const table = graphicData ? [...contentChildren(graphicData)].find((e) => DML.has(e.uri) && e.local === 'tbl') : undefined;
  return table ? readTable(table) : null;
}

/** The `p:graphicFrame` whose `p:cNvPr` starts where the ref says, else the one with its id. */
function findFrame(root: XmlElement, ref: PictureRef): XmlElement | undefined {
  const frames: XmlElement[] = [];
  const visit = (container: XmlElement): void => {
    for (const shape of contentChildren(container)) {
      if (!PML.has(shape.uri)) continue;
      if (shape.local === 'graphicFrame') frames.push(shape);
      else if (shape.local === 'grpSp') visit(shape);
    }
  };
  const shapeTree = child(child(root, PML, 'cSld'), PML, 'spTree');
  if (shapeTree) visit(shapeTree);
  const cNvPr = (frame: XmlElement) => child(child(frame, PML, 'nvGraphicFramePr'), PML, 'cNvPr');
  return (
    frames.find((frame) => cNvPr(frame)?.start === ref.cNvPr.start) ??
    frames.find((frame) => attribute(cNvPr(frame), 'id') === ref.shapeId)
  );
}

function readTable(table: XmlElement): TableFacts {
  const grid = child(table, DML, 'tblGrid');
  const columns = grid ? [...contentChildren(grid)].filter((e) => DML.has(e.uri) && e.local === 'gridCol').length : 0;
  const rows: string[][] = [];
  for (const row of contentChildren(table)) {
    if (!DML.has(row.uri) || row.local !== 'tr') continue;
    const cells: string[] = [];
    for (const cell of contentChildren(row)) {
      if (!DML.has(cell.uri) || cell.local !== 'tc') continue;
      if (attribute(cell, 'hMerge') === '1' || attribute(cell, 'vMerge') === '1') continue;
      cells.push(paragraphTexts(child(cell, DML, 'txBody')).join(' / '));
    }
    rows.push(cells);
  }
  const firstRow = attribute(child(table, DML, 'tblPr'), 'firstRow');
  return { columns: columns || Math.max(0, ...rows.map((r) => r.length)), rows, headerRow: firstRow === '1' || firstRow === 'true' };
}

/** "Table: 4 columns × 6 rows; headers: Drug, Dose, Route, Notes." (as much of it as fits). */
function tableAltText(facts: TableFacts, limit: number, phrases: AltTextPhrases): string {
  const head = `${phrases.table}${phrases.colon}${phrases.tableSize(facts.columns, facts.rows.length)}`;
  const first = (facts.rows[0] ?? []).filter((cell) => cell !== '');
  if (first.length === 0) return truncateAtWord(`${head}.`, limit);
  const full = `${head}${phrases.semicolon}${facts.headerRow ? phrases.headers : phrases.firstRow}${phrases.colon}${first.join(phrases.comma)}.`;
  if (full.length <= limit) return full;
  const cut = truncateAtWord(full, limit);
  return cut.length > head.length + phrases.semicolon.length ? cut : truncateAtWord(`${head}.`, limit);
}

const MAX_LISTED_ROWS = 50;

/** Every row (up to `MAX_LISTED_ROWS`) with its cells separated by ' | '. */
function tableLongDescription(facts: TableFacts, phrases: AltTextPhrases): string {
  const lines = [`${phrases.table}${phrases.comma}${phrases.tableSize(facts.columns, facts.rows.length)}.`];
  facts.rows.slice(0, MAX_LISTED_ROWS).forEach((row, i) => {
    const label = i === 0 && facts.headerRow ? capitalize(phrases.headers) : phrases.row(i + 1);
    lines.push(`${label}${phrases.colon}${row.map((cell) => cell || phrases.emptyCell).join(' | ')}`);
  });
  if (facts.rows.length > MAX_LISTED_ROWS) lines.push(`${phrases.moreRows(facts.rows.length - MAX_LISTED_ROWS)}.`);
  return lines.join('\n');
}
