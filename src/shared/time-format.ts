import type { StatusCounts } from './batch-types';

/**
 * Local ISO-8601 time with its UTC offset (`2026-11-28T15:30:00.123+01:00`). The Python tool
 * wrote naive local times; `parseTimestamp` reads both.
 */
export function localIsoTimestamp(date: Date = new Date()): string {
  // As toISOString does: "NaN-NaN-…" in a manifest would read back as no time at all.
  if (Number.isNaN(date.getTime())) throw new RangeError('Invalid time value');
  const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`
  );
}

/**
 * ISO-8601 as this app, the Python tool (`datetime.isoformat()`, naive local time) and
 * JavaScript's `toISOString` write it: date, `T` or a space, time, optional fraction and zone.
 */
const ISO_TIMESTAMP =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})[T ](?<hour>\d{2}):(?<minute>\d{2})(?::(?<second>\d{2})(?:\.(?<fraction>\d{1,9}))?)?(?<zone>Z|(?<sign>[+-])(?<zoneHour>\d{2}):?(?<zoneMinute>\d{2}))?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Milliseconds since the epoch; naive timestamps (the Python tool's) are local time. Null for
 * anything else, impossible dates and times included (February 30, 25:00): Date.parse would
 * roll those over, and read "12" as December 2001, but a manifest or lock file may be damaged
 * or edited by hand, and no time is better than a wrong one.
 */
export function parseTimestamp(value: string): number | null {
  const groups = ISO_TIMESTAMP.exec(value)?.groups;
  if (!groups) return null;
  const n = (name: string) => Number(groups[name] ?? 0);
  const t = { year: n('year'), month: n('month'), day: n('day'), hour: n('hour'), minute: n('minute'), second: n('second') };
  const zone = { hours: n('zoneHour'), minutes: n('zoneMinute') };
  const valid =
    t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= daysInMonth(t.year, t.month) &&
    t.hour <= 23 && t.minute <= 59 && t.second <= 59 && zone.hours <= 23 && zone.minutes <= 59;
  if (!valid) return null;
  const ms = Math.round(Number(`0.${groups['fraction'] ?? '0'}`) * 1000);
  // setFullYear, not the Date constructor, which would read the years 0-99 as 1900-1999.
  const date = new Date(0);
  if (groups['zone'] === undefined) {
    date.setFullYear(t.year, t.month - 1, t.day);
    date.setHours(t.hour, t.minute, t.second, ms);
    return date.getTime();
  }
  date.setUTCFullYear(t.year, t.month - 1, t.day);
  date.setUTCHours(t.hour, t.minute, t.second, ms);
  return date.getTime() - (groups['sign'] === '-' ? -1 : 1) * (zone.hours * 60 + zone.minutes) * 60_000;
}

/** `5s`, `3m 07s`, `2h 05m`; `—` for what is not a duration (NaN, infinite). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** The seed's progress line: `Progress: 15/26 (15 ✅, 0 ❌, 0 ⏭️) | Elapsed: 5s | ETA: 3s`. */
export function progressLine(counts: StatusCounts, elapsedMs: number, etaMs: number | null): string {
  const done = counts.complete + counts.failed + counts.skipped;
  const eta = etaMs === null ? 'estimating…' : `~${formatDuration(etaMs)} (estimate)`;
  return (
    `Progress: ${done}/${counts.total} (${counts.complete} ✅, ${counts.failed} ❌, ${counts.skipped} ⏭️)` +
    ` | Elapsed: ${formatDuration(elapsedMs)} | ETA: ${eta}`
  );
}
