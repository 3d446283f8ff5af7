import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces a file atomically: a reader sees the old content or the new, never a mix or a
 * truncated file, even after a crash. The data is fsync'ed before the rename and the folder
 * after it, so the new content also survives a power cut once this resolves.
 */

async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) and file systems cannot open or fsync a directory; the rename
    // is still atomic there, only its durability across power loss is the OS's business.
  } finally {
    await handle?.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(temp, 'w');
    await handle.writeFile(data, typeof data === 'string' ? 'utf8' : undefined);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(path.dirname(file));
}

