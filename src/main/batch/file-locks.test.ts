import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startZombie } from './testing/zombie';
import {
  acquireLock,
  fallbackLockPath,
  findPowerPointOwner,
  holderPathOf,
  inspectLock,
  lockInput,
  LockedError,
  parseOwnerFileUser,
  type LockHolder,
} from './file-locks';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

let tmp: string;
const children: ChildProcess[] = [];
const cleanups: Array<() => void> = [];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'altgen-file-locks-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
  await rm(tmp, { recursive: true, force: true });
});

/** A real second process that takes the lock with this module and holds it until killed. */
async function startHolder(target: string, staleMs = 10_000): Promise<ChildProcess> {
  const script = path.join(tmp, `holder-${children.length}.mts`);
  const moduleUrl = pathToFileURL(path.join(here, 'file-locks.ts')).href;
  await writeFile(
    script,
    [
      `import { acquireLock } from ${JSON.stringify(moduleUrl)};`,
      `await acquireLock(process.argv[2], { waitMs: 0, staleMs: Number(process.argv[3]) });`,
      `process.stdout.write('locked\\n');`,
      `setInterval(() => {}, 60_000);`,
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, target, String(staleMs)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('locked\n')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking: ${stderr}`)));
  });
  return child;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** The pid of a process that has exited (and, within a test's time, not been reused). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('no pid');
  return child.pid;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function readHolder(lockfilePath: string): Promise<LockHolder> {
  return JSON.parse(await readFile(holderPathOf(lockfilePath), 'utf8')) as LockHolder;
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function writeForeignLock(lockfilePath: string, holder: Partial<LockHolder>, mtime: Date): Promise<void> {
  await mkdir(lockfilePath);
  await writeFile(
    holderPathOf(lockfilePath),
    JSON.stringify({ pid: 4242, hostname: 'other-host', user: 'bob', started_at: new Date().toISOString(), ...holder }),
  );
  await utimes(lockfilePath, mtime, mtime);
}

describe('acquireLock', () => {
  it('creates the lock directory, records the holder beside it and removes both on release', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const release = await acquireLock(target, { waitMs: 0, purpose: 'batch 20260101_120000_abcdef12' });

    expect((await stat(`${target}.lock`)).isDirectory()).toBe(true);
    const holder = await readHolder(`${target}.lock`);
    expect(holder).toMatchObject({
      pid: process.pid,
      hostname: os.hostname(),
      purpose: 'batch 20260101_120000_abcdef12',
      target,
    });
    expect(holder.user.length).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(holder.started_at))).toBe(false);

    await release();
    expect(await exists(`${target}.lock`)).toBe(false);
    expect(await exists(holderPathOf(`${target}.lock`))).toBe(false);
  });

  it('fails with ELOCKED naming the holding process once waitMs has passed', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const child = await startHolder(target);

    const started = Date.now();
    const error = await acquireLock(target, { waitMs: 600 }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(LockedError);
    const locked = error as LockedError;
    expect(locked.code).toBe('ELOCKED');
    expect(locked.message).toMatch(
      new RegExp(`^deck\\.pptx is locked by another process \\(pid ${child.pid} on ${os.hostname()}, since \\d\\d:\\d\\d\\)$`),
    );
    expect(locked.holder?.pid).toBe(child.pid);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('waits while another process holds the lock and takes it when that process stops', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const child = await startHolder(target);

    const acquiring = acquireLock(target, { waitMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopProcess(child, 'SIGTERM');
    const release = await acquiring;

    expect((await readHolder(`${target}.lock`)).pid).toBe(process.pid);
    await release();
  });

  it('removes the lock and its holder file when the holding process is terminated', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const child = await startHolder(target);
    expect(await exists(holderPathOf(`${target}.lock`))).toBe(true);

    await stopProcess(child, 'SIGTERM');

    expect(await exists(`${target}.lock`)).toBe(false);
    expect(await exists(holderPathOf(`${target}.lock`))).toBe(false);
  });

  it('takes over at once, well before staleMs, a lock whose holder was killed with SIGKILL', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const child = await startHolder(target, 120_000);
    await stopProcess(child, 'SIGKILL');
    expect(await exists(`${target}.lock`)).toBe(true);
    expect((await readHolder(`${target}.lock`)).pid).toBe(child.pid);

    const started = Date.now();
    const release = await acquireLock(target, { waitMs: 40_000, staleMs: 120_000 });

    // Waiting for staleness would take 120 s, and would time out at 40 s: a generous bound,
    // since CI's cores may be busy.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect((await readHolder(`${target}.lock`)).pid).toBe(process.pid);
    await release();
  });

  it('removes the holder file a process died writing (under its temporary name) when it takes the lock over', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const dead = await deadPid();
    // Killed between mkdir and renaming its holder file into place: a lock with no holder yet.
    await mkdir(`${target}.lock`);
    const half = `${holderPathOf(`${target}.lock`)}.${dead}.tmp`;
    await writeFile(half, '{"pid": ');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${target}.lock`, old, old);
    // A live writer's temporary file is left alone.
    const live = `${holderPathOf(`${target}.lock`)}.${process.ppid}.tmp`;
    await writeFile(live, '{}');

    const release = await acquireLock(target, { waitMs: 0, staleMs: 2_000 });
    await release();

    expect(await exists(half)).toBe(false);
    expect(await exists(live)).toBe(true);
  });

  it('takes over a lock that has not been refreshed for staleMs', async () => {
    const target = path.join(tmp, 'deck.pptx');
    await writeForeignLock(`${target}.lock`, {}, new Date(Date.now() - 60_000));

    const release = await acquireLock(target, { waitMs: 0, staleMs: 2_000 });

    expect((await readHolder(`${target}.lock`)).pid).toBe(process.pid);
    await release();
  });

  it('waits for a fresh lock held on another host, whose pid it cannot check', async () => {
    const target = path.join(tmp, 'deck.pptx');
    await writeForeignLock(`${target}.lock`, { pid: await deadPid() }, new Date());

    const error = await acquireLock(target, { waitMs: 300 }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(LockedError);
    expect((error as Error).message).toContain('on other-host');
  });

  it('does not take over a lock this process holds', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const release = await acquireLock(target, { waitMs: 0 });

    const error = await acquireLock(target, { waitMs: 200 }).catch((err: unknown) => err);

    expect((error as LockedError).code).toBe('ELOCKED');
    expect((error as LockedError).holder?.pid).toBe(process.pid);
    await release();
  });

  it.runIf(process.platform === 'linux')('takes over at once a lock whose holder is a zombie (exited, never reaped)', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const zombie = await startZombie();
    try {
      await writeForeignLock(`${target}.lock`, { pid: zombie.pid, hostname: os.hostname() }, new Date());
      expect(await inspectLock(`${target}.lock`)).toMatchObject({ state: 'stale', reason: `pid ${zombie.pid} is no longer running` });
      const release = await acquireLock(target, { waitMs: 0 });
      expect((await readHolder(`${target}.lock`)).pid).toBe(process.pid);
      await release();
    } finally {
      zombie.parent.kill('SIGKILL');
    }
  });

  it('treats a holder file naming this pid as dead when this process does not hold the lock', async () => {
    // A container restarted after a crash often gets the same pid again.
    const target = path.join(tmp, 'deck.pptx');
    await writeForeignLock(`${target}.lock`, { pid: process.pid, hostname: os.hostname() }, new Date());

    const release = await acquireLock(target, { waitMs: 0 });
    await release();
  });

  it('does not trust a holder file older than the lock directory beside it', async (ctx) => {
    const target = path.join(tmp, 'deck.pptx');
    const lockfilePath = `${target}.lock`;
    const orphanedAt = new Date(Date.now() - 60_000);
    await writeFile(
      holderPathOf(lockfilePath),
      JSON.stringify({ pid: await deadPid(), hostname: os.hostname(), user: 'x', started_at: orphanedAt.toISOString() }),
    );
    await utimes(holderPathOf(lockfilePath), orphanedAt, orphanedAt);
    await mkdir(lockfilePath);
    if ((await stat(lockfilePath)).birthtimeMs === 0) ctx.skip('this file system does not record creation times');

    const error = await acquireLock(target, { waitMs: 200 }).catch((err: unknown) => err);

    expect((error as LockedError).code).toBe('ELOCKED');
    expect((error as LockedError).holder).toBeNull();
    expect((error as Error).message).toContain('holder unknown');
  });

  it('keeps the process running and calls onCompromised when the held lock is deleted', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const compromised: Error[] = [];
    const release = await acquireLock(target, { waitMs: 0, staleMs: 2_000, onCompromised: (err) => compromised.push(err) });

    await rmdir(`${target}.lock`);
    await eventually(() => compromised.length > 0);

    expect((compromised[0] as NodeJS.ErrnoException).code).toBe('ECOMPROMISED');
    await eventually(async () => !(await exists(holderPathOf(`${target}.lock`))));
    await expect(release()).resolves.toBeUndefined();
  });

  it('survives a compromised lock without an onCompromised callback', async () => {
    // proper-lockfile's default is to throw from a timer, which would end the test run.
    const target = path.join(tmp, 'deck.pptx');
    const release = await acquireLock(target, { waitMs: 0, staleMs: 2_000 });

    await rmdir(`${target}.lock`);
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    await expect(release()).resolves.toBeUndefined();
  });

  it('survives an onCompromised callback that throws', async () => {
    const target = path.join(tmp, 'deck.pptx');
    let called = false;
    const release = await acquireLock(target, {
      waitMs: 0,
      staleMs: 2_000,
      onCompromised: () => {
        called = true;
        throw new Error('careless callback');
      },
    });

    await rmdir(`${target}.lock`);
    await eventually(() => called);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await expect(release()).resolves.toBeUndefined();
  });

  it('leaves alone a lock another process took over while this one stalled', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const lockfilePath = `${target}.lock`;
    const compromised: Error[] = [];
    const release = await acquireLock(target, { waitMs: 0, staleMs: 2_000, onCompromised: (err) => compromised.push(err) });
    // What a process that found the lock stale does: remove it, make its own, record itself.
    await unlink(holderPathOf(lockfilePath));
    await rmdir(lockfilePath);
    await writeForeignLock(lockfilePath, { hostname: 'other-host', pid: 4242 }, new Date());

    await release();

    expect(await exists(lockfilePath)).toBe(true);
    expect((await readHolder(lockfilePath)).hostname).toBe('other-host');
    await eventually(() => compromised.length > 0);
  });

  it('releases idempotently, also when the lock was already removed', async () => {
    const target = path.join(tmp, 'deck.pptx');
    const first = await acquireLock(target, { waitMs: 0 });
    await first();
    await expect(first()).resolves.toBeUndefined();

    const second = await acquireLock(target, { waitMs: 0 });
    await unlink(holderPathOf(`${target}.lock`));
    await rmdir(`${target}.lock`);
    await expect(second()).resolves.toBeUndefined();
    await expect(second()).resolves.toBeUndefined();

    const third = await acquireLock(target, { waitMs: 0 });
    await third();
  });
});

