import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { auditEntries, auditFile, cell, findingsOf, handDeckEntries, paragraph, replaceIn, run, shape, slide, table } from './testing/audit-decks';

/** Text smaller than 18 pt on slides: set on the run, inherited from the master, shrunk to fit. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-size-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOX = { x: 838_200, y: 1_825_625, cx: 6_000_000, cy: 1_000_000 };

describe('the text size check', () => {
  it('passes the master styles (44 and 28 pt) and text set to 18 pt, and leaves footers and slide numbers out', async () => {
    const shapes =
      shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', paragraphs: [paragraph(run('Heart failure'))] }) +
      shape({ id: 3, name: 'Content Placeholder 2', placeholder: 'idx="1"', paragraphs: [paragraph(run('Symptoms'))] }) +
      shape({ id: 4, name: 'TextBox 3', box: BOX, paragraphs: [paragraph(run('Eighteen', 'lang="en-US" sz="1800"'))] }) +
      shape({ id: 5, name: 'Slide Number 4', placeholder: 'type="sldNum" sz="quarter" idx="12"', paragraphs: [paragraph(run('4', 'lang="en-US" sz="1200"'))] });
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(shapes) }])), 'small-text')).toEqual([]);
  });

  it('counts small runs per shape, from the run, from an inherited style, from shrink-to-fit and in table cells', async () => {
    const shapes =
      shape({ id: 2, name: 'Footnote', box: BOX, paragraphs: [paragraph(run('Source: ', 'lang="en-US" sz="1000"'), run('ESC 2023', 'lang="en-US" sz="1200"'))] }) +
      shape({ id: 3, name: 'Content Placeholder 2', placeholder: 'idx="1"', bodyContent: '<a:normAutofit fontScale="55000"/>', paragraphs: [paragraph(run('Shrunk to fit'))] }) +
      table(4, 'Doses', { ...BOX, y: 4_000_000 }, [[cell('Drug', '', '', 'lang="en-US" sz="1400"'), cell('Dose', '', '', 'lang="en-US" sz="1400"')]]);
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(shapes) }])), 'small-text')).toEqual([
      [1, 'Footnote', "2 text runs in 'Footnote' are smaller than 18 pt (the smallest 10 pt).", 2],
      [1, 'Content Placeholder 2', "1 text run in 'Content Placeholder 2' is smaller than 18 pt (the smallest 15.4 pt)."],
      [1, 'Doses', "2 text runs in 'Doses' are smaller than 18 pt (the smallest 14 pt).", 2],
    ]);
  });

  it("finds body text made small in the master's body style", async () => {
    const body = shape({ id: 2, name: 'Content Placeholder 2', placeholder: 'idx="1"', paragraphs: [paragraph(run('Inherited size'))] });
    const smallBody = (entries: Parameters<NonNullable<Parameters<typeof handDeckEntries>[1]>>[0]) =>
      replaceIn(entries, 'ppt/slideMasters/slideMaster1.xml', '<p:bodyStyle><a:lvl1pPr><a:defRPr sz="2800"', '<p:bodyStyle><a:lvl1pPr><a:defRPr sz="1600"');
    expect(findingsOf(await auditEntries(dir, handDeckEntries([{ xml: slide(body) }], smallBody)), 'small-text')).toEqual([
      [1, 'Content Placeholder 2', "1 text run in 'Content Placeholder 2' is smaller than 18 pt (the smallest 16 pt)."],
    ]);
  });

  it('finds the 12 pt text of a pptxgenjs deck', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        const one = pptx.addSlide();
        one.addText('Caption', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 12 });
        one.addText('Body', { x: 0.5, y: 2, w: 8, h: 1, fontSize: 20 });
      }),
    );
    expect(findingsOf(await auditFile(file), 'small-text')).toEqual([[1, 'Text 0', "1 text run in 'Text 0' is smaller than 18 pt (the smallest 12 pt)."]]);
  });
});
