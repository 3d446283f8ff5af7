/**
 * Locks on files, built on proper-lockfile: the lock is a directory made with `mkdir` (atomic)
 * whose mtime the holder refreshes every `staleMs / 2`. Beside it, `<lock>.holder.json` names
 * the holder (pid, host, user, start time) so that a lock left by a dead process is recognised
 * and so that `altgen locks` and the "locked by …" message can say who holds it.
 *
 * Guaranteed:
 * - Among processes that use this module, at most one holds a lock at a time, as long as no
 *   holder's event loop stalls for longer than `staleMs` (then its lock counts as abandoned, may
 *   be taken over, and the old holder learns so through `onCompromised`; its release then
 *   leaves the new holder's lock alone).
 * - A lock whose holder died on this host (crash, SIGKILL) is taken over at once instead of
 *   after `staleMs`; any other lock is taken over once it has not been refreshed for `staleMs`.
 * - A compromised lock (directory deleted, refresh failed) never throws: `onCompromised` is
 *   called and the process carries on. Release is idempotent and succeeds if the lock is gone.
 * - On Linux, a lock whose folder was renamed or moved while it was held (an input folder
 *   renamed mid-batch) is released where it now is, not left behind in the renamed folder: a
 *   handle on the folder follows it (`/proc/self/fd`).
 * - A holder file never outlives its lock directory when the lock is released, taken over or
 *   removed on exit (SIGINT, SIGTERM, `process.exit`).
 *
 * Not guaranteed (what it does not detect):
 * - Holders on another host are only ever recognised as gone by staleness, never by pid; and on
 *   network shares, mkdir atomicity and mtimes are only as good as the server.
 * - Taking over a dead or stale lock is check-then-remove: it re-checks that the directory is
 *   unchanged right before removing it, but two processes that take over the same dead lock
 *   within microseconds of each other can both succeed (as with proper-lockfile's own staleness).
 * - A dead holder's pid reused by another process makes the lock look alive; it then expires by
 *   staleness. SIGKILL leaves the lock directory and holder file behind until then.
 * - Only processes that use these locks respect them. PowerPoint does not; its owner files
 *   (`~$deck.pptx`) are read here, never written.
 * - A deck locked in the fallback folder (its own folder read-only) and the same deck locked
 *   beside it by a process that can write there do not exclude each other.
 * - Elsewhere than on Linux, a lock whose folder was renamed while it was held stays in the
 *   renamed folder; its holder gone, it is stale and `altgen locks --clean-stale` removes it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, open, readdir, readFile, readlink, realpath, rename, rmdir, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { hasPowerPointOwnerFiles } from '../../shared/deck-extensions';
import { formatDuration, localIsoTimestamp, parseTimestamp } from '../../shared/time-format';
import { isProcessAlive } from './process-alive';

export const DEFAULT_STALE_MS = 10_000;
/** proper-lockfile refreshes at least every second and refuses a shorter staleness than this. */
const MIN_STALE_MS = 2_000;
const HOLDER_FILE_SUFFIX = '.holder.json';

const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;
/** Timestamp granularity we tolerate when telling a holder file from an older, orphaned one. */
const HOLDER_CLOCK_SLACK_MS = 2_000;
const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);
const ALREADY_RELEASED_CODES = new Set(['ERELEASED', 'ENOTACQUIRED', 'ENOENT']);

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly user: string;
  readonly started_at: string;
  readonly purpose?: string;
  /** The locked file, so that locks kept in a fallback folder can be traced back to their deck. */
  readonly target?: string;
}

export type LockState = 'active' | 'stale';
export type ReleaseLock = () => Promise<void>;

export interface AcquireLockOptions {
  /** Default `${target}.lock`. */
  readonly lockfilePath?: string;
  /** How long to wait for a held lock before failing with ELOCKED; 0 tries once. */
  readonly waitMs: number;
  /** Default 10 s, at least 2 s. */
  readonly staleMs?: number;
  /** Recorded in the holder file, e.g. the batch id. */
  readonly purpose?: string;
  /** Called when the lock was lost while held (default: ignored). Never let it throw. */
  readonly onCompromised?: (err: Error) => void;
}

