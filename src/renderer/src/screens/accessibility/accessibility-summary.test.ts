import { describe, expect, it } from 'vitest';
import { batchViewFrom } from '../../../../shared/batch-fold';
import { countStatuses } from '../../../../shared/batch-types';
import { queueRowFromItem } from '../../../../shared/queue-row';
import { item, ROOT, row, snapshot } from '../../../../shared/testing/batch-fixtures';
import { accessibilitySummary } from './accessibility-summary';

/** The Accessibility view's counts, from the rows the main side builds out of a batch's items. */

const NOW = Date.parse('2026-11-28T10:00:00Z');
const INSPECTION = { slides: 3, pictures: 1, pictures_missing_alt: 1, entries: 20, uncompressed_bytes: 1000 };

function viewOf(items: Parameters<typeof queueRowFromItem>[1][], dryRun: boolean) {
  const rows = items.map((it, index) => queueRowFromItem(index, it, ROOT));
  return batchViewFrom(snapshot(0, { rows, counts: countStatuses(rows), dry_run: dryRun, state: 'finished' }), NOW);
}

describe('the Accessibility view of a batch', () => {
  it("counts a dry run's decks per check, lists the decks with findings and counts the rest", () => {
    const view = viewOf(
      [
        item(`${ROOT}/week 1.pptx`, 'complete', { result: { dry_run: true, inspection: { ...INSPECTION, audit: { 'missing-slide-title': 2, 'table-no-header': 1 } } } }),
        item(`${ROOT}/week 2.pptx`, 'complete', { result: { dry_run: true, inspection: { ...INSPECTION, audit: {} } } }),
        item(`${ROOT}/week 3.pptx`, 'complete', { result: { dry_run: true, inspection: { ...INSPECTION, audit: { 'missing-slide-title': 1, 'media-no-captions': 3 } } } }),
        item(`${ROOT}/old.pptx`, 'failed', { error: 'Damaged' }),
        item(`${ROOT}/week 4.pptx`, 'pending'),
      ],
      true,
    );
    const summary = accessibilitySummary(view);
    expect(summary).toMatchObject({ dryRun: true, checked: 3, waiting: 1, clean: 1, moreDecks: 0 });
    expect(summary.found['missing-slide-title']).toBe(3);
    expect(summary.found['media-no-captions']).toBe(3);
    expect(summary.found['table-no-header']).toBe(1);
    expect(summary.decks).toEqual([
      { index: 0, relative_path: 'week 1.pptx', found: ['2 slides without a title', '1 table without a header row'], fixed: [] },
      { index: 2, relative_path: 'week 3.pptx', found: ['1 slide without a title', '3 videos or sounds without captions'], fixed: [] },
    ]);
  });

  it("carries what a run fixed in the copies", () => {
    const view = viewOf(
      [item(`${ROOT}/week 1.pptx`, 'complete', { result: { pictures: 2, described: 2, audit: { 'missing-alt-text': 2, 'language-not-set': 40 }, audit_fixed: { 'missing-alt-text': 2, 'language-not-set': 40 } } })],
      false,
    );
    const summary = accessibilitySummary(view);
    expect(summary.fixed['language-not-set']).toBe(40);
    expect(summary.decks[0]?.fixed).toEqual(['2 objects without alt text', '40 text runs without a language']);
  });

  it('lists at most the limit of decks, and says how many more have findings', () => {
    const rows = Array.from({ length: 5 }, (_, index) => row(index, { status: 'complete', audit: { 'small-text': index + 1 } }));
    const summary = accessibilitySummary(batchViewFrom(snapshot(0, { rows, counts: countStatuses(rows), dry_run: true }), NOW), 3);
    expect(summary.decks.map((deck) => deck.index)).toEqual([0, 1, 2]);
    expect(summary.moreDecks).toBe(2);
    expect(summary.found['small-text']).toBe(15);
  });

  it('has nothing to show for decks from before the audit', () => {
    const rows = [row(0, { status: 'complete', pictures_missing_alt: 1 })];
    const summary = accessibilitySummary(batchViewFrom(snapshot(0, { rows, counts: countStatuses(rows), dry_run: true }), NOW));
    expect(summary).toMatchObject({ checked: 0, clean: 0, decks: [] });
  });
});
