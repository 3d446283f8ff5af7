import { afterEach, describe, expect, it } from 'vitest';
import type { StatusCounts } from './batch-types';
import { formatDuration, localIsoTimestamp, parseTimestamp, progressLine } from './time-format';

/**
 * Time and ETA formatting as tables. Timestamps are checked in several time zones: Node reads
 * TZ again whenever it is assigned, so each row sets it and the file puts it back afterwards.
 */
const ORIGINAL_TZ = process.env['TZ'];
afterEach(() => {
  if (ORIGINAL_TZ === undefined) delete process.env['TZ'];
  else process.env['TZ'] = ORIGINAL_TZ;
});

function inZone(zone: string): void {
  process.env['TZ'] = zone;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [-0, '0s'],
    [-5_000, '0s'],
    [-Number.MAX_VALUE, '0s'],
    [499, '0s'],
    [500, '1s'],
    [1_000, '1s'],
    [59_499, '59s'],
    [59_500, '1m 00s'],
    [60_000, '1m 00s'],
    [187_000, '3m 07s'],
    [3_599_499, '59m 59s'],
    [3_599_500, '1h 00m'],
    [2 * HOUR + 5 * MINUTE + 59_000, '2h 05m'],
    [24 * HOUR, '24h 00m'],
    [100_000 * HOUR, '100000h 00m'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—'],
    [Number.NEGATIVE_INFINITY, '—'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('progressLine', () => {
  const counts = (partial: Partial<StatusCounts>): StatusCounts => ({ total: 0, pending: 0, processing: 0, complete: 0, failed: 0, skipped: 0, ...partial });

  it.each([
    {
      case: 'an empty batch, before any estimate',
      counts: counts({}),
      elapsed: 0,
      eta: null,
      line: 'Progress: 0/0 (0 ✅, 0 ❌, 0 ⏭️) | Elapsed: 0s | ETA: estimating…',
    },
    {
      case: 'the seed’s example',
      counts: counts({ total: 26, complete: 15, pending: 11 }),
      elapsed: 5_000,
      eta: 3_000,
      line: 'Progress: 15/26 (15 ✅, 0 ❌, 0 ⏭️) | Elapsed: 5s | ETA: ~3s (estimate)',
    },
    {
      case: 'failed and skipped files are done; processing and pending ones are not',
      counts: counts({ total: 10, complete: 2, failed: 3, skipped: 1, processing: 2, pending: 2 }),
      elapsed: 3 * HOUR + 7 * MINUTE,
      eta: 0,
      line: 'Progress: 6/10 (2 ✅, 3 ❌, 1 ⏭️) | Elapsed: 3h 07m | ETA: ~0s (estimate)',
    },
    {
      case: 'a negative elapsed time (the clock went back)',
      counts: counts({ total: 1, processing: 1 }),
      elapsed: -2_000,
      eta: 61_000,
      line: 'Progress: 0/1 (0 ✅, 0 ❌, 0 ⏭️) | Elapsed: 0s | ETA: ~1m 01s (estimate)',
    },
  ])('$case', ({ counts: statusCounts, elapsed, eta, line }) => {
    expect(progressLine(statusCounts, elapsed, eta)).toBe(line);
  });
});

/** 2026-11-28 14:30:00.123 UTC, and the same instant in other zones. */
const INSTANT = Date.UTC(2026, 10, 28, 14, 30, 0, 123);

describe('localIsoTimestamp', () => {
  it.each([
    { zone: 'UTC', at: INSTANT, text: '2026-11-28T14:30:00.123+00:00' },
    { zone: 'Europe/Berlin', at: INSTANT, text: '2026-11-28T15:30:00.123+01:00' },
    { zone: 'Europe/Berlin', at: Date.UTC(2026, 6, 1, 12, 0, 0, 5), text: '2026-07-01T14:00:00.005+02:00' },
    // The hour that happens twice when summer time ends: told apart by the offset.
    { zone: 'Europe/Berlin', at: Date.UTC(2026, 9, 25, 0, 30), text: '2026-10-25T02:30:00.000+02:00' },
    { zone: 'Europe/Berlin', at: Date.UTC(2026, 9, 25, 1, 30), text: '2026-10-25T02:30:00.000+01:00' },
    { zone: 'America/St_Johns', at: INSTANT, text: '2026-11-28T11:00:00.123-03:30' },
    { zone: 'Asia/Kathmandu', at: INSTANT, text: '2026-11-28T20:15:00.123+05:45' },
    { zone: 'Pacific/Kiritimati', at: INSTANT, text: '2026-11-29T04:30:00.123+14:00' },
    { zone: 'Pacific/Pago_Pago', at: INSTANT, text: '2026-11-28T03:30:00.123-11:00' },
    { zone: 'America/New_York', at: Date.UTC(2027, 0, 1, 3, 0, 0, 999), text: '2026-12-31T22:00:00.999-05:00' },
    { zone: 'Europe/Berlin', at: 0, text: '1970-01-01T01:00:00.000+01:00' },
    { zone: 'America/Los_Angeles', at: -1, text: '1969-12-31T15:59:59.999-08:00' },
  ])('$zone: $text', ({ zone, at, text }) => {
    inZone(zone);
    expect(localIsoTimestamp(new Date(at))).toBe(text);
    expect(parseTimestamp(text), 'reads back as the same instant').toBe(at);
  });

  it('refuses an invalid date rather than write "NaN" into a manifest', () => {
    expect(() => localIsoTimestamp(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('parseTimestamp', () => {
  it.each([
    // Naive times (the Python tool's `isoformat()`) are the local time of the zone they are read in.
    { zone: 'Europe/Berlin', text: '2025-10-02T11:50:46.204825', at: Date.UTC(2025, 9, 2, 9, 50, 46, 205) },
    { zone: 'America/New_York', text: '2025-10-02T11:50:46.204825', at: Date.UTC(2025, 9, 2, 15, 50, 46, 205) },
    { zone: 'UTC', text: '2025-10-02T11:50:46', at: Date.UTC(2025, 9, 2, 11, 50, 46) },
    { zone: 'UTC', text: '2025-10-02 11:50:46.5', at: Date.UTC(2025, 9, 2, 11, 50, 46, 500) },
    { zone: 'UTC', text: '2025-10-02T11:50', at: Date.UTC(2025, 9, 2, 11, 50) },
    { zone: 'UTC', text: '2025-10-02T11:50:46.9996', at: Date.UTC(2025, 9, 2, 11, 50, 47) },
    { zone: 'UTC', text: '2028-02-29T00:00:00', at: Date.UTC(2028, 1, 29) },
    { zone: 'UTC', text: '2000-02-29T00:00:00', at: Date.UTC(2000, 1, 29) },
    { zone: 'UTC', text: '0050-06-01T00:00:00', at: new Date(0).setUTCFullYear(50, 5, 1) },
    // A local time skipped when summer time starts is read as the moment an hour later.
    { zone: 'Europe/Berlin', text: '2026-03-29T02:30:00', at: Date.UTC(2026, 2, 29, 1, 30) },
    // With a zone, the zone counts, wherever it is read.
    { zone: 'Asia/Tokyo', text: '2026-11-28T15:30:00.123+01:00', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28T14:30:00.123Z', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28T14:30:00.123z', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28T15:30:00.123+0100', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28T15:30:00.123456+01:00', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28T11:00:00.123-03:30', at: INSTANT },
    { zone: 'Asia/Tokyo', text: '2026-11-28 15:30:00.123+01:00', at: INSTANT },
    // Not timestamps, or impossible ones.
    { zone: 'UTC', text: '', at: null },
    { zone: 'UTC', text: 'yesterday', at: null },
    { zone: 'UTC', text: '12', at: null },
    { zone: 'UTC', text: 'Nov 28 2026', at: null },
    { zone: 'UTC', text: '2026-11-28', at: null },
    { zone: 'UTC', text: ' 2026-11-28T14:30:00Z', at: null },
    { zone: 'UTC', text: '2026-13-01T00:00:00', at: null },
    { zone: 'UTC', text: '2026-00-01T00:00:00', at: null },
    { zone: 'UTC', text: '2026-11-00T00:00:00', at: null },
    { zone: 'UTC', text: '2026-02-30T10:00:00', at: null },
    { zone: 'UTC', text: '2026-02-29T10:00:00Z', at: null },
    { zone: 'UTC', text: '1900-02-29T10:00:00', at: null },
    { zone: 'UTC', text: '2026-04-31T10:00:00+02:00', at: null },
    { zone: 'UTC', text: '2026-11-28T24:00:00', at: null },
    { zone: 'UTC', text: '2026-11-28T15:60:00Z', at: null },
    { zone: 'UTC', text: '2026-11-28T15:30:60', at: null },
    { zone: 'UTC', text: '2026-11-28T15:30:00+24:00', at: null },
    { zone: 'UTC', text: '2026-11-28T15:30:00+01:60', at: null },
    { zone: 'UTC', text: '2026-11-28T15:30:00.1234567890Z', at: null },
  ])('$zone: $text → $at', ({ zone, text, at }) => {
    inZone(zone);
    expect(parseTimestamp(text)).toBe(at);
  });
});
