import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import path from 'node:path';
import { auditCountPhrases, countFindings, type AuditCounts, type AuditFinding } from '../../shared/accessibility-audit';
import { assertNever } from '../../shared/assert-never';
import { SLIDE_DECISIONS, type ReviewExportFormat, type SlideDecision } from '../../shared/review-types';
import { writeFileAtomic } from '../files/write-file-atomic';
import type { BatchReview } from './batch-review';
import { pictureId } from './review-state';
import { reportFindings, slideItemKey } from './slide-items';

/**
 * The course report for the accessibility office: per deck of a processed batch, what the
 * accessibility audit found (the run's reports, `accessibility`), what the run fixed in the copy,
 * which of the pictures a person reviewed (the batch's review), and what is left for a person,
 * finding by finding with the slide and what to do. In the review export's formats: a Word
 * document (the `docx` package) and CSV, one row per finding.
 */

export interface CourseFinding {
  readonly finding: AuditFinding;
  /** For alt text findings: when a person reviewed the picture's text in the review; else null. */
  readonly reviewed_at: string | null;
  /** For slide items (a missing title, a reading order, a low contrast): what a person decided, and when; else null. */
  readonly decision: SlideDecision | null;
  readonly decided_at: string | null;
}

export interface CourseDeck {
  readonly name: string;
  /** False for a report written before the audit: nothing is known about the deck. */
  readonly audited: boolean;
  readonly found: AuditCounts;
  readonly fixed: AuditCounts;
  readonly pictures: number;
  readonly reviewed: number;
  readonly findings: readonly CourseFinding[];
}

export interface CourseReport {
  readonly batchId: string;
  readonly decks: readonly CourseDeck[];
}

export async function courseReport(review: BatchReview): Promise<CourseReport> {
  const loaded = await review.load();
  const { items } = await review.queue();
  const reviewedAt = new Map(items.map((item) => [`${item.deck}\n${item.key}`, item.reviewed_at]));
  const slideStates = await review.slideStateMap();
  const decks = loaded.decks.map((deck): CourseDeck => {
    const pictures = items.filter((item) => item.deck === deck.item.path);
    const parsed = reportFindings(deck.report);
    const findings: CourseFinding[] = (parsed ?? []).map((finding) => {
      const slideKey = slideItemKey(finding);
      const decided = slideKey === null ? undefined : slideStates.get(pictureId(deck.item.path, slideKey));
      return {
        finding,
        reviewed_at: finding.check === 'missing-alt-text' && finding.part !== null && finding.shape_id !== null ? (reviewedAt.get(`${deck.item.path}\n${finding.part}#${finding.shape_id}`) ?? null) : null,
        decision: decided?.decision ?? null,
        decided_at: decided?.at ?? null,
      };
    });
    const all = findings.map((f) => f.finding);
    return {
      name: deck.name,
      audited: parsed !== null,
      found: countFindings(all),
      fixed: countFindings(all, (f) => f.fixed),
      pictures: pictures.length,
      reviewed: pictures.filter((item) => item.reviewed_at !== null).length,
      findings,
    };
  });
  return { batchId: loaded.batchId, decks };
}

/** The file name the course report gets in the output folder. */
export function courseReportFileName(batchId: string, format: ReviewExportFormat): string {
  return `accessibility_${batchId}.${format}`;
}

/** Writes the course report to `file` (default: in the batch's output folder), whole or not at all. */
export async function writeCourseReport(review: BatchReview, format: ReviewExportFormat, file?: string): Promise<{ readonly path: string; readonly report: CourseReport }> {
  const report = await courseReport(review);
  const target = file ?? path.join(path.dirname(review.manifestPath), courseReportFileName(report.batchId, format));
  const bytes = await renderCourseReport(report, format);
  await writeFileAtomic(target, bytes);
  return { path: target, report };
}

export async function renderCourseReport(report: CourseReport, format: ReviewExportFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return Buffer.from(`\uFEFF${courseCsv(report)}`, 'utf8');
    case 'docx':
      return courseDocx(report);
    default:
      return assertNever(format, 'export format');
  }
}

/** What became of a finding, in words. */
export function findingStatus(item: CourseFinding): string {
  if (item.decision !== null) return slideStatus(item.decision, item.finding.fixed);
  if (item.finding.fixed) return item.reviewed_at ? 'Fixed in the copy; reviewed by a person' : 'Fixed in the copy';
  return 'Left for a person';
}

function slideStatus(decision: SlideDecision, fixed: boolean): string {
  switch (decision) {
    case 'accept':
      return fixed ? 'Suggestion accepted by a person; fixed in the copy' : 'Suggestion accepted by a person; not applied yet';
    case 'leave':
      return 'Left as is by a person';
    case 'checked':
      return 'Checked by a person';
    case 'to-fix':
      return 'To fix in PowerPoint (a person marked it)';
    default:
      return assertNever(decision, 'slide decision');
  }
}

