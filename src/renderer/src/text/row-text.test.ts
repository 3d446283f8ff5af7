import { describe, expect, it } from 'vitest';
import { row } from '../../../shared/testing/batch-fixtures';
import { detailText, dryRunVerdictText, outcomeText, picturesText, problemText, timeText } from './row-text';
import { statusText } from './status-text';

describe('queue row text', () => {
  it('names every status in words with an icon, and a dry run’s in its own words', () => {
    expect(statusText('complete', false)).toEqual({ icon: 'check', words: 'Complete' });
    expect(statusText('failed', false)).toEqual({ icon: 'cross', words: 'Failed' });
    expect(statusText('skipped', false).words).toBe('Skipped');
    expect(statusText('processing', false).words).toBe('Processing');
    expect(statusText('pending', false).words).toBe('Pending');
    expect(statusText('complete', true)).toEqual({ icon: 'check', words: 'Ready' });
    expect(statusText('failed', true).words).toBe('Will fail');
    expect(statusText('skipped', true).words).toBe('Will be skipped');
    expect(statusText('processing', true).words).toBe('Checking');
    expect(statusText('pending', true).words).toBe('Not checked yet');
  });

  it('puts the error code’s name before a failure’s own sentence, and shows a skip’s reason as it is', () => {
    expect(problemText(row(0, { status: 'failed', error_code: 'EENCRYPTED', error: 'The deck needs a password.' }))).toBe(
      'Password-protected: The deck needs a password.',
    );
    expect(problemText(row(0, { status: 'skipped', error_code: 'ELEGACY_FORMAT', skip_reason: 'Legacy file: save as .pptx.' }))).toBe('Legacy file: save as .pptx.');
    expect(problemText(row(0, { status: 'complete' }))).toBeNull();
  });

  it('shows pictures done of found while processing, a complete deck’s pictures (not a fraction that reads as a failure), and the dry run’s counts', () => {
    expect(picturesText(row(0, { status: 'processing', pictures_done: 2, pictures_total: 5 }), false)).toBe('2 of 5');
    expect(picturesText(row(0, { status: 'processing' }), false)).toBe('starting…');
    expect(picturesText(row(0, { status: 'complete', pictures_done: 3, pictures_total: 5 }), false)).toBe('5');
    expect(picturesText(row(0, { status: 'complete', pictures_total: 4, pictures_missing_alt: 1 }), true)).toBe('4 (1)');
    expect(picturesText(row(0), false)).toBe('—');
  });

  it('gives the dry run’s verdict on each file, with one picture needing alt text said right', () => {
    expect(dryRunVerdictText(row(0, { status: 'complete', pictures_total: 3, pictures_missing_alt: 2 }))).toBe('Ready: 3 pictures, 2 to describe.');
    expect(dryRunVerdictText(row(0, { status: 'complete', pictures_total: 1, pictures_missing_alt: 1 }))).toBe('Ready: 1 picture, 1 to describe.');
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
});

describe('outcomeText', () => {
  it('says what happened to each picture of a complete deck, the skipped ones by why', () => {
    expect(outcomeText({ pictures: 5, described: 3, skipped: 2, skipped_reasons: { 'in-layout': 2 } })).toBe('3 described · 2 in slide layouts (left alone)');
    expect(outcomeText({ pictures: 1, skipped: 1, skipped_reasons: { linked: 1 } })).toBe('1 linked picture (cannot be described)');
    expect(outcomeText({ pictures: 1, preserved: 1 })).toBe('1 already had alt text');
    expect(outcomeText({ pictures: 2, decorative: 1, drafted: 1 })).toBe('1 drafted (check it) · 1 decorative');
    expect(outcomeText({ pictures: 0 })).toBe('No pictures in this deck.');
  });

  it('says how many pictures need review, and how many of those the model could not describe', () => {
    expect(outcomeText({ pictures: 5, described: 1, needs_review: 4, model_failed: 3 })).toBe('1 described · 4 need review (the model could not describe 3)');
    expect(outcomeText({ pictures: 1, needs_review: 1 })).toBe('1 needs review');
  });

  it('counts skipped pictures with no reason recorded (an older processor) as left alone', () => {
    expect(outcomeText({ pictures: 3, described: 1, skipped: 2 })).toBe('1 described · 2 left alone');
  });

  it('puts a complete row’s outcome and its warnings in the details cell', () => {
    expect(detailText(row(0, { status: 'complete', result_counts: { pictures: 2, described: 2 }, warnings: ['Signed deck.'] }), false)).toBe('2 described · Signed deck.');
  });
});
