import { isUtf8 } from 'node:buffer';
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { assertNever } from '../../shared/assert-never';
import { powerPointKind } from '../../shared/deck-extensions';
import type { BatchErrorCode, ItemErrorCode } from '../../shared/error-codes';
import { deepestCommonFolder, isInsideFolder } from '../files/folder-paths';
import { decideLegacyNamesByContent } from './legacy-names';
import type { FileTypeInfo } from '../files/special-files';
import { notRegularFileReason, specialFileKind } from '../files/special-files';

/**
 * Finds the decks of a batch from `--input-dir` (recursive) or `--input-files`.
 *
 * Guarantees for a folder: the same tree gives the same list in the same order on every
 * platform and locale (sorted by relative path, segment by segment, by UTF-16 code unit);
 * hidden entries (`.name`), PowerPoint owner files (`~$name`) and the output folder are left
 * out. Only directory listings are read: files are stat'ed only when they are symlinks, and no
 * file is opened but those with a 97–2003 name (`.ppt`, `.pps`), whose first bytes decide
 * what they are (legacy-names.ts).
 *
 * Symlinks are followed only when they resolve inside the input folder (compared by real
 * paths), so a batch reads and locks nothing outside the folder it was given. A linked folder
 * inside is walked once, and a file reached twice is listed once, under its real location, so
 * link loops end. A link to a folder outside (`loopdir -> ..`) is listed as skipped, not
 * followed; so is a link to a deck outside, by the same rule: processing it would read the
 * deck from, and lock it in, a folder nobody chose. Files named with `--input-files` are used
 * as given, links included: naming a file is the choice.
 *
 * Refused before anything could open them, as skipped items with what to do (when their name
 * is a PowerPoint one): files that are not regular (a named pipe would make every reader wait
 * for a writer that never comes; a device never ends), and names that are not valid UTF-8,
 * which no path string can name for the processor, the manifest or the lock.
 *
 * Not detected: hard links to the same deck (listed once per name), and changes to the tree
 * while it is being walked (the processor refuses a deck that has become a pipe since).
 */

export type Disposition =
  /** `note`: worth telling about a deck that is processed (a 2007+ deck with a `.ppt` name). */
  | { readonly kind: 'process'; readonly note?: string }
  /** Not a deck we rewrite; the reason says what to do instead. */
  | { readonly kind: 'skip'; readonly code: ItemErrorCode; readonly reason: string }
  /** A named input that cannot be used at all (e.g. missing). */
  | { readonly kind: 'fail'; readonly code: ItemErrorCode; readonly reason: string };

export interface DiscoveredFile {
  /** Absolute, as found under the input folder or as given (not resolved through symlinks). */
  readonly path: string;
  readonly disposition: Disposition;
}

export interface Discovery {
  /** The input folder, or the deepest folder that holds all the given files. */
  readonly inputRoot: string;
  readonly files: readonly DiscoveredFile[];
  /** Sub-folders that could not be listed, and the like: worth telling, not worth stopping. */
  readonly warnings: readonly string[];
}

export interface DiscoverOptions {
  readonly inputDir?: string;
  readonly inputFiles?: readonly string[];
  readonly outputDir: string;
}

export type DiscoveryErrorCode = Extract<BatchErrorCode, 'EUSAGE' | 'EINPUT_MISSING' | 'EINPUT_NOT_DIR' | 'EINPUT_UNREADABLE' | 'ENO_DECKS'>;

export class DiscoveryError extends Error {
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DiscoveryError';
  }
}

const SAVE_AS_PPTX = 'File › Save As › PowerPoint Presentation (.pptx), then add the .pptx';
const LEGACY: Disposition = {
  kind: 'skip',
  code: 'ELEGACY_FORMAT',
  reason: `Legacy PowerPoint 97–2003 file: open it in PowerPoint and use ${SAVE_AS_PPTX}.`,
};
const TEMPLATE: Disposition = {
  kind: 'skip',
  code: 'ETEMPLATE',
  reason: 'PowerPoint template, not a presentation: create a presentation from it and add that instead.',
};
const SLIDE_SHOW: Disposition = {
  kind: 'skip',
  code: 'ETEMPLATE',
  reason: `PowerPoint slide show, not an editable presentation: open it in PowerPoint and use ${SAVE_AS_PPTX}.`,
};
const ADD_IN: Disposition = {
  kind: 'skip',
  code: 'ETEMPLATE',
  reason: 'PowerPoint add-in, not a presentation: it has no slides to describe.',
};

