import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config-schema';
import { auditDeck } from '../audit/audit-deck';
import { handDeckEntries, paragraph, run, shape, slide, withTempDir } from '../audit/testing/audit-decks';
import { writeZip } from '../fixtures/deck-builder';
import { openDeck } from '../pptx/deck';
import { applyTextPatches } from '../pptx/text-patches';
import { planSlideFixes } from './slide-fixes';

/** The accepted slide items as patches, on hand-made slides (the batch round trip is slide-items.test.ts). */

const UPPER = { x: 838_200, y: 1_500_000, cx: 8_000_000, cy: 1_000_000 };
const LOWER = { x: 838_200, y: 4_000_000, cx: 8_000_000, cy: 1_000_000 };

async function plannedOn(xml: string, change?: (findings: ReturnType<typeof auditDeck>['audit']['findings']) => ReturnType<typeof auditDeck>['audit']['findings']) {
  return withTempDir(async (dir) => {
    const file = path.join(dir, 'deck.pptx');
    await writeZip(file, handDeckEntries([{ xml }]));
    const deck = await openDeck(file, DEFAULT_CONFIG.limits);
    try {
      const findings = auditDeck(deck).audit.findings.filter((f) => f.check === 'missing-slide-title' || f.check === 'reading-order');
      const text = deck.parts.get('ppt/slides/slide1.xml')?.text ?? '';
      const patches = planSlideFixes(deck, change ? change(findings) : findings, 'deck.pptx').get('ppt/slides/slide1.xml') ?? [];
      return { findings, text, patched: applyTextPatches(text, patches) };
    } finally {
      await deck.close();
    }
  });
}

describe('the slide fixes a person accepted', () => {
  it('make the first text box the title and read the shapes as they are seen, on one slide', async () => {
    // The lower box is read first, so it is the suggested title, and it moves behind the upper one.
    const lower = shape({ id: 2, name: 'Lower', box: LOWER, paragraphs: [paragraph(run('Cardiac cycle'))] });
    const upper = shape({ id: 3, name: 'Upper', box: UPPER, paragraphs: [paragraph(run('Systole'))] });
    const { findings, text, patched } = await plannedOn(slide(lower + upper));
    expect(findings.map((f) => [f.check, f.suggestion?.value])).toEqual([
      ['missing-slide-title', 'Cardiac cycle'],
      ['reading-order', ['Upper', 'Lower']],
    ]);
    const titled = lower.replace('<p:nvPr/>', '<p:nvPr><p:ph type="title"/></p:nvPr>');
    expect(patched).toBe(text.replace(lower + upper, upper + titled));
  });

  it('give a placeholder that is not the title type="title", and nothing else', async () => {
    const body = shape({ id: 2, name: 'Content', placeholder: 'type="body" idx="1"', box: UPPER, paragraphs: [paragraph(run('Cardiac cycle'))] });
    const { text, patched } = await plannedOn(slide(body));
    expect(patched).toBe(text.replace('<p:ph type="body" idx="1"/>', '<p:ph type="title" idx="1"/>'));
  });

  it('refuse a slide that is not as it was checked', async () => {
    const lower = shape({ id: 2, name: 'Lower', box: LOWER, paragraphs: [paragraph(run('Cardiac cycle'))] });
    const upper = shape({ id: 3, name: 'Upper', box: UPPER, paragraphs: [paragraph(run('Systole'))] });
    await expect(
      plannedOn(slide(lower + upper), (findings) => findings.map((f) => (f.suggestion ? { ...f, suggestion: { ...f.suggestion, value: f.check === 'reading-order' ? ['Lower', 'Upper'] : 'Diastole' } } : f))),
    ).rejects.toMatchObject({ code: 'EREVIEW_REFUSED', message: expect.stringMatching(/^Slide 1 of deck\.pptx is not as it was checked/) });
  });
});
