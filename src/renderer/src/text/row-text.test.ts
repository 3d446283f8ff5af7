import { describe, expect, it } from 'vitest';
import { row } from '../../../shared/testing/batch-fixtures';
import { detailText, dryRunVerdictText, picturesText, problemText, timeText } from './row-text';
import { statusLabel } from './status-text';

describe('queue row text', () => {
  it('names every status in words, with its emoji beside them', () => {
    expect(statusLabel('complete')).toBe('✅ Complete');
    expect(statusLabel('failed')).toBe('❌ Failed');
    expect(statusLabel('skipped')).toBe('⏭️ Skipped');
    expect(statusLabel('processing')).toBe('⏳ Processing');
    expect(statusLabel('pending')).toBe('Pending');
  });

  it('puts the error code’s name before a failure’s own sentence, and shows a skip’s reason as it is', () => {
    expect(problemText(row(0, { status: 'failed', error_code: 'EENCRYPTED', error: 'The deck needs a password.' }))).toBe(
      'Password-protected: The deck needs a password.',
    );
    expect(problemText(row(0, { status: 'skipped', error_code: 'ELEGACY_FORMAT', skip_reason: 'Legacy file: save as .pptx.' }))).toBe('Legacy file: save as .pptx.');
    expect(problemText(row(0, { status: 'complete' }))).toBeNull();
  });

  it('shows pictures done of total while processing and at the end, and the dry run’s counts', () => {
    expect(picturesText(row(0, { status: 'processing', pictures_done: 2, pictures_total: 5 }), false)).toBe('2 of 5');
    expect(picturesText(row(0, { status: 'processing' }), false)).toBe('starting…');
    expect(picturesText(row(0, { status: 'complete', pictures_total: 4, pictures_missing_alt: 1 }), true)).toBe('4 (1)');
    expect(picturesText(row(0), false)).toBe('—');
  });

  it('gives the dry run’s verdict on each file', () => {
    expect(dryRunVerdictText(row(0, { status: 'complete', pictures_total: 3, pictures_missing_alt: 2 }))).toBe('Ready: 3 pictures, 2 need alt text.');
    expect(dryRunVerdictText(row(0, { status: 'complete', pictures_total: 1, pictures_missing_alt: 0 }))).toBe('Ready: 1 picture, all already described.');
    expect(dryRunVerdictText(row(0, { status: 'failed', error_code: 'ECORRUPT', error: 'Truncated.' }))).toBe('Will fail: Damaged file: Truncated.');
    expect(dryRunVerdictText(row(0, { status: 'skipped', skip_reason: 'A template.' }))).toBe('Will be skipped: A template.');
  });

  it('says when a pending file will be tried again after a crash', () => {
    expect(detailText(row(0, { status: 'pending', attempts: 1, error: 'The batch stopped while this file was being processed.' }), false)).toBe(
      'Will retry (attempt 2): The batch stopped while this file was being processed.',
    );
    expect(timeText(row(0, { duration_ms: 65_000 }))).toBe('1m 05s');
  });

  it('says how many pictures of a complete file need review, and how many the model could not describe', () => {
    const counts = (needs_review: number, model_failed: number) => ({ described: 1, needs_review, model_failed, drafted: 0 });
    expect(detailText(row(0, { status: 'complete', picture_counts: counts(4, 3) }), false)).toBe('4 pictures need review (the model could not describe 3).');
    expect(detailText(row(0, { status: 'complete', picture_counts: counts(1, 0), warnings: ['Signed deck.'] }), false)).toBe('1 picture needs review. Signed deck.');
    expect(detailText(row(0, { status: 'complete', picture_counts: counts(0, 0) }), false)).toBe('');
  });
});