export class LockedError extends Error {
  readonly code = 'ELOCKED';

  constructor(
    readonly target: string,
    readonly holder: LockHolder | null,
  ) {
    super(`${path.basename(target)} is locked by another process (${describeHolder(holder, Date.now())})`);
    this.name = 'LockedError';
  }
}

/** Lock directories this process holds; a holder file naming our pid for any other is stale. */
const heldLockPaths = new Set<string>();

/**
 * The `fs` given to proper-lockfile. It calls `rmdir` to release a lock and to remove a stale
 * one, and `rmdirSync` in its exit hook; removing a holder file that is ours or dead first
 * keeps holder files from outliving their lock directory.
 */
const lockFs = {
  ...fs,
  rmdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void): void {
    void removeDisownedHolder(dir).finally(() => fs.rmdir(dir, callback));
  },
  rmdirSync(dir: string): void {
    removeDisownedHolderSync(dir);
    fs.rmdirSync(dir);
  },
};

export async function acquireLock(target: string, opts: AcquireLockOptions): Promise<ReleaseLock> {
  const lockfilePath = path.resolve(opts.lockfilePath ?? `${target}.lock`);
  const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, MIN_STALE_MS);
  const deadline = Date.now() + Math.max(0, opts.waitMs);
  for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(pollMs * 2, MAX_POLL_MS)) {
    const release = await tryAcquire(target, lockfilePath, staleMs, opts);
    if (release) return release;
    const seen = await inspectLock(lockfilePath, staleMs);
    if (seen?.state === 'stale' && (await removeUnchangedLock(lockfilePath, seen)) === 'removed') continue;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new LockedError(target, seen?.holder ?? (seen ? await holderOnceWritten(lockfilePath, staleMs) : null));
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, remaining)));
  }
}

async function tryAcquire(
  target: string,
  lockfilePath: string,
  staleMs: number,
  opts: AcquireLockOptions,
): Promise<ReleaseLock | null> {
  const holder: LockHolder = {
    pid: process.pid,
    hostname: os.hostname(),
    user: currentUser(),
    started_at: localIsoTimestamp(),
    ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
    target: path.resolve(target),
  };
  let compromised = false;
  const onCompromised = (err: Error): void => {
    compromised = true;
    heldLockPaths.delete(lockfilePath);
    void removeHolderIfMine(lockfilePath, holder);
    try {
      opts.onCompromised?.(err);
    } catch {
      // A throwing callback would be thrown from a timer and end the process.
    }
  };

  let releaseDirectory: ReleaseLock;
  try {
    releaseDirectory = await lock(target, {
      lockfilePath,
      realpath: false,
      stale: staleMs,
      retries: 0,
      fs: lockFs,
      onCompromised,
    });
  } catch (err) {
    if (errorCode(err) === 'ELOCKED') return null;
    throw err;
  }
  heldLockPaths.add(lockfilePath);
  await writeHolder(lockfilePath, holder);
  const folder = await FolderTracker.open(path.dirname(lockfilePath));

  const releaseInPlace = async (): Promise<void> => {
    if (compromised) return removeHolderIfMine(lockfilePath, holder);
    // Taken over while this process stalled, before proper-lockfile noticed: the directory is
    // the new holder's now. Its next refresh reports the loss through onCompromised.
    const current = await readHolderFile(lockfilePath);
    if (current && !isSameHolder(current, holder)) return;
    try {
      await releaseDirectory();
    } catch (err) {
      if (!ALREADY_RELEASED_CODES.has(errorCode(err) ?? '')) throw err;
    }
  };
  const release = async (): Promise<void> => {
    heldLockPaths.delete(lockfilePath);
    try {
      const moved = await folder?.movedPath(lockfilePath);
      if (!moved) return await releaseInPlace();
      // proper-lockfile only knows the old name: let it stop refreshing (nothing is there to
      // remove any more), then remove the lock where its folder went.
      if (!compromised && !(await statOrNull(lockfilePath))) await releaseDirectory().catch(() => undefined);
      await removeMovedLock(moved, holder);
    } finally {
      await folder?.close();
    }
  };
  let releasing: Promise<void> | undefined;
  return () => (releasing ??= release());
}