const INVALID_FILE_NAME: Disposition = {
  kind: 'skip',
  code: 'EINVALID_NAME',
  reason: 'The file name is not valid UTF-8: rename it, then add it again.',
};
const INVALID_FOLDER_NAME: Disposition = {
  kind: 'skip',
  code: 'EINVALID_NAME',
  reason: 'The folder name is not valid UTF-8: rename it, then add it again; the decks in it are not in the batch.',
};

function notRegular(info: FileTypeInfo): Disposition | null {
  const kind = specialFileKind(info);
  return kind ? { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: notRegularFileReason(kind) } : null;
}

/** What to do with a file by its name; null for files that are not PowerPoint's at all. */
export function classifyFileName(name: string): Disposition | null {
  const kind = powerPointKind(name);
  switch (kind) {
    case null:
      return null;
    case 'deck':
      return { kind: 'process' };
    case 'legacy':
      return LEGACY;
    case 'template':
      return TEMPLATE;
    case 'slide-show':
      return SLIDE_SHOW;
    case 'add-in':
      return ADD_IN;
    default:
      return assertNever(kind, 'PowerPoint file kind');
  }
}

export async function discoverInputs(options: DiscoverOptions): Promise<Discovery> {
  const { inputDir, inputFiles } = options;
  if (inputDir !== undefined && inputFiles !== undefined) {
    throw new DiscoveryError('EUSAGE', 'Give either --input-dir or --input-files, not both.');
  }
  if (inputDir !== undefined) return decideLegacyNamesByContent(await discoverFolder(path.resolve(inputDir), path.resolve(options.outputDir)));
  if (inputFiles !== undefined && inputFiles.length > 0) return decideLegacyNamesByContent(await discoverFiles(inputFiles));
  throw new DiscoveryError('EUSAGE', 'Give --input-dir with a folder of decks, or --input-files with one or more decks.');
}

// ── --input-files ─────────────────────────────────────────────────────────────────────────

async function discoverFiles(inputFiles: readonly string[]): Promise<Discovery> {
  const seen = new Set<string>();
  const files: DiscoveredFile[] = [];
  for (const given of inputFiles) {
    const absolute = path.resolve(given);
    const real = await realpath(absolute).catch(() => absolute);
    if (seen.has(real)) continue;
    seen.add(real);
    files.push({ path: absolute, disposition: await namedFileDisposition(absolute) });
  }
  return { inputRoot: deepestCommonFolder(files.map((file) => path.dirname(file.path))) ?? process.cwd(), files, warnings: [] };
}

async function namedFileDisposition(file: string): Promise<Disposition> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    if (info.code === 'ENOENT' && (await namesInvalidUtf8File(file))) return INVALID_FILE_NAME;
    return info.code === 'ENOENT' || info.code === 'ENOTDIR'
      ? { kind: 'fail', code: 'ENOT_FOUND', reason: `File not found: ${file}` }
      : { kind: 'fail', code: 'EUNREADABLE', reason: `Cannot read ${file} (${info.code ?? info.message}).` };
  }
  if (info.isDirectory()) {
    return { kind: 'skip', code: 'EUNSUPPORTED_TYPE', reason: 'A folder, not a file: use --input-dir for folders.' };
  }
  const special = notRegular(info);
  if (special) return special;
  const name = path.basename(file);
  if (name.startsWith('~$')) {
    return {
      kind: 'skip',
      code: 'EUNSUPPORTED_TYPE',
      reason: 'A PowerPoint lock file (~$…), not a presentation: add the deck beside it instead.',
    };
  }
  return (
    classifyFileName(name) ?? {
      kind: 'skip',
      code: 'EUNSUPPORTED_TYPE',
      reason: `Not a PowerPoint file (${path.extname(name) || 'no extension'}): only .pptx and .pptm decks are processed.`,
    }
  );
}

/**
 * Whether `file` is how a program receives a name that is not valid UTF-8 (each bad byte
 * turned into U+FFFD, as in `process.argv`): such a file exists, but no string opens it.
 */
