import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { auditEntries, auditFile, cell, handDeckEntries, slide, table } from './testing/audit-decks';

/** Tables: a header row, merged cells, blank rows and columns. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-tables-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOX = { x: 838_200, y: 1_825_625, cx: 6_000_000, cy: 2_000_000 };
const TABLE_CHECKS = new Set(['table-no-header', 'table-merged-cells', 'table-blank-cells']);

async function tableFindings(xml: string) {
  const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(xml) }]));
  return audit.findings.filter((f) => TABLE_CHECKS.has(f.check)).map((f) => [f.check, f.shape_name, f.message, f.fix, f.suggestion?.value ?? null]);
}

describe('the table check', () => {
  it('passes a table with a header row and no merged or blank cells', async () => {
    expect(await tableFindings(table(2, 'Doses', BOX, [[cell('Drug'), cell('Dose')], [cell('Furosemide'), cell('40 mg')]]))).toEqual([]);
  });

  it('finds a table without a header row, and offers the fix when its first row has text in every cell', async () => {
    const withHeadings = table(2, 'Doses', BOX, [[cell('Drug'), cell('Dose')], [cell('Furosemide'), cell('40 mg')]], '<a:tblPr bandRow="1"/>');
    const noProperties = table(3, 'Untitled', BOX, [[cell('Drug'), cell('')], [cell('Furosemide'), cell('40 mg')]], '');
    expect(await tableFindings(withHeadings + noProperties)).toEqual([
      ['table-no-header', 'Doses', "The table 'Doses' has no header row.", 'table-header', ['Drug', 'Dose']],
      ['table-no-header', 'Untitled', "The table 'Untitled' has no header row.", null, null],
    ]);
  });

  it('finds merged cells and blank rows and columns, as tables laid out for looks have', async () => {
    const merged = table(2, 'Merged', BOX, [
      [cell('Drug class', 'gridSpan="2"'), cell('', 'hMerge="1"')],
      [cell('Loop', 'rowSpan="2"'), cell('Furosemide')],
      [cell('', 'vMerge="1"'), cell('Bumetanide')],
    ]);
    const layout = table(3, 'Layout', BOX, [
      [cell('Left'), cell(''), cell('Right')],
      [cell(''), cell(''), cell('')],
      [cell('More'), cell(''), cell('Text')],
    ]);
    expect(await tableFindings(merged + layout)).toEqual([
      ['table-merged-cells', 'Merged', "The table 'Merged' has 4 merged cells: screen readers lose track of its rows and columns.", null, null],
      ['table-blank-cells', 'Layout', "The table 'Layout' has no text in row 2 and column 2, as tables used to lay out a slide have.", null, null],
    ]);
  });

  it('finds the tables pptxgenjs writes without a header row', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        pptx.addSlide().addTable(
          [
            [{ text: 'Drug' }, { text: 'Dose' }],
            [{ text: 'Furosemide' }, { text: '40 mg' }],
          ],
          { x: 0.5, y: 1, w: 6 },
        );
      }),
    );
    const audit = await auditFile(file);
    expect(audit.findings.filter((f) => TABLE_CHECKS.has(f.check)).map((f) => [f.check, f.slide, f.fix])).toEqual([['table-no-header', 1, 'table-header']]);
  });
});