/**
 * A handle on a lock's folder, which follows the folder when it is renamed or moved: Linux
 * names the handle's present path in `/proc/self/fd`. Elsewhere there is no such name, and no
 * tracker (null).
 */
class FolderTracker {
  private constructor(
    private readonly handle: FileHandle,
    private readonly realFolder: string,
  ) {}

  static async open(folder: string): Promise<FolderTracker | null> {
    if (process.platform !== 'linux') return null;
    try {
      const realFolder = await realpath(folder);
      return new FolderTracker(await open(realFolder, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY), realFolder);
    } catch {
      return null;
    }
  }

  /** Where the lock `lockfilePath` is now if its folder has moved since it was taken, else null. */
  async movedPath(lockfilePath: string): Promise<string | null> {
    const now = await readlink(`/proc/self/fd/${this.handle.fd}`).catch(() => null);
    if (now === null || now === this.realFolder || now.endsWith(' (deleted)')) return null;
    return path.join(now, path.basename(lockfilePath));
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

/** Removes a lock found in the folder's new place, only if it is still this holder's. */
async function removeMovedLock(lockfilePath: string, mine: LockHolder): Promise<void> {
  const current = await readHolderFile(lockfilePath);
  if (!current || !isSameHolder(current, mine)) return;
  await unlinkIfPresent(holderPathOf(lockfilePath));
  try {
    await rmdir(lockfilePath);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

export interface LockInputOptions {
  readonly waitSeconds: number;
  /**
   * Where locks for decks in read-only folders go: the batch's output folder's `.altgen/locks`
   * (batch-folder.ts `fallbackLockDirOf`). Created when first needed.
   */
  readonly fallbackLockDir: string;
  /** Called at most once per input folder for a given callback. */
  readonly onFallback?: (message: string) => void;
  readonly onCompromised?: (err: Error) => void;
  readonly purpose?: string;
}

const reportedFallbacks = new WeakMap<(message: string) => void, Set<string>>();

/** Locks an input deck while it is processed: `deck.pptx.lock` beside it, or in the output folder. */
export async function lockInput(inputPath: string, opts: LockInputOptions): Promise<ReleaseLock> {
  const target = path.resolve(inputPath);
  const common = {
    waitMs: opts.waitSeconds * 1000,
    ...(opts.onCompromised === undefined ? {} : { onCompromised: opts.onCompromised }),
    ...(opts.purpose === undefined ? {} : { purpose: opts.purpose }),
  };
  try {
    return await acquireLock(target, common);
  } catch (err) {
    if (!READ_ONLY_CODES.has(errorCode(err) ?? '')) throw err;
  }
  const lockfilePath = fallbackLockPath(target, opts.fallbackLockDir);
  await mkdir(path.dirname(lockfilePath), { recursive: true });
  reportFallbackOnce(path.dirname(target), path.dirname(lockfilePath), opts.onFallback);
  return acquireLock(target, { ...common, lockfilePath });
}

/** `<fallbackLockDir>/<first 16 hex digits of sha256(absolute input path)>.lock` */
export function fallbackLockPath(inputPath: string, fallbackLockDir: string): string {
  const digest = createHash('sha256').update(path.resolve(inputPath)).digest('hex').slice(0, 16);
  return path.join(path.resolve(fallbackLockDir), `${digest}.lock`);
}

function reportFallbackOnce(
  inputFolder: string,
  lockFolder: string,
  onFallback: ((message: string) => void) | undefined,
): void {
  if (!onFallback) return;
  const reported = reportedFallbacks.get(onFallback) ?? new Set<string>();
  reportedFallbacks.set(onFallback, reported);
  if (reported.has(inputFolder)) return;
  reported.add(inputFolder);
  onFallback(`Cannot create lock files in ${inputFolder} (read-only); its decks are locked in ${lockFolder} instead.`);
}

export interface LockInspection {
  readonly stat: fs.Stats;
  /** Null when the holder file is missing, unreadable or left over from an earlier lock. */
  readonly holder: LockHolder | null;
  readonly state: LockState;
  /** Why the lock counts as stale; null while it is active. */
  readonly reason: string | null;
}

/** The lock directory's state, or null if there is no lock directory at `lockfilePath`. */
export async function inspectLock(
  lockfilePath: string,
  staleMs: number = DEFAULT_STALE_MS,
  now: number = Date.now(),
): Promise<LockInspection | null> {
  const dirStat = await statOrNull(lockfilePath);
  if (!dirStat?.isDirectory()) return null;
  const holder = await readHolderOf(lockfilePath, dirStat);
  const idleMs = now - dirStat.mtimeMs;
  if (holder && holderIsGone(holder, lockfilePath)) {
    return { stat: dirStat, holder, state: 'stale', reason: `pid ${holder.pid} is no longer running` };
  }
  if (idleMs > Math.max(staleMs, MIN_STALE_MS)) {
    return { stat: dirStat, holder, state: 'stale', reason: `not refreshed for ${formatDuration(idleMs)}` };
  }
  return { stat: dirStat, holder, state: 'active', reason: null };
}

export type StaleLockRemoval = 'removed' | 'not-stale' | 'gone';

/** Removes the lock (and its holder file) only if it is stale, re-checked just before removing. */
export async function removeStaleLock(
  lockfilePath: string,
  staleMs: number = DEFAULT_STALE_MS,
): Promise<StaleLockRemoval> {
  const seen = await inspectLock(lockfilePath, staleMs);
  if (!seen) return 'gone';
  if (seen.state !== 'stale') return 'not-stale';
  return removeUnchangedLock(lockfilePath, seen);
}

/** A refresh (utimes) changes ctime and a new lock a new inode: either means "not the one we saw". */
async function removeUnchangedLock(lockfilePath: string, seen: LockInspection): Promise<StaleLockRemoval> {
  const current = await statOrNull(lockfilePath);
  if (!current) return 'gone';
  if (current.ino !== seen.stat.ino || current.ctimeMs !== seen.stat.ctimeMs) return 'not-stale';
  await unlinkIfPresent(holderPathOf(lockfilePath));
  await removeAbandonedHolderTemps(lockfilePath);
  try {
    await rmdir(lockfilePath);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 'gone';
    if (errorCode(err) === 'ENOTEMPTY' || errorCode(err) === 'EEXIST') return 'not-stale'; // not a lock of ours
    throw err;
  }
  return 'removed';
}

/** How long a lock just taken may stand without its holder file before it is said to have none. */
const HOLDER_WRITE_GRACE_MS = 2_000;

/**
 * The holder of a lock taken a moment ago: its taker writes the holder file just after the lock
 * itself, so a refusal that came in between waits briefly for it, to name the holder ("locked by
 * pid 123 on lab-mac") rather than say "holder unknown" of a live process.
 */
async function holderOnceWritten(lockfilePath: string, staleMs: number): Promise<LockHolder | null> {
  const until = Date.now() + HOLDER_WRITE_GRACE_MS;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, FIRST_POLL_MS));
    const seen = await inspectLock(lockfilePath, staleMs);
    if (!seen) return null;
    if (seen.holder) return seen.holder;
  }
  return null;
}

export function holderPathOf(lockfilePath: string): string {
  return `${lockfilePath}${HOLDER_FILE_SUFFIX}`;
}

/** `pid 123 on lab-mac, since 14:02` — `now` decides whether the date is worth showing. */
export function describeHolder(holder: LockHolder | null, now: number): string {
  if (!holder) return 'holder unknown';
  const started = parseTimestamp(holder.started_at);
  const since = started === null ? '' : `, since ${clockTime(started, now)}`;
  return `pid ${holder.pid} on ${holder.hostname}${since}`;
}

function clockTime(at: number, now: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.toDateString() === new Date(now).toDateString()) return time;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

function holderIsGone(holder: LockHolder, lockfilePath: string): boolean {
  if (holder.hostname !== os.hostname()) return false;
  if (holder.pid === process.pid) return !heldLockPaths.has(lockfilePath);
  return !isProcessAlive(holder.pid);
}

/** Whether a holder file may go with its lock directory: ours, a dead process's, or unreadable. */
function isDisowned(holder: LockHolder | null): boolean {
  if (!holder) return true;
  if (holder.hostname !== os.hostname()) return false;
  return holder.pid === process.pid || !isProcessAlive(holder.pid);
}

async function removeDisownedHolder(lockfilePath: string): Promise<void> {
  const holder = await readHolderFile(lockfilePath);
  if (isDisowned(holder)) await unlink(holderPathOf(lockfilePath)).catch(() => undefined);
  // Not our own release: a takeover, maybe of a holder that died before it renamed its file.
  if (holder?.pid !== process.pid) await removeAbandonedHolderTemps(lockfilePath);
}

/**
 * Holder files a process wrote under their temporary name (`<holder>.<pid>.tmp`) and died
 * before renaming: left beside the deck, they would outlive the lock.
 */
async function removeAbandonedHolderTemps(lockfilePath: string): Promise<void> {
  const prefix = `${path.basename(holderPathOf(lockfilePath))}.`;
  const folder = path.dirname(lockfilePath);
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (Number.isSafeInteger(pid) && pid > 0 && !isProcessAlive(pid)) await unlink(path.join(folder, name)).catch(() => undefined);
  }
}