async function namesInvalidUtf8File(file: string): Promise<boolean> {
  const name = path.basename(file);
  if (!name.includes('\uFFFD')) return false;
  const names = await readdir(path.dirname(file), { encoding: 'buffer' }).catch(() => []);
  return names.some((raw) => !isUtf8(raw) && raw.toString('utf8') === name);
}

// ── --input-dir ───────────────────────────────────────────────────────────────────────────

interface Found {
  readonly relative: readonly string[];
  readonly realKey: string;
  readonly viaLink: boolean;
  readonly disposition: Disposition;
}

interface PendingFolder {
  readonly absolute: string;
  readonly real: string;
  readonly relative: readonly string[];
  readonly viaLink: boolean;
}

async function discoverFolder(inputDir: string, outputDir: string): Promise<Discovery> {
  const rootReal = await checkInputFolder(inputDir);
  const outputReal = await realpath(outputDir).catch(() => outputDir);
  // The output folder is left out when it lies inside the input folder (a rerun must not
  // pick up the copies it wrote); an output folder that holds the input changes nothing.
  const outputInside = [outputDir, outputReal].some(
    (output) => output !== inputDir && output !== rootReal && (isInsideFolder(output, inputDir) || isInsideFolder(output, rootReal)),
  );
  const excluded = outputInside ? outputReal : null;
  const walk = new FolderWalk(inputDir, rootReal, excluded);
  const rootEntries = await readdir(inputDir, { withFileTypes: true, encoding: 'buffer' }).catch((error: NodeJS.ErrnoException) => {
    throw new DiscoveryError('EINPUT_UNREADABLE', `Cannot read the input folder ${inputDir} (${error.code ?? error.message}).`);
  });
  await walk.run({ absolute: inputDir, real: rootReal, relative: [], viaLink: false }, rootEntries);

  const byRealPath = new Map<string, Found>();
  for (const found of walk.found) {
    const existing = byRealPath.get(found.realKey);
    if (!existing || preferred(found, existing)) byRealPath.set(found.realKey, found);
  }
  const files = [...byRealPath.values()]
    .sort((a, b) => compareSegments(a.relative, b.relative))
    .map((found) => ({ path: path.join(inputDir, ...found.relative), disposition: found.disposition }));
  if (files.length === 0) {
    const looked = walk.filesSeen === 1 ? '1 file' : `${walk.filesSeen} files`;
    throw new DiscoveryError(
      'ENO_DECKS',
      `No PowerPoint files in ${inputDir}: looked at ${looked} (hidden files and the output folder not counted).`,
    );
  }
  return { inputRoot: inputDir, files, warnings: walk.warnings };
}

async function checkInputFolder(inputDir: string): Promise<string> {
  const info = await stat(inputDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') {
      throw new DiscoveryError('EINPUT_MISSING', `The input folder does not exist: ${inputDir}`);
    }
    throw new DiscoveryError('EINPUT_UNREADABLE', `Cannot read the input folder ${inputDir} (${error.code ?? error.message}).`);
  });
  if (!info.isDirectory()) throw new DiscoveryError('EINPUT_NOT_DIR', `The input is a file, not a folder: ${inputDir}`);
  return realpath(inputDir);
}

/** A real location wins over a symlink, then the earlier path in sort order. */
function preferred(candidate: Found, current: Found): boolean {
  if (candidate.viaLink !== current.viaLink) return !candidate.viaLink;
  return compareSegments(candidate.relative, current.relative) < 0;
}

