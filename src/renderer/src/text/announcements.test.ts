import { describe, expect, it } from 'vitest';
import { batchViewFrom } from '../../../shared/batch-fold';
import type { BatchEvent } from '../../../shared/batch-events';
import { ROOT, clock, item, snapshot } from '../../../shared/testing/batch-fixtures';
import { announcementFor } from './announcements';

const ID = '20261128_100000_abcdef01';

function done(index: number, complete: number): BatchEvent {
  return { type: 'item:updated', batch_id: ID, index, item: item(`${ROOT}/deck-${index}.pptx`, 'complete'), clock: clock({ total: 8, complete, pending: 8 - complete }) };
}

describe('announcementFor', () => {
  it('says a pause for the model server once, as plain words with until when and without the command line’s advice', () => {
    const batch = batchViewFrom(snapshot(2), 0);
    const text = announcementFor(batch, {
      type: 'batch:paused',
      batch_id: ID,
      reason: 'model-unavailable',
      message: 'Cannot reach the Ollama server at http://127.0.0.1:11434. Start Ollama with `ollama serve`, then run the batch again.',
      wait_until: '2026-11-28T17:45:00.000+01:00',
      clock: clock({ total: 2, pending: 2 }),
    });
    expect(text).toBe(
      'Batch paused, waiting for the model server until 17:45: Cannot reach the Ollama server at http://127.0.0.1:11434. It goes on by itself as soon as the server answers.',
    );
  });

  it('says a stop at the user’s request once, not its headline and then the same message again', () => {
    const batch = batchViewFrom(snapshot(4), 0);
    const text = announcementFor(batch, {
      type: 'batch:stopped',
      batch_id: ID,
      reason: 'stop-after-current',
      message: 'Stopped at your request after the running files finished.',
      clock: clock({ total: 4, complete: 2, pending: 2 }),
    });
    expect(text).toBe('Batch stopped. Stopped at your request after the running files finished. 2 complete, 0 failed, 0 skipped.');
  });

  it('announces 25, 50 and 75 % of the files done only when asked to', () => {
    let batch = batchViewFrom(snapshot(8), 0);
    const on = { progressMilestones: true };
    expect(announcementFor(batch, done(0, 1), on)).toBeNull();
    batch = { ...batch, counts: clock({ total: 8, complete: 1, pending: 7 }).counts };
    expect(announcementFor(batch, done(1, 2), on)).toBe('Batch 25% done: 2 of 8 files.');
    expect(announcementFor(batch, done(1, 2))).toBeNull();
    batch = { ...batch, counts: clock({ total: 8, complete: 5, pending: 3 }).counts };
    expect(announcementFor(batch, done(5, 6), on)).toBe('Batch 75% done: 6 of 8 files.');
  });

  it('does not call a dry run’s file that will fail a failed file', () => {
    const batch = batchViewFrom(snapshot(2, { dry_run: true }), 0);
    const failed: BatchEvent = { type: 'item:updated', batch_id: ID, index: 0, item: item(`${ROOT}/a.pptx`, 'failed', { error: 'Damaged.' }), clock: clock({ total: 2, failed: 1, pending: 1 }) };
    expect(announcementFor(batch, failed)).toBeNull();
  });
});