/**
 * Makes `dir` refuse new entries, also for root (for whom chmod does not): chmod 0555 first,
 * else `chattr +i`. Returns the undo, or null if neither works here.
 */
function makeReadOnly(dir: string): (() => void) | null {
  const chattr = (flag: string) => {
    const result = spawnSync('chattr', [flag, dir]);
    if (result.status !== 0) throw new Error(`chattr ${flag} failed`);
  };
  const ways: Array<[apply: () => void, undo: () => void]> = [
    [() => chmodSync(dir, 0o555), () => chmodSync(dir, 0o755)],
    [() => chattr('+i'), () => chattr('-i')],
  ];
  for (const [apply, undo] of ways) {
    try {
      apply();
    } catch {
      continue;
    }
    try {
      mkdirSync(path.join(dir, 'probe.lock'));
      rmdirSync(path.join(dir, 'probe.lock'));
      undo();
    } catch {
      return undo;
    }
  }
  return null;
}

describe('lockInput', () => {
  it('locks the deck with a lock directory beside it', async () => {
    const deck = path.join(tmp, 'deck.pptx');
    await writeFile(deck, 'pptx');
    const messages: string[] = [];

    const release = await lockInput(deck, {
      waitSeconds: 0,
      fallbackLockDir: path.join(tmp, 'out', '.altgen-locks'),
      onFallback: (message) => messages.push(message),
    });

    expect((await stat(`${deck}.lock`)).isDirectory()).toBe(true);
    expect(await exists(path.join(tmp, 'out'))).toBe(false);
    expect(messages).toEqual([]);
    await release();
  });

  it('locks decks of a read-only folder in the fallback folder and says so once per folder', async (ctx) => {
    const inputs = path.join(tmp, 'readonly-input');
    await mkdir(inputs);
    const first = path.join(inputs, 'first.pptx');
    const second = path.join(inputs, 'second.pptx');
    await writeFile(first, 'pptx');
    await writeFile(second, 'pptx');
    const undo = makeReadOnly(inputs);
    if (!undo) return ctx.skip('cannot make a folder read-only here (neither chmod nor chattr +i takes effect)');
    cleanups.push(undo);
    const fallbackLockDir = path.join(tmp, 'out', '.altgen-locks');
    const messages: string[] = [];
    const onFallback = (message: string) => messages.push(message);

    const releaseFirst = await lockInput(first, { waitSeconds: 0, fallbackLockDir, onFallback });
    const releaseSecond = await lockInput(second, { waitSeconds: 0, fallbackLockDir, onFallback });

    const digest = createHash('sha256').update(first).digest('hex').slice(0, 16);
    const lockfilePath = path.join(fallbackLockDir, `${digest}.lock`);
    expect(fallbackLockPath(first, fallbackLockDir)).toBe(lockfilePath);
    expect((await stat(lockfilePath)).isDirectory()).toBe(true);
    expect((await readHolder(lockfilePath)).target).toBe(first);
    expect(await exists(`${first}.lock`)).toBe(false);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(inputs);
    expect(messages[0]).toContain('read-only');
    expect(messages[0]).toContain(fallbackLockDir);

    const error = await lockInput(first, { waitSeconds: 0, fallbackLockDir, onFallback }).catch((err: unknown) => err);
    expect((error as LockedError).code).toBe('ELOCKED');

    await releaseFirst();
    await releaseSecond();
    expect(await exists(lockfilePath)).toBe(false);
  });
});

