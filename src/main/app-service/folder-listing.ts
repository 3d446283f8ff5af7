import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isDeckName } from '../../shared/deck-extensions';
import type { FolderListing } from '../../shared/ipc-contract';
import { BridgeFailure } from './bridge-failure';

/**
 * One level of the web UI's folder browser: sub-folders and decks (.pptx, .pptm), hidden
 * entries (`.name`) and PowerPoint owner files (`~$name`) left out, folders first, in the order
 * a person sorts names (case-insensitive, numbers by value). Symlinks are shown as what they
 * point to; broken ones are left out.
 */

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

type Entry = FolderListing['entries'][number];

async function kindOf(folder: string, entry: Dirent): Promise<Entry['kind'] | null> {
  let isDirectory = entry.isDirectory();
  let isFile = entry.isFile();
  if (entry.isSymbolicLink()) {
    const target = await stat(path.join(folder, entry.name)).catch(() => null);
    isDirectory = target?.isDirectory() ?? false;
    isFile = target?.isFile() ?? false;
  }
  if (isDirectory) return 'folder';
  return isFile && isDeckName(entry.name) ? 'deck' : null;
}

export async function listFolder(target: string): Promise<FolderListing> {
  const folder = path.resolve(target);
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT') throw new BridgeFailure('ENOT_FOUND', `This folder does not exist: ${folder}`);
    if (code === 'ENOTDIR') throw new BridgeFailure('EBAD_REQUEST', `This is a file, not a folder: ${folder}`);
    throw Object.assign(new Error(`Cannot open the folder ${folder} (${code}).`), { code: 'EUNREADABLE' });
  }
  const listed: Entry[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name.startsWith('~$')) continue;
    const kind = await kindOf(folder, entry);
    if (kind) listed.push({ name: entry.name, kind });
  }
  listed.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === 'folder' ? -1 : 1));
  const parent = path.dirname(folder);
  return { path: folder, parent: parent === folder ? null : parent, entries: listed };
}