function removeDisownedHolderSync(lockfilePath: string): void {
  const holderPath = holderPathOf(lockfilePath);
  try {
    if (isDisowned(parseHolder(fs.readFileSync(holderPath, 'utf8')))) fs.unlinkSync(holderPath);
  } catch {
    // Nothing to remove, or it cannot be removed; the lock directory goes either way.
  }
}

async function removeHolderIfMine(lockfilePath: string, mine: LockHolder): Promise<void> {
  const current = await readHolderFile(lockfilePath);
  if (current && isSameHolder(current, mine)) await unlink(holderPathOf(lockfilePath)).catch(() => undefined);
}

async function readHolderFile(lockfilePath: string): Promise<LockHolder | null> {
  return parseHolder(await readFile(holderPathOf(lockfilePath), 'utf8').catch(() => ''));
}

function isSameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.started_at === b.started_at;
}

/** Written to a temporary name and renamed, so readers never see half a file. */
async function writeHolder(lockfilePath: string, holder: LockHolder): Promise<void> {
  const holderPath = holderPathOf(lockfilePath);
  const temporary = `${holderPath}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(holder, null, 2)}\n`);
    await rename(temporary, holderPath);
  } catch {
    // The holder file is advisory: without it the lock still excludes others and still expires.
    await unlinkIfPresent(temporary).catch(() => undefined);
  }
}

