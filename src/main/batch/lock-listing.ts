/**
 * What `altgen locks --directory D [--clean-stale]` shows and cleans: our lock directories
 * (`*.lock`, see file-locks.ts) and PowerPoint's owner files (`~$deck.pptx`), which are listed
 * but never removed: PowerPoint may still have the deck open.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { hasPowerPointOwnerFiles } from '../../shared/deck-extensions';
import { formatDuration, parseTimestamp } from '../../shared/time-format';
import { LEGACY_FALLBACK_LOCK_DIR_NAME, STATE_DIR_NAME } from './batch-folder';
import {
  DEFAULT_STALE_MS,
  deckForOwnerFile,
  describeHolder,
  inspectLock,
  readOwnerFileUser,
  removeStaleLock,
  type LockHolder,
  type LockState,
} from './file-locks';

export type LockKind = 'altgen-lock' | 'powerpoint-owner';

export interface LockInfo {
  readonly kind: LockKind;
  /** The lock directory or the owner file. */
  readonly path: string;
  /** The locked file. */
  readonly target: string;
  /** Since the lock was taken (its holder's start, else its last refresh) or the owner file written. */
  readonly ageMs: number;
  /** For altgen locks whose holder file is readable; always null for owner files. */
  readonly holder: LockHolder | null;
  readonly state: LockState;
  /** The user PowerPoint recorded in an owner file; null for altgen locks or if unreadable. */
  readonly ownerUser: string | null;
  /** Why the lock counts as stale; null while it is active. */
  readonly reason: string | null;
}

export interface ListLocksOptions {
  /** Default: acquireLock's (10 s). */
  readonly staleMs?: number;
  /**
   * Default true. An output folder's own locks (`.altgen/`, its `locks/`, and `.altgen-locks` of
   * the layout before it) directly inside the folder are searched either way.
   */
  readonly recursive?: boolean;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/** Locks and owner files in `dir`, sorted by path (code points, not locale). Unreadable subfolders are skipped. */
export async function listLocks(dir: string, opts: ListLocksOptions = {}): Promise<LockInfo[]> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const recursive = opts.recursive ?? true;
  const now = Date.now();
  const found: LockInfo[] = [];

  const visit = async (folder: string, entries: Dirent[]): Promise<void> => {
    const names = entries.map((entry) => entry.name);
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name.endsWith('.lock')) {
        const lock = await describeLockDirectory(full, staleMs, now);
        if (lock) found.push(lock);
      } else if (entry.isFile() && isPowerPointOwnerFileName(entry.name)) {
        const owner = await describeOwnerFile(folder, entry.name, names, now);
        if (owner) found.push(owner);
      } else if (entry.isDirectory() && shouldDescend(folder, entry.name, recursive)) {
        const children = await readdir(full, { withFileTypes: true }).catch(() => null);
        if (children) await visit(full, children);
      }
    }
  };

  await visit(path.resolve(dir), await readdir(path.resolve(dir), { withFileTypes: true }));
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface CleanResult {
  readonly removed: LockInfo[];
  /** Active locks, owner files, and stale locks refreshed before they could be removed. */
  readonly kept: LockInfo[];
}

/**
 * Removes stale altgen locks with their holder files. Each is checked again right before it is
 * removed, so a lock that its holder refreshed (or a new lock made) meanwhile stays. Locks that
 * vanished meanwhile appear in neither list.
 */
export async function cleanStaleLocks(dir: string, opts: ListLocksOptions = {}): Promise<CleanResult> {
  const staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
  const removed: LockInfo[] = [];
  const kept: LockInfo[] = [];
  for (const lock of await listLocks(dir, opts)) {
    if (lock.kind !== 'altgen-lock' || lock.state !== 'stale') {
      kept.push(lock);
      continue;
    }
    const outcome = await removeStaleLock(lock.path, staleMs);
    if (outcome === 'removed') removed.push(lock);
    else if (outcome === 'not-stale') kept.push(lock);
  }
  return { removed, kept };
}

