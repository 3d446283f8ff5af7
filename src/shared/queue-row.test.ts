import { describe, expect, it } from 'vitest';
import type { ItemResult, PictureCounts, QueueItem } from './batch-types';
import { NO_PICTURES } from './batch-types';
import type { QueueRow } from './ipc-contract';
import { newItem } from './item-state';
import type { PictureProgress } from './queue-row';
import { picturesAfter, picturesOfRows, queueRowFromItem, relativeDisplayPath, rowWithProgress } from './queue-row';

/** Queue rows as tables: display paths, the row of every kind of item, progress, picture totals. */

describe('relativeDisplayPath', () => {
  it.each([
    { item: '/in/a.pptx', root: null, shown: '/in/a.pptx' },
    { item: '/in/a.pptx', root: '', shown: '/in/a.pptx' },
    { item: '/in/a.pptx', root: '/in', shown: 'a.pptx' },
    { item: '/in/week 1/a.pptx', root: '/in/', shown: 'week 1/a.pptx' },
    { item: '/in/a.pptx', root: '/in//', shown: 'a.pptx' },
    { item: '/a.pptx', root: '/', shown: 'a.pptx' },
    { item: '/input/a.pptx', root: '/in', shown: '/input/a.pptx' },
    { item: '/elsewhere/a.pptx', root: '/in', shown: '/elsewhere/a.pptx' },
    { item: '/in', root: '/in', shown: '/in' },
    { item: '/in/', root: '/in', shown: '/in/' },
    { item: 'C:\\Lectures\\a.pptx', root: 'C:\\Lectures', shown: 'a.pptx' },
    { item: 'C:\\Lectures\\week 1\\a.pptx', root: 'C:\\Lectures\\', shown: 'week 1\\a.pptx' },
    { item: 'C:\\a.pptx', root: 'C:\\', shown: 'a.pptx' },
    { item: 'C:\\Lectures/a.pptx', root: 'C:\\Lectures', shown: 'a.pptx' },
    { item: '\\\\server\\share\\Lectures\\a.pptx', root: '\\\\server\\share', shown: 'Lectures\\a.pptx' },
    // Only the exact spelling counts: the whole path is shown rather than a guess.
    { item: 'c:\\lectures\\a.pptx', root: 'C:\\Lectures', shown: 'c:\\lectures\\a.pptx' },
  ])('$item under $root → $shown', ({ item, root, shown }) => {
    expect(relativeDisplayPath(item, root)).toBe(shown);
  });
});

const ROOT = '/home/ana/Lectures';
const DECK = `${ROOT}/week 1/cardiac.pptx`;
const OUTPUT = '/home/ana/Accessible/week 1/cardiac.pptx';
const REPORT = '/home/ana/Accessible/week 1/cardiac_alt_text_report.html';
const ADDED = '2026-11-28T09:00:00.000+01:00';
const STARTED = '2026-11-28T09:05:00.000+01:00';
const ENDED = '2026-11-28T09:05:42.500+01:00';
const fresh = newItem(DECK, ADDED);

function finished(status: 'complete' | 'failed' | 'skipped', fields: Partial<QueueItem> = {}): QueueItem {
  return { ...fresh, status, started_at: STARTED, completed_at: ENDED, ...fields };
}

function complete(result: ItemResult | null, fields: Partial<QueueItem> = {}): QueueItem {
  return finished('complete', { result, fingerprint: { size: 10, mtime_ms: 1 }, ...fields });
}

const counts = (partial: Partial<PictureCounts>): PictureCounts => ({ ...NO_PICTURES, ...partial });

/** The row's fields that follow from the item; the others are checked in every row below. */
type Derived = Pick<
  QueueRow,
  'pictures_done' | 'pictures_total' | 'duration_ms' | 'output_path' | 'reports' | 'pictures_missing_alt' | 'picture_counts' | 'warnings' | 'result_counts' | 'plan'
>;

