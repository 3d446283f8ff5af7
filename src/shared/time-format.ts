import type { StatusCounts } from './batch-types';

/**
 * Local ISO-8601 time with its UTC offset (`2026-11-28T15:30:00.123+01:00`). The Python tool
 * wrote naive local times; `parseTimestamp` reads both.
 */
export function localIsoTimestamp(date: Date = new Date()): string {
  const pad = (n: number, width = 2) => String(Math.trunc(Math.abs(n))).padStart(width, '0');
  const offsetMinutes = -date.getTimezoneOffset();
  const sign = offsetMinutes >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}` +
    `${sign}${pad(offsetMinutes / 60)}:${pad(offsetMinutes % 60)}`
  );
}

const NAIVE_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/** Milliseconds since the epoch; naive timestamps (the Python tool's) are local time. */
export function parseTimestamp(value: string): number | null {
  const naive = NAIVE_ISO.exec(value);
  if (naive) {
    const [, y, mo, d, h, mi, s, frac = '0'] = naive;
    const ms = Math.round(Number(`0.${frac}`) * 1000);
    return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms).getTime();
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** `5s`, `3m 07s`, `2h 05m`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.round(ms / 1000));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * ETA from the durations of files completed in this run, divided by the workers that run at
 * once. Null before the first completion: no guess is better than a wrong one.
 */
export function estimateRemainingMs(
  completedDurationsMs: readonly number[],
  remainingFiles: number,
  workers: number,
): number | null {
  if (completedDurationsMs.length === 0) return null;
  if (remainingFiles <= 0) return 0;
  const mean = completedDurationsMs.reduce((sum, d) => sum + d, 0) / completedDurationsMs.length;
  const parallel = Math.max(1, Math.min(workers, remainingFiles));
  return (mean * remainingFiles) / parallel;
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
