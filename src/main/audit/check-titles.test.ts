import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildDeck } from '../fixtures/deck-builder';
import { pptxgenjsDeck, writeDeck } from '../fixtures/graphic-decks';
import { auditEntries, auditFile, handDeckEntries, paragraph, run, shape, slide } from './testing/audit-decks';

/** Slide titles: missing (with a suggestion from the first line of text) and duplicated. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'altgen-titles-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const BOX = { x: 838_200, y: 1_825_625, cx: 6_000_000, cy: 1_000_000 };

describe('the slide title check', () => {
  it('passes a deck whose slides all have their own title', async () => {
    const file = path.join(dir, 'titled.pptx');
    await buildDeck(file, { slides: [{ title: 'Cardiac cycle' }, { title: 'Heart sounds' }] });
    const audit = await auditFile(file);
    expect(audit.findings.filter((f) => f.check === 'missing-slide-title' || f.check === 'duplicate-slide-title')).toEqual([]);
  });

  it('finds a slide without a title and suggests its first line of text, and one whose title placeholder is empty', async () => {
    const textOnly = shape({ id: 2, name: 'TextBox 1', box: BOX, paragraphs: [paragraph(run('Cardiac cycle')), paragraph(run('Systole and diastole'))] });
    const emptyTitle = shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', paragraphs: [] });
    const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(textOnly) }, { xml: slide(emptyTitle) }]));
    expect(audit.findings.filter((f) => f.check === 'missing-slide-title')).toEqual([
      {
        check: 'missing-slide-title',
        severity: 'error',
        slide: 1,
        part: 'ppt/slides/slide1.xml',
        shape_id: null,
        shape_name: null,
        count: 1,
        message: 'Slide 1 has no title.',
        advice: 'Give it a title in a title placeholder (Home › Layout, or Home › Reset); a title moved off the slide is still read.',
        fix: null,
        fixed: false,
        suggestion: { text: "The first text box reads 'Cardiac cycle': use it as the title?", value: 'Cardiac cycle' },
      },
      expect.objectContaining({ slide: 2, message: 'Slide 2 has no title.', suggestion: null }),
    ]);
  });

  it('counts a title moved off the slide, and a centred title, as titles', async () => {
    const offSlide = shape({ id: 2, name: 'Title 1', placeholder: 'type="title"', box: { x: -5_000_000, y: -2_000_000, cx: 4_000_000, cy: 800_000 }, paragraphs: [paragraph(run('Hidden title'))] });
    const centred = shape({ id: 2, name: 'Title 1', placeholder: 'type="ctrTitle"', paragraphs: [paragraph(run('Opening'))] });
    const audit = await auditEntries(dir, handDeckEntries([{ xml: slide(offSlide) }, { xml: slide(centred) }]));
    expect(audit.findings.filter((f) => f.check === 'missing-slide-title')).toEqual([]);
  });

  it('finds slides repeating an earlier title, whatever its case and spacing', async () => {
    const file = path.join(dir, 'repeated.pptx');
    await buildDeck(file, { slides: [{ title: 'Objectives' }, { title: 'Heart sounds' }, { title: 'objectives ' }, { title: 'Heart  Sounds' }] });
    const audit = await auditFile(file);
    expect(audit.findings.filter((f) => f.check === 'duplicate-slide-title').map((f) => [f.slide, f.severity, f.message])).toEqual([
      [3, 'warning', "Slide 3 has the same title as slide 1 ('objectives')."],
      [4, 'warning', "Slide 4 has the same title as slide 2 ('Heart Sounds')."],
    ]);
  });

  it('finds the slides of a pptxgenjs deck that have no title placeholder', async () => {
    const file = path.join(dir, 'pptxgenjs.pptx');
    await writeDeck(
      file,
      await pptxgenjsDeck((pptx) => {
        pptx.addSlide().addText('Renal physiology', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 32 });
        pptx.addSlide().addText('Glomerular filtration', { x: 0.5, y: 0.5, w: 8, h: 1, fontSize: 32 });
      }),
    );
    const audit = await auditFile(file);
    expect(audit.findings.filter((f) => f.check === 'missing-slide-title').map((f) => [f.slide, f.suggestion?.value])).toEqual([
      [1, 'Renal physiology'],
      [2, 'Glomerular filtration'],
    ]);
  });
});