const NOTHING: Derived = {
  pictures_done: null,
  pictures_total: null,
  duration_ms: null,
  output_path: null,
  reports: [],
  pictures_missing_alt: null,
  picture_counts: null,
  warnings: [],
  result_counts: null,
  plan: null,
};

const PLAN = {
  pictures: 3,
  to_describe: 1,
  graphics_to_describe: 1,
  to_keep: 1,
  decorative: 0,
  to_mark_decorative: 0,
  skipped: { 'in-layout': 0, linked: 0, 'no-image': 0, 'unreadable-image': 0, 'nothing-to-describe': 0 },
} as const;

const ROWS: readonly { case: string; item: QueueItem; progress?: PictureProgress; row: Partial<Derived> }[] = [
  { case: 'a new pending file', item: fresh, row: {} },
  {
    case: 'a pending file that crashed its processor once',
    item: { ...fresh, attempts: 1, error: 'The processor crashed (SIGSEGV).', error_code: 'ECRASHED' },
    row: {},
  },
  { case: 'a processing file before any progress', item: { ...fresh, status: 'processing', started_at: STARTED }, row: {} },
  {
    case: 'a processing file with progress',
    item: { ...fresh, status: 'processing', started_at: STARTED },
    progress: { done: 2, total: 5 },
    row: { pictures_done: 2, pictures_total: 5 },
  },
  {
    case: 'progress is ignored once the file is not processing',
    item: finished('failed', { error: 'scripted failure', error_code: 'EPROCESSOR_FAILED' }),
    progress: { done: 2, total: 5 },
    row: { duration_ms: 42_500 },
  },
  {
    case: 'a complete file: its processor’s counts, time, copy, reports and warnings',
    item: complete({
      pictures: 5,
      described: 3,
      preserved: 1,
      decorative: 1,
      duration_seconds: 12.3456,
      output_path: OUTPUT,
      reports: [REPORT],
      warnings: ['Slide 3: a chart without a title'],
    }),
    row: {
      pictures_done: 5,
      pictures_total: 5,
      duration_ms: 12_346,
      output_path: OUTPUT,
      reports: [REPORT],
      picture_counts: counts({ described: 3 }),
      warnings: ['Slide 3: a chart without a title'],
      result_counts: { pictures: 5, described: 3, preserved: 1, decorative: 1 },
    },
  },
  {
    case: 'a complete file: why the pictures it left alone were left alone',
    item: complete({ pictures: 3, described: 1, skipped: 2, skipped_reasons: { 'in-layout': 1, linked: 1 }, output_path: OUTPUT }),
    row: {
      pictures_done: 1,
      pictures_total: 3,
      duration_ms: 42_500,
      output_path: OUTPUT,
      picture_counts: counts({ described: 1 }),
      result_counts: { pictures: 3, described: 1, skipped: 2, skipped_reasons: { 'in-layout': 1, linked: 1 } },
    },
  },
  {
    case: 'a complete file with pictures that need review',
    item: complete({ pictures: 4, described: 1, needs_review: 3, model_failed: 2, duration_seconds: 0, output_path: OUTPUT }),
    row: {
      pictures_done: 1,
      pictures_total: 4,
      duration_ms: 0,
      output_path: OUTPUT,
      picture_counts: counts({ described: 1, needs_review: 3, model_failed: 2 }),
      result_counts: { pictures: 4, described: 1, needs_review: 3, model_failed: 2 },
    },
  },
  {
    case: 'a complete file drafted offline',
    item: complete({ pictures: 2, drafted: 2, output_path: OUTPUT }),
    row: { pictures_done: 2, pictures_total: 2, duration_ms: 42_500, output_path: OUTPUT, picture_counts: counts({ drafted: 2 }), result_counts: { pictures: 2, drafted: 2 } },
  },
  {
    case: 'an external processor that counts pictures only: all of them done',
    item: complete({ pictures: 3, output_path: OUTPUT }),
    row: { pictures_done: 3, pictures_total: 3, duration_ms: 42_500, output_path: OUTPUT, picture_counts: NO_PICTURES, result_counts: { pictures: 3 } },
  },
  {
    case: 'counts that add up to more than the pictures are capped',
    item: complete({ pictures: 2, described: 2, preserved: 2, decorative: 1 }),
    row: {
      pictures_done: 2,
      pictures_total: 2,
      duration_ms: 42_500,
      picture_counts: counts({ described: 2 }),
      result_counts: { pictures: 2, described: 2, preserved: 2, decorative: 1 },
    },
  },
  {
    case: 'a deck without pictures',
    item: complete({ pictures: 0, described: 0, output_path: OUTPUT }),
    row: { pictures_done: 0, pictures_total: 0, duration_ms: 42_500, output_path: OUTPUT, picture_counts: NO_PICTURES, result_counts: { pictures: 0, described: 0 } },
  },
  {
    case: 'an external processor that counts nothing',
    item: complete({ output_path: OUTPUT }),
    row: { duration_ms: 42_500, output_path: OUTPUT, picture_counts: NO_PICTURES, result_counts: {} },
  },
  { case: 'a complete file without a result (an older manifest)', item: complete(null), row: { duration_ms: 42_500 } },
  {
    case: 'a dry-run row: pictures found and how many to describe, no copy, no picture counts',
    item: complete({ dry_run: true, inspection: { slides: 12, pictures: 3, pictures_missing_alt: 2, entries: 40, uncompressed_bytes: 1_000_000 } }),
    row: { pictures_total: 3, pictures_missing_alt: 2, duration_ms: 42_500 },
  },
  {
    case: 'a dry-run row of a deck without pictures',
    item: complete({ dry_run: true, inspection: { slides: 1, pictures: 0, pictures_missing_alt: 0, entries: 9, uncompressed_bytes: 4_000 } }),
    row: { pictures_total: 0, pictures_missing_alt: 0, duration_ms: 42_500 },
  },
  {
    case: 'a dry-run row with the plan of the run: what it will describe, keep and leave alone',
    item: complete({ dry_run: true, inspection: { slides: 2, pictures: 3, pictures_missing_alt: 2, entries: 30, uncompressed_bytes: 9_000, plan: PLAN } }),
    row: { pictures_total: 3, pictures_missing_alt: 2, duration_ms: 42_500, plan: PLAN },
  },
  {
    case: 'a failed file: the time between its start and end',
    item: finished('failed', { error: 'scripted failure', error_code: 'EPROCESSOR_FAILED' }),
    row: { duration_ms: 42_500 },
  },
  {
    case: 'times with different offsets are compared as instants',
    item: finished('failed', { started_at: '2026-11-28T15:30:00.000+01:00', completed_at: '2026-11-28T14:30:05.000+00:00' }),
    row: { duration_ms: 5_000 },
  },
  {
    case: 'the Python tool’s naive local times',
    item: finished('failed', { started_at: '2025-10-02T11:50:46.204825', completed_at: '2025-10-02T11:50:47.000000' }),
    row: { duration_ms: 795 },
  },
  {
    case: 'an end before the start (the clock went back) is no time, not a negative one',
    item: finished('failed', { started_at: ENDED, completed_at: STARTED }),
    row: { duration_ms: 0 },
  },
  { case: 'an unreadable start time: no duration', item: finished('failed', { started_at: 'x' }), row: {} },
  { case: 'a failed file that never started: no duration', item: finished('failed', { started_at: null }), row: {} },
  {
    case: 'a skipped file has no duration, whatever its times',
    item: finished('skipped', { skip_reason: 'Open in PowerPoint: close it and resume.', error_code: 'EOPEN_IN_POWERPOINT' }),
    row: {},
  },
];