/** An owner file laid out as Office writes it (see parseOwnerFileUser), ANSI as Windows-1252. */
function ownerFileBytes(user: string, app: 'powerpoint' | 'word' = 'powerpoint'): Buffer {
  const size = app === 'word' ? 162 : 165;
  const bytes = Buffer.alloc(size);
  const name = user.slice(0, 52);
  let at = 0;
  bytes[at++] = name.length;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    bytes[at++] = code <= 0xff ? code : 0x3f; // '?' for characters outside the code page
  }
  if (app === 'word') {
    while (at < 54) bytes[at++] = 0;
  } else {
    bytes[at++] = 0;
    while (at < 55) bytes[at++] = 0x20;
  }
  at = bytes.writeUInt16LE(name.length, at);
  at += bytes.write(name, at, 'utf16le');
  while (at < size) {
    bytes[at++] = app === 'word' ? 0 : 0x20;
    if (at < size) bytes[at++] = 0;
  }
  return bytes;
}

describe('parseOwnerFileUser', () => {
  it('reads the user from a PowerPoint owner file', () => {
    expect(parseOwnerFileUser(ownerFileBytes('Dr. Ada Lovelace'))).toBe('Dr. Ada Lovelace');
  });

  it('reads the user from a Word owner file, whose UTF-16 copy sits one byte earlier', () => {
    expect(parseOwnerFileUser(ownerFileBytes('Dr. Ada Lovelace', 'word'))).toBe('Dr. Ada Lovelace');
  });

  it('prefers the UTF-16 copy, which keeps characters the ANSI copy loses', () => {
    expect(parseOwnerFileUser(ownerFileBytes('Zoë Ångström'))).toBe('Zoë Ångström');
    expect(parseOwnerFileUser(ownerFileBytes('山田 太郎'))).toBe('山田 太郎');
  });

  it('falls back to the ANSI copy when the file is cut short', () => {
    expect(parseOwnerFileUser(ownerFileBytes('Zoë Müller').subarray(0, 20))).toBe('Zoë Müller');
  });

  it('returns null for files in another format', () => {
    expect(parseOwnerFileUser(Buffer.alloc(0))).toBeNull();
    expect(parseOwnerFileUser(Buffer.alloc(165))).toBeNull();
    expect(parseOwnerFileUser(Buffer.from('{"not":"an owner file"}'))).toBeNull();
  });
});