/**
 * A holder file older than its lock directory belongs to an earlier lock (its directory was
 * removed by hand or the new holder has not written its file yet): it must not be trusted.
 */
async function readHolderOf(lockfilePath: string, dirStat: fs.Stats): Promise<LockHolder | null> {
  const holderPath = holderPathOf(lockfilePath);
  try {
    const [text, fileStat] = await Promise.all([readFile(holderPath, 'utf8'), stat(holderPath)]);
    if (dirStat.birthtimeMs > 0 && fileStat.mtimeMs < dirStat.birthtimeMs - HOLDER_CLOCK_SLACK_MS) return null;
    return parseHolder(text);
  } catch {
    return null;
  }
}

function parseHolder(text: string): LockHolder | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { pid, hostname, user, started_at, purpose, target } = record;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  if (typeof hostname !== 'string' || typeof user !== 'string' || typeof started_at !== 'string') return null;
  return {
    pid,
    hostname,
    user,
    started_at,
    ...(typeof purpose === 'string' ? { purpose } : {}),
    ...(typeof target === 'string' ? { target } : {}),
  };
}

function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------
// PowerPoint owner files

export interface PowerPointOwner {
  readonly ownerFile: string;
  /** The name Office recorded; null if the file is not in the format we know. */
  readonly user: string | null;
}

