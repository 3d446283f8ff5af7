import { AlignmentType, Document, HeadingLevel, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import type { ReviewExportFormat, ReviewItem } from '../../shared/review-types';
import { writeFileAtomic } from '../files/write-file-atomic';
import type { BatchReview } from './batch-review';
import { generatedOf, pictureId, reviewItem } from './review-state';

/**
 * The review for the person who signs it off: a Word document like the original tool's review
 * report (per deck and slide: the picture, its alt text before and after, the decision, and
 * whether a person reviewed it), built with the `docx` package, and the same rows as CSV, one
 * per picture.
 */

export interface ExportRow {
  readonly item: ReviewItem;
  readonly before: string | null;
  readonly generated: string | null;
  readonly thumbnail: string | null;
  readonly sizePx: { readonly width: number; readonly height: number } | null;
}

export async function exportRows(review: BatchReview): Promise<{ readonly batchId: string; readonly rows: ExportRow[] }> {
  const loaded = await review.load();
  const states = await review.stateMap();
  const rows: ExportRow[] = [];
  for (const deck of loaded.decks) {
    for (const picture of deck.report.pictures) {
      const state = states.get(pictureId(deck.item.path, picture.key));
      rows.push({
        item: reviewItem({ deck: deck.item.path, deck_name: deck.name }, picture, state),
        before: picture.before,
        generated: generatedOf(picture, state),
        thumbnail: picture.thumbnail ?? null,
        sizePx: picture.size_px ?? null,
      });
    }
  }
  return { batchId: loaded.batchId, rows };
}

/** The file name an export gets in the output folder. */
export function exportFileName(batchId: string, format: ReviewExportFormat): string {
  return `review_${batchId}.${format}`;
}

/**
 * Writes the export to `file` (default: `review_<batch id>.<format>` in the batch's output
 * folder), whole or not at all: a temporary name renamed into place. Returns its path.
 */
export async function exportReview(review: BatchReview, format: ReviewExportFormat, file?: string): Promise<string> {
  const { batchId, rows } = await exportRows(review);
  const target = file ?? path.join(path.dirname(review.manifestPath), exportFileName(batchId, format));
  const bytes = await renderExport(rows, batchId, format);
  await writeFileAtomic(target, bytes);
  return target;
}

export async function renderExport(rows: readonly ExportRow[], batchId: string, format: ReviewExportFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return Buffer.from(`\uFEFF${csvOf(rows)}`, 'utf8');
    case 'docx':
      return docxOf(rows, batchId);
    default:
      return assertNever(format, 'export format');
  }
}

const DECISION_WORDS: Readonly<Record<string, string>> = {
  described: 'Described by AltGen',
  drafted: 'Offline draft',
  preserved: 'Existing alt text kept',
  decorative: 'Already decorative',
  'marked-decorative': 'Marked decorative',
  'needs-review': 'Needs review: AltGen wrote nothing',
  skipped: 'Skipped',
  edited: 'Edited by a person',
};

/** The decision as the reviewer left it, in words. */
export function decisionText(row: ExportRow): string {
  const { item } = row;
  const base = DECISION_WORDS[item.decision] ?? item.decision;
  const changes: string[] = [];
  if (item.regenerated) changes.push('described again by the model');
  if (item.edited) changes.push(item.decorative ? 'marked decorative by a person' : 'edited by a person');
  if (item.pending) changes.push('not applied yet');
  return changes.length > 0 ? `${base}; ${changes.join('; ')}` : base;
}

function afterText(item: ReviewItem): string {
  return item.decorative ? '(decorative: no alt text)' : (item.alt ?? '');
}

function reviewedText(item: ReviewItem): string {
  return item.reviewed_at ? `Reviewed ${item.reviewed_at.replace('T', ' ')}` : item.needs_review ? 'Not reviewed: needs review' : 'Not reviewed';
}

const CSV_COLUMNS = ['deck', 'slide', 'shape', 'kind', 'before', 'generated', 'after', 'decorative', 'decision', 'reviewed', 'reviewed_at', 'needs_review', 'applied'] as const;

