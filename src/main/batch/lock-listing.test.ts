import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchLockPathFor, fallbackLockDirOf } from './batch-folder';
import { acquireLock, fallbackLockPath, holderPathOf, type LockHolder, type ReleaseLock } from './file-locks';
import { cleanStaleLocks, formatLockTable, listLocks, type LockInfo } from './lock-listing';

let root: string;
let releaseActive: ReleaseLock;

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

async function writeLock(lockfilePath: string, holder: Partial<LockHolder>, refreshedAt = new Date()): Promise<void> {
  await mkdir(path.dirname(lockfilePath), { recursive: true });
  await mkdir(lockfilePath);
  await writeFile(
    holderPathOf(lockfilePath),
    JSON.stringify({ pid: 4242, hostname: 'other-host', user: 'bob', started_at: new Date().toISOString(), ...holder }),
  );
  await utimes(lockfilePath, refreshedAt, refreshedAt);
}

/** PowerPoint's owner-file layout: length byte + ANSI name, then length word + UTF-16LE at 55. */
function ownerFileBytes(user: string): Buffer {
  const bytes = Buffer.alloc(165, 0x20);
  bytes[0] = user.length;
  bytes.write(user, 1, 'latin1');
  bytes[1 + user.length] = 0;
  bytes.writeUInt16LE(user.length, 55);
  bytes.write(user, 57, 'utf16le');
  return bytes;
}

const hourAgo = () => new Date(Date.now() - 60 * 60_000);

/**
 * root/
 *   active.pptx            locked by this process                      active
 *   foreign.pptx.lock      fresh, held on another host                 active
 *   open.pptx + ~$open.pptx   open in PowerPoint                       active owner file
 *   ~$gone.pptx            owner file whose deck is gone               stale owner file
 *   notes.txt.lock         a plain file, not one of our locks          ignored
 *   data.lock/keep.txt     a folder with files, not one of our locks   ignored
 *   sub/dead.pptx.lock     holder pid on this host no longer runs      stale
 *   sub/old.pptx.lock      not refreshed for an hour                   stale
 *   .altgen-locks/<hash>.lock  fallback lock of a dead holder          stale
 *   node_modules/pkg/x.pptx.lock, .git/y.lock                          skipped
 */
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'altgen-lock-listing-'));
  const dead = await deadPid();
  await writeFile(path.join(root, 'active.pptx'), 'pptx');
  releaseActive = await acquireLock(path.join(root, 'active.pptx'), { waitMs: 0 });
  await writeLock(path.join(root, 'foreign.pptx.lock'), {});
  await writeFile(path.join(root, 'open.pptx'), 'pptx');
  await writeFile(path.join(root, '~$open.pptx'), ownerFileBytes('Dr. Ada'));
  await writeFile(path.join(root, '~$gone.pptx'), ownerFileBytes('Dr. Ada'));
  await writeFile(path.join(root, 'notes.txt.lock'), '');
  await mkdir(path.join(root, 'data.lock'));
  await writeFile(path.join(root, 'data.lock', 'keep.txt'), 'not a lock');
  await utimes(path.join(root, 'data.lock'), hourAgo(), hourAgo());
  await writeLock(path.join(root, 'sub', 'dead.pptx.lock'), { pid: dead, hostname: os.hostname() });
  await writeLock(path.join(root, 'sub', 'old.pptx.lock'), { started_at: new Date(Date.now() - 90 * 60_000).toISOString() }, hourAgo());
  await writeLock(fallbackLockPath('/readonly/share/fallback.pptx', path.join(root, '.altgen-locks')), {
    pid: dead,
    hostname: os.hostname(),
    target: '/readonly/share/fallback.pptx',
  });
  await writeLock(path.join(root, 'node_modules', 'pkg', 'x.pptx.lock'), {}, hourAgo());
  await writeLock(path.join(root, '.git', 'y.lock'), {}, hourAgo());
});

afterEach(async () => {
  await releaseActive();
  await rm(root, { recursive: true, force: true });
});

const summary = (locks: readonly LockInfo[]) =>
  locks.map((lock) => ({
    path: path.relative(root, lock.path),
    kind: lock.kind,
    state: lock.state,
    target: lock.target.startsWith(root) ? path.relative(root, lock.target) : lock.target,
  }));

