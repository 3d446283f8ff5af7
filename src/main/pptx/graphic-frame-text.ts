import { assertNever } from '../../shared/assert-never';
import { altTextLanguage, type AltTextLanguageOption, type AltTextPhrases } from '../text/alt-text-phrases';
import { chartAltText, chartLongDescription, hasChartContent, readChartFacts } from './chart-summary';
import { PackageError } from './package-reader';
import type { PictureRef } from './pptx-types';
import { hasSmartArtContent, readSmartArtFacts, readSmartArtLayout, smartArtAltText, smartArtLongDescription } from './smartart-summary';
import { capitalize, truncateAtWord } from '../text/plain-text';
import { paragraphTexts } from './summary-text';
import { contentChildren } from './xml-markup-compatibility';
import { DML, PML, TABLE_GRAPHIC } from './xml-namespaces';
import { attribute, child, parseXml, XmlParseError, type XmlElement } from './xml-tree';

/**
 * Alt text for a chart, SmartArt graphic or table, written from its own data (no model).
 *
 * Guarantees:
 * - Parts are read only through `readPart` (the slide's part for a table, the chart part, the
 *   SmartArt data and layout parts), each at most once.
 * - null, never an exception, when there is nothing meaningful to say: OLE objects, 3D models
 *   and other frames, a missing part (`readPart` gave null), a part that is not well-formed
 *   or whose bytes are not text (`PackageError` ECORRUPT from `readPart`), a chart without
 *   title, axis titles or any cached data, SmartArt without text, a table without text.
 * - A DOCTYPE in any part is not content but an attack: that `XmlParseError` (or the reader's
 *   `PackageError` EUNSAFE_XML) propagates, as do every other error `readPart` throws.
 * - `altText` aims at `charLimit` characters and is cut at word boundaries only;
 *   `longDescription` has everything, one item a line, for speaker notes or a review.
 * - The fixed words are in `language` (English without it); the deck's own text is as written.
 */

export type GraphicTextKind = 'chart' | 'smartart' | 'table';

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

export async function describeGraphicFrame(
  ref: PictureRef,
  readPart: ReadPart,
  options: GraphicFrameTextOptions,
): Promise<GraphicFrameText | null> {
  const graphic = ref.graphic;
  if (ref.kind !== 'graphic-frame' || graphic === null) return null;
  try {
    switch (graphic.kind) {
      case 'chart':
      case 'chartex': {
        const xml = graphic.chartPart === null ? null : await readPart(graphic.chartPart);
        if (xml === null || graphic.chartPart === null) return null;
        const facts = readChartFacts(xml, graphic.chartPart);
        if (!hasChartContent(facts)) return null;
        return { kind: 'chart', altText: chartAltText(facts, options), longDescription: chartLongDescription(facts, options) };
      }
      case 'smartart': {
        const dataXml = graphic.diagramDataPart === null ? null : await readPart(graphic.diagramDataPart);
        if (dataXml === null || graphic.diagramDataPart === null) return null;
        const layout = graphic.diagramLayoutPart === null ? null : await smartArtLayout(graphic.diagramLayoutPart, readPart);
        const facts = readSmartArtFacts(dataXml, layout, graphic.diagramDataPart);
        if (!hasSmartArtContent(facts)) return null;
        return { kind: 'smartart', altText: smartArtAltText(facts, options), longDescription: smartArtLongDescription(facts, options) };
      }
      case 'table':
        return await describeTable(ref, readPart, options);
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

interface TableFacts {
  readonly columns: number;
  /** Every row's cell texts ('' for an empty cell); merged-over cells left out. */
  readonly rows: readonly (readonly string[])[];
  /** The first row is styled as a header row (`a:tblPr/@firstRow`). */
  readonly headerRow: boolean;
}

async function describeTable(ref: PictureRef, readPart: ReadPart, options: GraphicFrameTextOptions): Promise<GraphicFrameText | null> {
  const xml = await readPart(ref.part);
  if (xml === null) return null;
  const frame = findFrame(parseXml(xml, ref.part), ref);
  const graphicData = child(child(frame, DML, 'graphic'), DML, 'graphicData');
  if (!TABLE_GRAPHIC.has(attribute(graphicData, 'uri') ?? '')) return null;
  const table = graphicData ? [...contentChildren(graphicData)].find((e) => DML.has(e.uri) && e.local === 'tbl') : undefined;
  const facts = table ? readTable(table) : null;
  if (!facts || facts.rows.every((row) => row.every((cell) => cell === ''))) return null;
  const phrases = altTextLanguage(options.language).phrases;
  return { kind: 'table', altText: tableAltText(facts, options.charLimit, phrases), longDescription: tableLongDescription(facts, phrases) };
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
