import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../files/write-file-atomic';

/**
 * The folders used lately, for the folder browser: where decks were found and where copies
 * were written, most recent first, at most {@link RECENT_LIMIT}. Kept in the user data folder
 * (`recent-folders.json`) so the desktop app and `altgen serve` share them.
 *
 * Best effort: a damaged or unwritable file costs the list, never a request. Saves of one
 * process are serialised; two processes saving at once may lose one of their additions.
 */

export const RECENT_LIMIT = 8;

function isFolderList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && path.isAbsolute(entry));
}

export class RecentFolders {
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async stored(): Promise<string[]> {
    try {
      const value: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return isFolderList(value) ? value.slice(0, RECENT_LIMIT) : [];
    } catch {
      return [];
    }
  }

  /** The recent folders that are still there. */
  async list(): Promise<string[]> {
    const folders = await this.stored();
    const present = await Promise.all(folders.map((folder) => stat(folder).then((info) => info.isDirectory(), () => false)));
    return folders.filter((_, index) => present[index]);
  }

  /** Puts `folders` first (the first of them first). */
  add(folders: readonly string[]): Promise<void> {
    this.saving = this.saving.then(async () => {
      const fresh = folders.map((folder) => path.resolve(folder));
      const kept = (await this.stored()).filter((folder) => !fresh.includes(folder));
      const next = [...new Set(fresh), ...kept].slice(0, RECENT_LIMIT);
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      } catch {
        // A read-only or missing data folder: the browser simply offers no recent folders.
      }
    });
    return this.saving;
  }
}