describe('listLocks', () => {
  it('finds lock directories and PowerPoint owner files, active and stale, in subfolders too', async () => {
    const locks = await listLocks(root);

    expect(summary(locks)).toEqual([
      {
        path: path.relative(root, fallbackLockPath('/readonly/share/fallback.pptx', path.join(root, '.altgen-locks'))),
        kind: 'altgen-lock',
        state: 'stale',
        target: '/readonly/share/fallback.pptx',
      },
      { path: 'active.pptx.lock', kind: 'altgen-lock', state: 'active', target: 'active.pptx' },
      { path: 'foreign.pptx.lock', kind: 'altgen-lock', state: 'active', target: 'foreign.pptx' },
      { path: path.join('sub', 'dead.pptx.lock'), kind: 'altgen-lock', state: 'stale', target: path.join('sub', 'dead.pptx') },
      { path: path.join('sub', 'old.pptx.lock'), kind: 'altgen-lock', state: 'stale', target: path.join('sub', 'old.pptx') },
      { path: '~$gone.pptx', kind: 'powerpoint-owner', state: 'stale', target: 'gone.pptx' },
      { path: '~$open.pptx', kind: 'powerpoint-owner', state: 'active', target: 'open.pptx' },
    ]);
  });

  it('says who holds each lock, how old it is and why it counts as stale', async () => {
    const locks = await listLocks(root);
    const byPath = (relative: string) => locks.find((lock) => lock.path === path.join(root, relative));

    expect(byPath('active.pptx.lock')).toMatchObject({ holder: { pid: process.pid, hostname: os.hostname() }, reason: null });
    expect(byPath(path.join('sub', 'dead.pptx.lock'))?.reason).toMatch(/^pid \d+ is no longer running$/);
    expect(byPath(path.join('sub', 'old.pptx.lock'))?.reason).toBe('not refreshed for 1h 00m');
    expect(byPath(path.join('sub', 'old.pptx.lock'))?.ageMs).toBeGreaterThanOrEqual(90 * 60_000);
    expect(byPath('~$open.pptx')).toMatchObject({ holder: null, ownerUser: 'Dr. Ada', reason: null });
    expect(byPath('~$gone.pptx')?.reason).toBe('the deck beside it is gone');
  });

  it('stays in the folder itself (and its .altgen-locks) when not recursive', async () => {
    const locks = await listLocks(root, { recursive: false });

    expect(locks.some((lock) => lock.path.includes(`${path.sep}sub${path.sep}`))).toBe(false);
    expect(locks.some((lock) => lock.path.includes('.altgen-locks'))).toBe(true);
    expect(locks.some((lock) => lock.path.endsWith('active.pptx.lock'))).toBe(true);
  });

  it('finds an output folder\'s own locks in .altgen/ (the batch\'s, and those of read-only folders\' decks) when not recursive', async () => {
    const dead = await deadPid();
    const manifest = path.join(root, 'batch_20260101_120000_abcdef12_manifest.json');
    await writeLock(batchLockPathFor(manifest), { pid: dead, hostname: os.hostname() });
    await writeLock(fallbackLockPath('/readonly/share/moved.pptx', fallbackLockDirOf(root)), { pid: dead, hostname: os.hostname(), target: '/readonly/share/moved.pptx' });

    const locks = summary(await listLocks(root, { recursive: false })).filter((lock) => lock.path.startsWith('.altgen/'));

    expect(locks).toEqual([
      { path: path.relative(root, batchLockPathFor(manifest)), kind: 'altgen-lock', state: 'stale', target: path.basename(manifest) },
      { path: path.relative(root, fallbackLockPath('/readonly/share/moved.pptx', fallbackLockDirOf(root))), kind: 'altgen-lock', state: 'stale', target: '/readonly/share/moved.pptx' },
    ]);
  });

  it('counts a lock as stale only after staleMs without a refresh', async () => {
    const lock = path.join(root, 'recent.pptx.lock');
    await writeLock(lock, {}, new Date(Date.now() - 30_000));

    const lenient = await listLocks(root, { staleMs: 60_000 });
    const strict = await listLocks(root, { staleMs: 10_000 });

    expect(lenient.find((info) => info.path === lock)?.state).toBe('active');
    expect(strict.find((info) => info.path === lock)?.state).toBe('stale');
  });
});