/** A plain-text table for the CLI; `now` decides whether holders' start dates are shown. */
export function formatLockTable(locks: readonly LockInfo[], now: number): string {
  if (locks.length === 0) return 'No altgen locks or PowerPoint owner files found.';
  const withReasons = locks.some((lock) => lock.reason !== null);
  const rows = locks.map((lock) => [
    lock.state,
    formatDuration(lock.ageMs),
    lock.kind === 'altgen-lock' ? 'altgen' : 'PowerPoint',
    lock.kind === 'altgen-lock' ? describeHolder(lock.holder, now) : (lock.ownerUser ?? 'unknown user'),
    ...(withReasons ? [lock.reason ?? ''] : []),
    lock.target,
  ]);
  const header = ['STATE', 'AGE', 'KIND', 'HOLDER', ...(withReasons ? ['WHY STALE'] : []), 'FILE'];
  const table = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const lines = table.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const stale = locks.filter((lock) => lock.state === 'stale' && lock.kind === 'altgen-lock').length;
  const hint = stale > 0 ? `\n${stale} stale altgen lock(s): remove them with --clean-stale.` : '';
  return `${lines.join('\n')}${hint}`;
}

function shouldDescend(folder: string, name: string, recursive: boolean): boolean {
  if (name === STATE_DIR_NAME || name === LEGACY_FALLBACK_LOCK_DIR_NAME) return true;
  if (path.basename(folder) === STATE_DIR_NAME) return name === 'locks';
  return recursive && !name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name);
}

/** `deck.pptx.lock` locks `deck.pptx`; a batch's lock in `.altgen/` locks the manifest in the folder above. */
function lockedFileOf(lockPath: string): string {
  const locked = lockPath.slice(0, -'.lock'.length);
  const folder = path.dirname(locked);
  return path.basename(folder) === STATE_DIR_NAME ? path.join(path.dirname(folder), path.basename(locked)) : locked;
}

/** The folders whose locks stand for decks elsewhere (file-locks.ts `fallbackLockPath`). */
function isFallbackLockFolder(folder: string): boolean {
  const name = path.basename(folder);
  return name === LEGACY_FALLBACK_LOCK_DIR_NAME || (name === 'locks' && path.basename(path.dirname(folder)) === STATE_DIR_NAME);
}

function isPowerPointOwnerFileName(name: string): boolean {
  return name.startsWith('~$') && hasPowerPointOwnerFiles(name);
}

/** proper-lockfile's lock directories are empty; a `*.lock` folder with files in it is not ours. */
async function describeLockDirectory(lockPath: string, staleMs: number, now: number): Promise<LockInfo | null> {
  const contents = await readdir(lockPath).catch(() => null);
  if (contents === null || contents.length > 0) return null;
  const seen = await inspectLock(lockPath, staleMs, now).catch(() => null);
  if (!seen) return null;
  const startedAt = seen.holder ? parseTimestamp(seen.holder.started_at) : null;
  const inFallbackFolder = isFallbackLockFolder(path.dirname(lockPath));
  return {
    kind: 'altgen-lock',
    path: lockPath,
    target: (inFallbackFolder ? seen.holder?.target : undefined) ?? lockedFileOf(lockPath),
    ageMs: Math.max(0, now - (startedAt ?? seen.stat.mtimeMs)),
    holder: seen.holder,
    state: seen.state,
    ownerUser: null,
    reason: seen.reason,
  };
}

async function describeOwnerFile(
  folder: string,
  name: string,
  siblingNames: readonly string[],
  now: number,
): Promise<LockInfo | null> {
  const ownerPath = path.join(folder, name);
  const ownerStat = await stat(ownerPath).catch(() => null);
  if (!ownerStat) return null;
  const deck = deckForOwnerFile(name, siblingNames);
  return {
    kind: 'powerpoint-owner',
    path: ownerPath,
    target: path.join(folder, deck ?? name.slice(2)),
    ageMs: Math.max(0, now - ownerStat.mtimeMs),
    holder: null,
    state: deck ? 'active' : 'stale',
    ownerUser: await readOwnerFileUser(ownerPath),
    reason: deck ? null : 'the deck beside it is gone',
  };
}