describe('queueRowFromItem', () => {
  it.each(ROWS)('$case', ({ item, progress, row }) => {
    expect(queueRowFromItem(7, item, ROOT, progress ?? null)).toEqual({
      index: 7,
      path: DECK,
      relative_path: 'week 1/cardiac.pptx',
      status: item.status,
      error: item.error,
      error_code: item.error_code,
      skip_reason: item.skip_reason,
      attempts: item.attempts,
      ...NOTHING,
      ...row,
    });
  });

  it('takes the display path it is given instead of working it out', () => {
    expect(queueRowFromItem(0, fresh, ROOT, null, 'cardiac (week 1)').relative_path).toBe('cardiac (week 1)');
  });
});

describe('rowWithProgress', () => {
  const processing = queueRowFromItem(0, { ...fresh, status: 'processing', started_at: STARTED }, ROOT, { done: 1, total: 4 });

  it.each([
    { case: 'pictures found and done', progress: { pictures_found: 6, pictures_done: 2 }, done: 2, total: 6 },
    { case: 'only pictures done: the total stays', progress: { pictures_done: 3 }, done: 3, total: 4 },
    { case: 'only pictures found: the count done stays', progress: { pictures_found: 5 }, done: 1, total: 5 },
    { case: 'none done yet is a count, not a missing one', progress: { pictures_found: 4, pictures_done: 0 }, done: 0, total: 4 },
  ])('applies $case', ({ progress, done, total }) => {
    expect(rowWithProgress(processing, { type: 'progress', ...progress })).toEqual({ ...processing, pictures_done: done, pictures_total: total });
  });

  it.each([
    { case: 'a message without counts', row: processing, progress: { message: 'Describing picture 2' } },
    { case: 'the same counts again', row: processing, progress: { pictures_found: 4, pictures_done: 1 } },
    { case: 'a model answer', row: processing, progress: { model_answer: 'usable' as const } },
    { case: 'a file no longer processing', row: { ...processing, status: 'complete' as const }, progress: { pictures_found: 9, pictures_done: 9 } },
    { case: 'a pending file', row: { ...processing, status: 'pending' as const }, progress: { pictures_done: 2 } },
  ])('returns the same row for $case', ({ row, progress }) => {
    expect(rowWithProgress(row, { type: 'progress', ...progress })).toBe(row);
  });
});

