import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { DECK_EXTENSIONS } from '../../shared/deck-extensions';
import { isInsideFolder } from '../files/folder-paths';
import { BridgeFailure } from './bridge-failure';

/**
 * Which paths the UI may open or show in the file manager: only those inside the input folder
 * or the output folder of the current batch (the one running, and the one the window shows).
 * A path from the renderer is data, not permission.
 *
 * Guarantees: the path is inside a root both as written (after `..` is resolved, before the
 * file system is touched, so a UNC path elsewhere is never even looked up) and once symlinks
 * are resolved on both sides, so a link inside the batch cannot point the file manager
 * elsewhere; "Open" launches only decks, reports and plain folders, never a program that happens
 * to sit in an input folder (a folder with an extension may be a macOS app bundle, `Evil.app`,
 * or a Windows shell folder, `x.{CLSID}`: those are shown in their folder, not opened). Windows paths compare case-insensitively; on macOS the as-written
 * check folds case and Unicode form too, and the symlink-resolved check compares the names the
 * file system returns. Not guaranteed: that the file is unchanged between this check and the
 * opening (the host opens it right after).
 */

export interface BatchRoots {
  readonly inputRoot: string | null;
  readonly outputDir: string;
}

export type ShellAction = 'open' | 'reveal';

/** What "Open" may launch: decks, the review reports and plain text. */
const OPENABLE_EXTENSIONS: ReadonlySet<string> = new Set([...DECK_EXTENSIONS, '.json', '.html', '.htm', '.csv', '.txt', '.md']);

function folderList(roots: readonly BatchRoots[]): string[] {
  return roots.flatMap((root) => (root.inputRoot ? [root.inputRoot, root.outputDir] : [root.outputDir]));
}

/** The pure half: is `candidate`, as written, inside one of the roots? */
export function isAllowedPath(candidate: string, roots: readonly BatchRoots[], platform: NodeJS.Platform = process.platform): boolean {
  return folderList(roots).some((folder) => isInsideFolder(candidate, folder, platform, platform === 'darwin'));
}

async function realOrNull(p: string): Promise<string | null> {
  return realpath(p).catch(() => null);
}

/** Checks `candidate` for `action`; resolves to the path to hand to the host. */
export async function checkShellPath(candidate: string, roots: readonly BatchRoots[], action: ShellAction): Promise<string> {
  const resolved = path.resolve(candidate);
  const refusal = new BridgeFailure('EFORBIDDEN', `AltGen only opens files in the input or output folder of the current batch: ${resolved}`);
  if (!isAllowedPath(resolved, roots)) throw refusal;
  const real = await realOrNull(resolved);
  if (real === null) throw new BridgeFailure('ENOT_FOUND', `This file or folder no longer exists: ${resolved}`);
  const realFolders = (await Promise.all(folderList(roots).map((folder) => realOrNull(path.resolve(folder))))).filter((p): p is string => p !== null);
  if (!realFolders.some((folder) => isInsideFolder(real, folder))) throw refusal;
  if (action === 'open') {
    const names = [path.extname(resolved).toLowerCase(), path.extname(real).toLowerCase()];
    const openable = (await stat(real)).isDirectory()
      ? names.every((extension) => extension === '') || realFolders.includes(real)
      : names.every((extension) => OPENABLE_EXTENSIONS.has(extension));
    if (!openable) {
      throw new BridgeFailure('EFORBIDDEN', `AltGen opens decks, reports and folders only, not ${path.basename(resolved)}; use "Show in folder" instead.`);
    }
  }
  return resolved;
}