const CSV_COLUMNS = ['deck', 'slide', 'shape', 'check', 'severity', 'count', 'problem', 'what_to_do', 'suggestion', 'status', 'fixed', 'reviewed_at', 'decision', 'decided_at'] as const;

/** A cell a spreadsheet would run as a formula starts with a quote mark instead. */
function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function courseCsv(report: CourseReport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const deck of report.decks) {
    for (const item of deck.findings) {
      const { finding } = item;
      const values: Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null> = {
        deck: deck.name,
        slide: finding.slide,
        shape: finding.shape_name,
        check: finding.check,
        severity: finding.severity,
        count: finding.count,
        problem: finding.message,
        what_to_do: finding.advice,
        suggestion: finding.suggestion?.text ?? null,
        status: findingStatus(item),
        fixed: finding.fixed,
        reviewed_at: item.reviewed_at,
        decision: item.decision,
        decided_at: item.decided_at,
      };
      lines.push(CSV_COLUMNS.map((column) => csvCell(values[column])).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function phrases(counts: AuditCounts): string {
  const list = auditCountPhrases(counts);
  return list.length === 0 ? 'nothing' : list.join(', ');
}

/** "2 suggestions accepted, 1 left as is", or "none". */
export function slideDecisionPhrase(findings: readonly CourseFinding[]): string {
  const words: Readonly<Record<SlideDecision, readonly [string, string]>> = {
    accept: ['suggestion accepted', 'suggestions accepted'],
    leave: ['left as is', 'left as is'],
    checked: ['contrast checked', 'contrasts checked'],
    'to-fix': ['to fix in PowerPoint', 'to fix in PowerPoint'],
  };
  const phrases = SLIDE_DECISIONS.flatMap((decision) => {
    const n = findings.filter((item) => item.decision === decision).length;
    return n === 0 ? [] : [`${n} ${words[decision][n === 1 ? 0 : 1]}`];
  });
  return phrases.length === 0 ? 'none' : phrases.join(', ');
}

function textCell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })], width: { size: 25, type: WidthType.PERCENTAGE } });
}

function leftTable(findings: readonly CourseFinding[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: ['Where', 'Problem', 'What to do', 'Suggestion', 'Status'].map((header) => textCell(header, true)) }),
      ...findings.map((item) => {
        const { finding } = item;
        const where = [finding.slide === null ? 'Deck' : `Slide ${finding.slide}`, ...(finding.shape_name ? [finding.shape_name] : [])].join(', ');
        return new TableRow({
          cantSplit: true,
          children: [textCell(where), textCell(finding.message), textCell(finding.advice), textCell(finding.suggestion?.text ?? ''), textCell(findingStatus(item))],
        });
      }),
    ],
  });
}

async function courseDocx(report: CourseReport): Promise<Buffer> {
  const title = `Accessibility report of batch ${report.batchId}`;
  const audited = report.decks.filter((deck) => deck.audited);
  const found = audited.reduce((sum, deck) => sum.concat(deck.findings.map((f) => f.finding)), [] as AuditFinding[]);
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
    new Paragraph({ children: [new TextRun(`${audited.length} of ${report.decks.length} decks checked. Found: ${phrases(countFindings(found))}.`)] }),
    new Paragraph({ children: [new TextRun(`Fixed in the copies: ${phrases(countFindings(found, (f) => f.fixed))}.`)] }),
    new Paragraph({ children: [new TextRun(`Left for a person: ${phrases(countFindings(found, (f) => !f.fixed))}.`)] }),
  ];
  for (const deck of report.decks) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(deck.name)] }));
    if (!deck.audited) {
      children.push(new Paragraph({ children: [new TextRun('Not checked: processed before AltGen checked accessibility. Process it again to check it.')] }));
      continue;
    }
    const left = deck.findings.filter((f) => !f.finding.fixed);
    children.push(
      new Paragraph({ children: [new TextRun(`Found: ${phrases(deck.found)}.`)] }),
      new Paragraph({ children: [new TextRun(`Fixed in the copy: ${phrases(deck.fixed)}.`)] }),
      new Paragraph({ children: [new TextRun(`Pictures reviewed by a person: ${deck.reviewed} of ${deck.pictures}.`)] }),
      new Paragraph({ children: [new TextRun(`Slide items decided by a person: ${slideDecisionPhrase(deck.findings)}.`)] }),
      new Paragraph({ children: [new TextRun(left.length === 0 ? 'Left for a person: nothing.' : `Left for a person: ${phrases(countFindings(left.map((f) => f.finding)))}.`)] }),
    );
    if (left.length > 0) children.push(leftTable(left));
  }
  const document = new Document({ title, creator: 'AltGen Desktop', sections: [{ children }] });
  return Packer.toBuffer(document);
}