describe('findPowerPointOwner', () => {
  it('returns null when no owner file sits beside the deck', async () => {
    const deck = path.join(tmp, 'Lecture.pptx');
    await writeFile(deck, 'pptx');
    await writeFile(path.join(tmp, '~$Lecture.docx'), ownerFileBytes('Someone', 'word'));

    expect(await findPowerPointOwner(deck)).toBeNull();
  });

  it('finds PowerPoint’s ~$ owner file and the user in it', async () => {
    const deck = path.join(tmp, 'Lecture 01 - Cardiology.pptx');
    await writeFile(deck, 'pptx');
    const ownerFile = path.join(tmp, '~$Lecture 01 - Cardiology.pptx');
    await writeFile(ownerFile, ownerFileBytes('Dr. Ada Lovelace'));

    expect(await findPowerPointOwner(deck)).toEqual({ ownerFile, user: 'Dr. Ada Lovelace' });
  });

  it('matches the owner file name case-insensitively', async () => {
    const deck = path.join(tmp, 'Histology.pptx');
    await writeFile(deck, 'pptx');
    await writeFile(path.join(tmp, '~$HISTOLOGY.PPTX'), ownerFileBytes('ada'));

    expect(await findPowerPointOwner(deck)).toEqual({ ownerFile: path.join(tmp, '~$HISTOLOGY.PPTX'), user: 'ada' });
  });

  it('accepts owner files shortened the way Word shortens long names', async () => {
    const deck = path.join(tmp, 'Pharmacology.pptx');
    await writeFile(deck, 'pptx');
    await writeFile(path.join(tmp, '~$armacology.pptx'), ownerFileBytes('ada'));

    expect((await findPowerPointOwner(deck))?.ownerFile).toBe(path.join(tmp, '~$armacology.pptx'));
  });

  it('does not give a deck the owner file of a sibling whose full name it matches', async () => {
    const deck = path.join(tmp, 'xxAnatomy.pptx');
    const sibling = path.join(tmp, 'Anatomy.pptx');
    await writeFile(deck, 'pptx');
    await writeFile(sibling, 'pptx');
    await writeFile(path.join(tmp, '~$Anatomy.pptx'), ownerFileBytes('ada'));

    expect(await findPowerPointOwner(deck)).toBeNull();
    expect((await findPowerPointOwner(sibling))?.ownerFile).toBe(path.join(tmp, '~$Anatomy.pptx'));
  });

  it('reports the owner file with a null user when it cannot be parsed', async () => {
    const deck = path.join(tmp, 'Renal.pptx');
    await writeFile(deck, 'pptx');
    await writeFile(path.join(tmp, '~$Renal.pptx'), '');

    expect(await findPowerPointOwner(deck)).toEqual({ ownerFile: path.join(tmp, '~$Renal.pptx'), user: null });
  });
});