function compareSegments(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const [x = '', y = ''] = [a[i], b[i]];
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** A directory entry named by its bytes: names need not be valid UTF-8. */
type ListedEntry = Dirent<Buffer>;

/**
 * Walks real folders breadth-first (listing each level in parallel), then the folders reached
 * through symlinks, so that every folder is walked once and under its real path if it has one.
 */
class FolderWalk {
  readonly found: Found[] = [];
  readonly warnings: string[] = [];
  filesSeen = 0;
  private readonly visited = new Set<string>();
  private readonly linkedFolders: PendingFolder[] = [];

  constructor(
    private readonly inputDir: string,
    private readonly rootReal: string,
    private readonly excludedReal: string | null,
  ) {}

  async run(root: PendingFolder, rootEntries: ListedEntry[]): Promise<void> {
    this.visited.add(root.real);
    let level: PendingFolder[] = [];
    await this.visit(root, rootEntries, level);
    for (;;) {
      while (level.length > 0) {
        const listings = await Promise.all(level.map((folder) => this.list(folder)));
        const next: PendingFolder[] = [];
        for (const [i, folder] of level.entries()) {
          const entries = listings[i];
          if (entries) await this.visit(folder, entries, next);
        }
        level = next;
      }
      const linked = this.linkedFolders.splice(0).filter((folder) => this.claim(folder.real));
      if (linked.length === 0) return;
      level = linked;
    }
  }

  private async list(folder: PendingFolder): Promise<ListedEntry[] | null> {
    try {
      return await readdir(folder.absolute, { withFileTypes: true, encoding: 'buffer' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      this.warnings.push(`Could not read the folder ${folder.absolute} (${code}); its files are not in the batch.`);
      return null;
    }
  }

  /** Marks a real folder as walked; false if it was already, or is (inside) the output folder. */
  private claim(real: string): boolean {
    if (this.visited.has(real)) return false;
    if (this.excludedReal !== null && isInsideFolder(real, this.excludedReal)) return false;
    this.visited.add(real);
    return true;
  }

  private async visit(folder: PendingFolder, entries: ListedEntry[], next: PendingFolder[]): Promise<void> {
    const named = entries.map((entry) => ({ entry, name: entry.name.toString('utf8') }));
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { entry, name } of named) {
      if (name.startsWith('.')) continue;
      const child: PendingFolder = {
        absolute: path.join(folder.absolute, name),
        real: path.join(folder.real, name),
        relative: [...folder.relative, name],
        viaLink: folder.viaLink,
      };
      if (!isUtf8(entry.name)) {
        this.addInvalidName(child, entry);
      } else if (entry.isDirectory()) {
        if (this.claim(child.real)) next.push(child);
      } else if (entry.isSymbolicLink()) {
        await this.followLink(child);
      } else {
        this.addFile(child, child.real, entry);
      }
    }
  }

  /**
   * `child` is named by the bytes' lossy decoding, which names no file: it is listed so the user
   * can rename it, under a key that keeps two such names in one folder apart.
   */
  private addInvalidName(child: PendingFolder, entry: ListedEntry): void {
    const realKey = `${child.real}\0${entry.name.toString('hex')}`;
    const name = child.relative[child.relative.length - 1] ?? '';
    if (entry.isDirectory()) {
      this.found.push({ relative: child.relative, realKey, viaLink: child.viaLink, disposition: INVALID_FOLDER_NAME });
    } else if (!name.startsWith('~$') && classifyFileName(name)) {
      this.filesSeen += 1;
      this.found.push({ relative: child.relative, realKey, viaLink: child.viaLink, disposition: INVALID_FILE_NAME });
    }
  }

  private async followLink(link: PendingFolder): Promise<void> {
    let target: string;
    let info: FileTypeInfo;
    try {
      target = await realpath(link.absolute);
      info = await stat(target);
    } catch {
      if (classifyFileName(link.absolute)) this.warnings.push(`Skipped a broken link: ${link.absolute}`);
      return;
    }
    const outside = !isInsideFolder(target, this.rootReal);
    if (info.isDirectory()) {
      if (!outside) this.linkedFolders.push({ ...link, real: target, viaLink: true });
      else this.addOutside(link, `Link to a folder outside ${this.inputDir}: not followed.`);
    } else if (outside) {
      const name = link.relative[link.relative.length - 1] ?? '';
      if (!name.startsWith('~$') && classifyFileName(name)) {
        this.addOutside(link, `Link to a file outside ${this.inputDir}: not processed; copy the deck into the folder to include it.`);
      }
    } else {
      this.addFile({ ...link, viaLink: true }, target, info);
    }
  }

  /** Keyed by the link's own location: each such link is listed, none is followed. */
  private addOutside(link: PendingFolder, reason: string): void {
    this.found.push({ relative: link.relative, realKey: link.real, viaLink: true, disposition: { kind: 'skip', code: 'EOUTSIDE_INPUT', reason } });
  }

  private addFile(file: PendingFolder, real: string, type: FileTypeInfo): void {
    const name = file.relative[file.relative.length - 1] ?? '';
    if (name.startsWith('~$')) return;
    this.filesSeen += 1;
    const disposition = classifyFileName(name);
    if (disposition) {
      this.found.push({ relative: file.relative, realKey: real, viaLink: file.viaLink, disposition: notRegular(type) ?? disposition });
    }
  }
}