describe('picture totals of the rows', () => {
  const A = counts({ described: 3, needs_review: 1, model_failed: 1 });
  const B = counts({ described: 2, drafted: 4 });
  const rowOf = (picture_counts: PictureCounts | null) => ({ picture_counts });

  it.each([
    { case: 'no rows', rows: [], total: NO_PICTURES },
    { case: 'rows without counts (pending, failed, dry run)', rows: [rowOf(null), rowOf(null)], total: NO_PICTURES },
    { case: 'complete rows, summed', rows: [rowOf(A), rowOf(null), rowOf(B)], total: counts({ described: 5, needs_review: 1, model_failed: 1, drafted: 4 }) },
  ])('picturesOfRows: $case', ({ rows, total }) => {
    expect(picturesOfRows(rows)).toEqual(total);
  });

  const BATCH = counts({ described: 10, needs_review: 2, model_failed: 1, drafted: 4 });
  it.each([
    { case: 'a row completes', before: null, after: A, total: counts({ described: 13, needs_review: 3, model_failed: 2, drafted: 4 }) },
    { case: 'a complete row goes back to pending (retry, changed input)', before: A, after: null, total: counts({ described: 7, needs_review: 1, model_failed: 0, drafted: 4 }) },
    { case: 'a row is redone with other counts', before: A, after: B, total: counts({ described: 9, needs_review: 1, model_failed: 0, drafted: 8 }) },
    { case: 'a row without counts changes to another without', before: null, after: null, total: BATCH },
  ])('picturesAfter: $case', ({ before, after, total }) => {
    expect(picturesAfter(BATCH, rowOf(before), rowOf(after))).toEqual(total);
  });

  it('picturesAfter keeps the very same totals when the row’s counts did not change', () => {
    expect(picturesAfter(BATCH, rowOf(A), rowOf(A))).toBe(BATCH);
  });
});