/** The `~$…` file PowerPoint keeps beside a deck while it is open, or null if there is none. */
export async function findPowerPointOwner(deckPath: string): Promise<PowerPointOwner | null> {
  const folder = path.dirname(path.resolve(deckPath));
  let entries: fs.Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return null;
  }
  const files = entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
  const deckName = path.basename(deckPath).toLowerCase();
  const ownerName = files.find(
    (name) => name.startsWith('~$') && deckForOwnerFile(name, files)?.toLowerCase() === deckName,
  );
  if (ownerName === undefined) return null;
  const ownerFile = path.join(folder, ownerName);
  return { ownerFile, user: await readOwnerFileUser(ownerFile) };
}

/**
 * Owner-file names Office may use for a document, the likely one first. PowerPoint and Excel
 * put `~$` before the whole name; Word replaces the first two characters of names whose stem has
 * 8 or more characters, the first one of 7-character stems (LibreOffice's
 * msodocumentlockfile.cxx, which writes owner files Office accepts). Both are accepted.
 */
function ownerFileCandidates(documentName: string): string[] {
  const stemLength = documentName.length - path.extname(documentName).length;
  const candidates = [`~$${documentName}`];
  if (stemLength >= 8) candidates.push(`~$${documentName.slice(2)}`);
  else if (stemLength === 7) candidates.push(`~$${documentName.slice(1)}`);
  return candidates;
}

/**
 * The sibling an owner file belongs to (names compared case-insensitively, as Windows and macOS
 * do), or null when it is orphaned. An exact `~$name` wins over a shortened one, so
 * `~$Anatomy.pptx` belongs to `Anatomy.pptx`, not to `xxAnatomy.pptx` beside it.
 */
export function deckForOwnerFile(ownerFileName: string, siblingNames: readonly string[]): string | null {
  if (!ownerFileName.startsWith('~$')) return null;
  const owner = ownerFileName.toLowerCase();
  const decks = siblingNames.filter(hasPowerPointOwnerFiles);
  const exact = decks.find((name) => `~$${name.toLowerCase()}` === owner);
  if (exact !== undefined) return exact;
  return decks.find((name) => ownerFileCandidates(name.toLowerCase()).slice(1).includes(owner)) ?? null;
}

const OWNER_FILE_READ_BYTES = 512;

export async function readOwnerFileUser(ownerFile: string): Promise<string | null> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(ownerFile, 'r');
    const buffer = Buffer.alloc(OWNER_FILE_READ_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseOwnerFileUser(buffer.subarray(0, bytesRead));
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** Office's limit on user names (longer ones are refused in its options dialog). */
const MAX_OWNER_NAME_LENGTH = 52;

/**
 * The user name in an Office owner file (reverse-engineered; LibreOffice documents it in
 * msodocumentlockfile.cxx): byte 0 is the name's length, then the name in the Windows ANSI code
 * page; then a 2-byte length and the name again in UTF-16LE, at offset 54 in Word's files and at
 * offset 55 in PowerPoint's and Excel's (there, a zero byte and spaces fill up to it). The UTF-16
 * copy is preferred because the ANSI one loses characters outside the code page.
 */
export function parseOwnerFileUser(bytes: Uint8Array): string | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const offset of [55, 54]) {
    if (data.length < offset + 2) continue;
    const length = data.readUInt16LE(offset);
    if (length < 1 || length > MAX_OWNER_NAME_LENGTH || data.length < offset + 2 + 2 * length) continue;
    const name = data.subarray(offset + 2, offset + 2 + 2 * length).toString('utf16le');
    if (isPlausibleName(name)) return name;
  }
  const ansiLength = data[0] ?? 0;
  if (ansiLength < 1 || ansiLength > MAX_OWNER_NAME_LENGTH || data.length < 1 + ansiLength) return null;
  const ansi = data.subarray(1, 1 + ansiLength).toString('latin1');
  return isPlausibleName(ansi) ? ansi : null;
}

function isPlausibleName(name: string): boolean {
  return name.trim().length > 0 && !/[\u0000-\u001f\u007f\ufffd]/.test(name);
}

// ---------------------------------------------------------------------------------------------

async function statOrNull(target: string): Promise<fs.Stats | null> {
  try {
    return await stat(target);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return null;
    throw err;
  }
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw err;
  }
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}