describe('cleanStaleLocks', () => {
  it('removes stale altgen locks with their holder files and keeps active locks and owner files', async () => {
    const staleLocks = [
      path.join(root, 'sub', 'dead.pptx.lock'),
      path.join(root, 'sub', 'old.pptx.lock'),
      fallbackLockPath('/readonly/share/fallback.pptx', path.join(root, '.altgen-locks')),
    ];

    const { removed, kept } = await cleanStaleLocks(root);

    expect(removed.map((lock) => lock.path).sort()).toEqual([...staleLocks].sort());
    expect(kept.map((lock) => path.relative(root, lock.path))).toEqual([
      'active.pptx.lock',
      'foreign.pptx.lock',
      '~$gone.pptx',
      '~$open.pptx',
    ]);
    for (const lock of staleLocks) {
      expect(await exists(lock)).toBe(false);
      expect(await exists(holderPathOf(lock))).toBe(false);
    }
    expect(await exists(path.join(root, 'active.pptx.lock'))).toBe(true);
    expect(await exists(holderPathOf(path.join(root, 'active.pptx.lock')))).toBe(true);
    expect(await exists(path.join(root, 'foreign.pptx.lock'))).toBe(true);
    expect(await exists(path.join(root, '~$gone.pptx'))).toBe(true);
    expect(await exists(path.join(root, '~$open.pptx'))).toBe(true);
    expect(await exists(path.join(root, 'node_modules', 'pkg', 'x.pptx.lock'))).toBe(true);
    expect(await exists(path.join(root, 'data.lock', 'keep.txt'))).toBe(true);
  });

  it('leaves nothing more to clean the second time', async () => {
    await cleanStaleLocks(root);

    const { removed } = await cleanStaleLocks(root);

    expect(removed).toEqual([]);
  });
});

describe('formatLockTable', () => {
  const now = new Date(2026, 10, 28, 14, 30).getTime();
  const lock = (overrides: Partial<LockInfo>): LockInfo => ({
    kind: 'altgen-lock',
    path: '/decks/a.pptx.lock',
    target: '/decks/a.pptx',
    ageMs: 125_000,
    holder: { pid: 123, hostname: 'lab-mac', user: 'ada', started_at: new Date(2026, 10, 28, 14, 2).toISOString() },
    state: 'active',
    ownerUser: null,
    reason: null,
    ...overrides,
  });

  it('says so explicitly when there is nothing', () => {
    expect(formatLockTable([], now)).toBe('No altgen locks or PowerPoint owner files found.');
  });

  it('prints one aligned row per lock with age, holder, state and the locked file', () => {
    const text = formatLockTable(
      [
        lock({}),
        lock({ path: '/decks/b.pptx.lock', target: '/decks/b.pptx', state: 'stale', ageMs: 3_600_000, reason: 'pid 77 is no longer running', holder: null }),
        lock({ kind: 'powerpoint-owner', path: '/decks/~$c.pptx', target: '/decks/c.pptx', ageMs: 5_000, holder: null, ownerUser: 'Dr. Ada' }),
      ],
      now,
    );
    const lines = text.split('\n');

    expect(lines[0]).toMatch(/^STATE\s+AGE\s+KIND\s+HOLDER\s+WHY STALE\s+FILE$/);
    expect(lines[1]).toMatch(/^active\s+2m 05s\s+altgen\s+pid 123 on lab-mac, since 14:02\s+\/decks\/a\.pptx$/);
    expect(lines[2]).toMatch(/^stale\s+1h 00m\s+altgen\s+holder unknown\s+pid 77 is no longer running\s+\/decks\/b\.pptx$/);
    expect(lines[3]).toMatch(/^active\s+5s\s+PowerPoint\s+Dr\. Ada\s+\/decks\/c\.pptx$/);
    const fileColumn = lines[0]?.indexOf('FILE');
    expect(lines.slice(1, 4).map((line) => line.indexOf('/decks/'))).toEqual([fileColumn, fileColumn, fileColumn]);
    expect(lines[4]).toBe('1 stale altgen lock(s): remove them with --clean-stale.');
  });

  it('shows the date of holders that started on another day', () => {
    const text = formatLockTable([lock({ holder: { pid: 5, hostname: 'h', user: 'u', started_at: new Date(2026, 10, 27, 9, 5).toISOString() } })], now);

    expect(text).toContain('pid 5 on h, since 2026-11-27 09:05');
  });
});
