import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { BridgeFailure } from './bridge-failure';

/**
 * Which paths the UI may open or show in the file manager: only those inside the input folder
 * or the output folder of a batch this app has run or opened. A path from the renderer is data,
 * not permission.
 *
 * Guarantees: the path is inside a root both as written (after `..` is resolved) and once
 * symlinks are resolved, so a link inside the batch cannot point the file manager elsewhere;
 * "Open" launches only decks, reports and folders, never a program that happens to sit in an
 * input folder. Not guaranteed: that the file is unchanged between this check and the opening
 * (the host opens it right after).
 */

export interface BatchRoots {
  readonly inputRoot: string | null;
  readonly outputDir: string;
}

export type ShellAction = 'open' | 'reveal';

/** What "Open" may launch: decks, the review reports and plain text. */
const OPENABLE_EXTENSIONS: ReadonlySet<string> = new Set(['.pptx', '.pptm', '.json', '.html', '.htm', '.csv', '.txt', '.md']);

export function isInsideFolder(candidate: string, folder: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function folderList(roots: readonly BatchRoots[]): string[] {
  return roots.flatMap((root) => (root.inputRoot ? [root.inputRoot, root.outputDir] : [root.outputDir])).map((p) => path.resolve(p));
}

/** The pure half: is `candidate`, as written, inside one of the roots? */
export function isAllowedPath(candidate: string, roots: readonly BatchRoots[]): boolean {
  const resolved = path.resolve(candidate);
  return folderList(roots).some((folder) => isInsideFolder(resolved, folder));
}

async function realOrNull(p: string): Promise<string | null> {
  return realpath(p).catch(() => null);
}

/** Checks `candidate` for `action`; resolves to the path to hand to the host. */
export async function checkShellPath(candidate: string, roots: readonly BatchRoots[], action: ShellAction): Promise<string> {
  const resolved = path.resolve(candidate);
  const refusal = new BridgeFailure('EFORBIDDEN', `AltGen only opens files in the input or output folder of a batch: ${resolved}`);
  if (!isAllowedPath(resolved, roots)) throw refusal;
  const real = await realOrNull(resolved);
  if (real === null) throw new BridgeFailure('ENOT_FOUND', `This file or folder no longer exists: ${resolved}`);
  const realFolders = (await Promise.all(folderList(roots).map(realOrNull))).filter((p): p is string => p !== null);
  if (!realFolders.some((folder) => isInsideFolder(real, folder))) throw refusal;
  if (action === 'open') {
    const isDirectory = (await stat(real)).isDirectory();
    const openable = OPENABLE_EXTENSIONS.has(path.extname(resolved).toLowerCase()) && OPENABLE_EXTENSIONS.has(path.extname(real).toLowerCase());
    if (!isDirectory && !openable) {
      throw new BridgeFailure('EFORBIDDEN', `AltGen opens decks, reports and folders only, not ${path.basename(resolved)}; use "Show in folder" instead.`);
    }
  }
  return resolved;
}
