import { describe, expect, it } from 'vitest';
import type { StatusCounts } from '../../shared/batch-types';
import { batchEndNotice, progressFraction } from './batch-feedback';

const counts = (done: Partial<StatusCounts>): StatusCounts => ({ total: 10, pending: 0, processing: 0, complete: 0, failed: 0, skipped: 0, ...done });

describe('progressFraction', () => {
  it('counts complete, failed and skipped files as done, and shows no bar when idle or empty', () => {
    expect(progressFraction(counts({ complete: 3, failed: 1, skipped: 1, pending: 5 }), true)).toBe(0.5);
    expect(progressFraction(counts({ complete: 10 }), true)).toBe(1);
    expect(progressFraction(counts({ complete: 3 }), false)).toBe(-1);
    expect(progressFraction({ ...counts({}), total: 0 }, true)).toBe(-1);
  });
});

describe('batchEndNotice', () => {
  it('tells how a batch ended, in words', () => {
    expect(batchEndNotice('finished', counts({ complete: 9, failed: 1 }), false)).toEqual({
      title: 'Batch finished',
      body: '9 decks done, 1 failed. Open AltGen to see what failed.',
    });
    expect(batchEndNotice('finished', counts({ complete: 1 }), true)).toEqual({ title: 'Dry run finished', body: '1 deck done.' });
    expect(batchEndNotice('model-unavailable', counts({}), false)?.title).toBe('Batch paused: the model server is not reachable');
    expect(batchEndNotice('error-threshold', counts({ failed: 5 }), false)?.body).toContain('5 failed');
  });

  it('stays quiet when the user stopped the batch or AltGen is closing', () => {
    for (const reason of ['stop-after-current', 'stop-now', 'interrupted'] as const) expect(batchEndNotice(reason, counts({}), false)).toBeNull();
  });
});
