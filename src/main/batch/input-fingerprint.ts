import { promises as fs, statSync } from 'node:fs';
import type { InputFingerprint } from '../../shared/batch-types';

/** A deck's size and modification time, which change when it is saved over; null when it cannot be read. */
export async function fingerprintOf(file: string): Promise<InputFingerprint | null> {
  try {
    const stat = await fs.stat(file);
    return { size: stat.size, mtime_ms: Math.trunc(stat.mtimeMs) };
  } catch {
    return null;
  }
}

/** `fingerprintOf`, synchronously: for a thread that reads one deck at a time (dry-run-thread.ts). */
export function fingerprintOfSync(file: string): InputFingerprint | null {
  try {
    const stat = statSync(file);
    return { size: stat.size, mtime_ms: Math.trunc(stat.mtimeMs) };
  } catch {
    return null;
  }
}

export function sameFingerprint(a: InputFingerprint, b: InputFingerprint): boolean {
  return a.size === b.size && a.mtime_ms === b.mtime_ms;
}