/** A cell a spreadsheet would run as a formula starts with a quote mark instead. */
function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(rows: readonly ExportRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const { item } = row;
    const values: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
      deck: item.deck_name,
      slide: item.slide,
      shape: item.shape_name,
      kind: item.kind,
      before: row.before,
      generated: row.generated,
      after: item.decorative ? '' : item.alt,
      decorative: item.decorative,
      decision: decisionText(row),
      reviewed: item.reviewed_at !== null,
      reviewed_at: item.reviewed_at,
      needs_review: item.needs_review,
      applied: !item.pending,
    };
    lines.push(CSV_COLUMNS.map((column) => csvCell(values[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

const THUMBNAIL = /^data:image\/(png|jpeg|gif);base64,([A-Za-z0-9+/=]+)$/;
const PICTURE_PX = 120;

function pictureCell(row: ExportRow): TableCell {
  const match = row.thumbnail ? THUMBNAIL.exec(row.thumbnail) : null;
  const name = `Slide ${row.item.slide}: ${row.item.shape_name}`;
  if (!match) return cell([new Paragraph({ children: [new TextRun({ text: row.item.kind === 'picture' ? 'No picture' : kindWord(row.item.kind), italics: true })] })]);
  const ratio = row.sizePx && row.sizePx.width > 0 ? row.sizePx.height / row.sizePx.width : 1;
  const width = ratio <= 1 ? PICTURE_PX : Math.round(PICTURE_PX / ratio);
  const height = Math.max(1, Math.round(width * ratio));
  const type = match[1] === 'jpeg' ? 'jpg' : (match[1] as 'png' | 'gif');
  const description = row.item.decorative ? '' : (row.item.alt ?? '');
  return cell([
    new Paragraph({
      children: [new ImageRun({ type, data: Buffer.from(match[2] ?? '', 'base64'), transformation: { width, height }, altText: { name, title: name, description } })],
    }),
  ]);
}

function kindWord(kind: string): string {
  return kind === 'smartart' ? 'SmartArt graphic' : kind === 'chart' || kind === 'table' ? `A ${kind}` : kind;
}

function cell(children: Paragraph[]): TableCell {
  return new TableCell({ children, width: { size: 20, type: WidthType.PERCENTAGE } });
}

function textCell(text: string, options: { readonly bold?: boolean; readonly italics?: boolean } = {}): TableCell {
  return cell([new Paragraph({ children: [new TextRun({ text, ...options })] })]);
}

const HEADERS = ['Picture', 'Before', 'After', 'Decision', 'Reviewed'];

function slideTable(rows: readonly ExportRow[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: HEADERS.map((header) => textCell(header, { bold: true })) }),
      ...rows.map(
        (row) =>
          new TableRow({
            cantSplit: true,
            children: [
              pictureCell(row),
              textCell(row.before ?? '(none)', { italics: row.before === null }),
              textCell(afterText(row.item), { italics: row.item.decorative }),
              textCell(decisionText(row)),
              textCell(reviewedText(row.item)),
            ],
          }),
      ),
    ],
  });
}

async function docxOf(rows: readonly ExportRow[], batchId: string): Promise<Buffer> {
  const reviewed = rows.filter((row) => row.item.reviewed_at !== null).length;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`Alt text review of batch ${batchId}`)] }),
    new Paragraph({ children: [new TextRun(`${rows.length} pictures in ${new Set(rows.map((row) => row.item.deck)).size} decks; ${reviewed} of ${rows.length} reviewed.`)] }),
  ];
  const decks = new Map<string, ExportRow[]>();
  for (const row of rows) decks.set(row.item.deck, [...(decks.get(row.item.deck) ?? []), row]);
  for (const deckRows of decks.values()) {
    const first = deckRows[0];
    if (!first) continue;
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(first.item.deck_name || path.basename(first.item.deck))] }));
    const slides = new Map<number, ExportRow[]>();
    for (const row of deckRows) slides.set(row.item.slide, [...(slides.get(row.item.slide) ?? []), row]);
    for (const [slide, slideRows] of [...slides].sort(([a], [b]) => a - b)) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(slide > 0 ? `Slide ${slide}` : 'Slide layouts and masters')] }));
      children.push(slideTable(slideRows));
      children.push(new Paragraph({ alignment: AlignmentType.LEFT, children: [] }));
    }
  }
  const document = new Document({ title: `Alt text review of batch ${batchId}`, creator: 'AltGen Desktop', sections: [{ children }] });
  return Packer.toBuffer(document);
}
