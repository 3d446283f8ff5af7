import { describe, expect, it } from 'vitest';
import type { PictureCounts, QueueItem } from '../../shared/batch-types';
import { countPictures } from '../../shared/batch-types';
import { newItem } from '../../shared/item-state';
import { summaryOf } from './testing/batch-summary';
import { formatSummary, nextCommands } from './summary-format';

/** The summary block's picture counts: all files complete is not success while pictures wait for a person. */

function complete(path: string, result: QueueItem['result']): QueueItem {
  return { ...newItem(path, '2026-11-28T10:00:00.000+00:00'), status: 'complete', result };
}

describe('the summary block', () => {
  it('prints no success rate when every file is complete but the model described none of their pictures', () => {
    const items = [complete('/in/a.pptx', { pictures: 4, described: 0, needs_review: 4, model_failed: 4 }), complete('/in/b.pptx', { pictures: 2, described: 0, needs_review: 2, model_failed: 2 })];
    const text = formatSummary(summaryOf(items), null, items);
    expect(text).toMatch(/Completed: 2 ✅/);
    expect(text).not.toMatch(/Success/);
    expect(text).toContain(
      ['Pictures:', '  Described:   0', '  Need review: 6 ⚠️ (the model could not describe 6; nothing was written for them)', '  Drafted:     0'].join('\n'),
    );
    expect(text).toMatch(/^Ask the model again: (npx )?altgen batch --resume --retry-needs-review --batch-id 20261128_100000_abcdef01 --output-dir \/out$/m);
  });

  it('prints the success rate and the counts when every picture was described', () => {
    const items = [complete('/in/a.pptx', { pictures: 3, described: 2, preserved: 1, needs_review: 0 })];
    const text = formatSummary(summaryOf(items), null, items);
    expect(text).toMatch(/Success: +100\.0%/);
    expect(text).toContain(['Pictures:', '  Described:   2', '  Need review: 0', '  Drafted:     0'].join('\n'));
    expect(text).not.toMatch(/Ask the model again/);
  });

  it('counts offline drafts as written but to be checked, with no success rate', () => {
    const items = [complete('/in/a.pptx', { pictures: 2, drafted: 2, needs_review: 0 })];
    const text = formatSummary(summaryOf(items), null, items);
    expect(text).not.toMatch(/Success/);
    expect(text).toContain('  Drafted:     2 (written without a model: check them)');
  });

  it('after a stop for a broken model, the resume command asks again, so no second command is printed', () => {
    const items = [complete('/in/a.pptx', { pictures: 1, needs_review: 1, model_failed: 1 }), newItem('/in/b.pptx', '2026-11-28T10:00:00.000+00:00')];
    const stopped = summaryOf(items, { stop_reason: 'model-unusable', stop_message: 'The model "llava" answered 8 pictures in a row …' });
    expect(nextCommands(stopped, items, null)).toMatchObject({ resume: expect.stringMatching(/--resume --batch-id/), retryNeedsReview: null });
    // With nothing left to resume, the retry command is the way back.
    const last = [items[0]!];
    expect(nextCommands(summaryOf(last, { stop_reason: 'model-unusable' }), last, null)).toMatchObject({
      resume: null,
      retryNeedsReview: expect.stringMatching(/--resume --retry-needs-review --batch-id/),
    });
  });

  it('sums the pictures of complete files only', () => {
    const pending = { ...newItem('/in/c.pptx', 'x'), result: { described: 5 } };
    const expected: PictureCounts = { described: 1, needs_review: 2, model_failed: 1, drafted: 3 };
    expect(countPictures([complete('/in/a.pptx', { described: 1, needs_review: 2, model_failed: 1, drafted: 3 }), pending])).toEqual(expected);
  });
});
