import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * What `altgen serve` keeps between starts, so that an open tab reconnects and a bookmark
 * keeps working after a restart: its port and its session token, in `serve.json` in the user
 * data folder.
 *
 * Guarantees: the file is readable by its owner only (mode 0600 where the file system has
 * modes: the token is what lets a page drive AltGen); it is replaced atomically; a missing,
 * damaged or foreign file is replaced by a fresh state (a new random token), never trusted in
 * part. Not guaranteed: exclusion between two servers started at the same moment (the last
 * one to save wins; the other keeps serving its own token until it stops).
 */

export const SERVE_STATE_FILE = 'serve.json';
/** Where `--open` writes the page that hands the browser the token (see openPageHtml). */
export const OPEN_PAGE_FILE = 'serve-open.html';

export interface ServeState {
  readonly port: number;
  readonly token: string;
}

const stateSchema = z.strictObject({
  port: z.number().int().min(1).max(65_535),
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored state, or null when there is none that can be trusted. */
export async function readServeState(dataDir: string): Promise<ServeState | null> {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await fs.readFile(path.join(dataDir, SERVE_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** An atomic replace whose temp file is owner-only from its creation, so the token is never readable by others. */
async function writePrivate(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

export async function writeServeState(dataDir: string, state: ServeState): Promise<void> {
  await writePrivate(path.join(dataDir, SERVE_STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * A page that sends the browser on to `url` (which carries the token). `--open` hands the
 * browser this file instead of the address, so the token never appears on a command line,
 * where any program of any user could read it (as Jupyter does).
 */
export function openPageHtml(url: string): string {
  const escaped = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta http-equiv="refresh" content="0;url=${escaped}">` +
    '<title>Opening AltGen…</title></head>' +
    `<body><p><a href="${escaped}">Open AltGen</a></p></body></html>\n`
  );
}

/** Writes the page for `--open` (owner-only) and returns its path. */
export async function writeOpenPage(dataDir: string, url: string): Promise<string> {
  const file = path.join(dataDir, OPEN_PAGE_FILE);
  await writePrivate(file, openPageHtml(url));
  return file;
}
