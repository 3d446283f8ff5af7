import type { AuditFinding } from '../../shared/accessibility-audit';
import { paragraphTexts } from '../pptx/paragraph-text';
import { isTrue } from '../pptx/xml-decorative';
import { DML } from '../pptx/xml-namespaces';
import { attribute, child } from '../pptx/xml-tree';
import { finding, plural, quoted } from './finding';
import { tableCells, tableOf, type SlideFacts, type TableCell } from './slide-facts';

/**
 * Tables on slides (PowerPoint's "Missing table header", "Merged cells", "Blank table rows or
 * columns"):
 * - no header row: `a:tblPr/@firstRow` is not set, so a screen reader has no column headings
 *   to announce. The safe fix (`accessibility.mark_table_headers`) sets it when every cell of the
 *   first row has text: only then is the first row a row of headings to mark.
 * - merged cells (`gridSpan`, `rowSpan`, `hMerge`, `vMerge`): a screen reader loses track of
 *   rows and columns.
 * - a row or column with no text in any cell (cells merged into another do not count), as
 *   tables used to lay out a slide have.
 */

export function checkTables(slide: SlideFacts): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const shape of slide.shapes) {
    if (shape.kind !== 'graphicFrame' || shape.hidden) continue;
    const table = tableOf(shape.element);
    if (!table) continue;
    const cells = tableCells(table);
    const name = quoted(shape.name);
    if (!hasHeaderRow(table)) {
      const header = firstRowTexts(cells);
      findings.push(
        finding('table-no-header', slide, shape, {
          message: `The table ${name} has no header row.`,
          advice: 'Put the column headings in its first row and tick Table Design › Header Row.',
          fix: header ? 'table-header' : null,
          suggestion: header ? { text: `Its first row reads ${quoted(header.join(' | '), 80)}: mark it as the header row?`, value: header } : null,
        }),
      );
    }
    const merged = cells.filter((cell) => isMerged(cell)).length;
    if (merged > 0) {
      findings.push(
        finding('table-merged-cells', slide, shape, {
          message: `The table ${name} has ${plural(merged, 'merged cell', 'merged cells')}: screen readers lose track of its rows and columns.`,
          advice: 'Split the merged cells (Layout › Split Cells) and repeat the heading in each, or simplify the table.',
        }),
      );
    }
    const blank = blankLines(cells);
    if (blank.length > 0) {
      findings.push(
        finding('table-blank-cells', slide, shape, {
          message: `The table ${name} has no text in ${listed(blank)}, as tables used to lay out a slide have.`,
          advice: 'Delete blank rows and columns; if the table only lays out the slide, use text boxes instead.',
        }),
      );
    }
  }
  return findings;
}

export function hasHeaderRow(table: XmlElementLike): boolean {
  return isTrue(attribute(child(table, DML, 'tblPr'), 'firstRow'));
}

type XmlElementLike = Parameters<typeof child>[0];

/** The first row's cell texts when every one of them has text; null otherwise. */
export function firstRowTexts(cells: readonly TableCell[]): string[] | null {
  const first = cells.filter((cell) => cell.row === 0 && !isContinuation(cell));
  if (first.length === 0) return null;
  const texts = first.map((cell) => cellText(cell));
  return texts.every((text) => text !== '') ? texts : null;
}

function cellText(cell: TableCell): string {
  return paragraphTexts(child(cell.element, DML, 'txBody')).join(' ');
}

function isMerged(cell: TableCell): boolean {
  const span = (name: string) => Number(attribute(cell.element, name) ?? 1) > 1;
  return span('gridSpan') || span('rowSpan') || isContinuation(cell);
}

/** A cell covered by a merged cell to its left or above. */
function isContinuation(cell: TableCell): boolean {
  return isTrue(attribute(cell.element, 'hMerge')) || isTrue(attribute(cell.element, 'vMerge'));
}

/** "row 3", "column 2": rows and columns (of a table of at least 2 × 2) in which no cell has text. */
function blankLines(cells: readonly TableCell[]): string[] {
  const rows = new Set(cells.map((cell) => cell.row));
  const columns = new Set(cells.map((cell) => cell.column));
  if (rows.size < 2 || columns.size < 2) return [];
  const blank = (line: readonly TableCell[]) => line.every((cell) => isContinuation(cell) || cellText(cell) === '');
  return [
    ...[...rows].filter((row) => blank(cells.filter((cell) => cell.row === row))).map((row) => `row ${row + 1}`),
    ...[...columns].filter((column) => blank(cells.filter((cell) => cell.column === column))).map((column) => `column ${column + 1}`),
  ];
}

/** "row 2, row 4 and column 1". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
